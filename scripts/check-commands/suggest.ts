/** The nearest valid spelling of a mistyped name, by edit distance. */

/** Levenshtein distance (insertions, deletions, substitutions; a swap of neighbours counts as one). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i += 1) {
    for (let j = 1; j < cols; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The candidate closest to `word`, when it is close enough to be a likely typo (at most a third of
 * the word's length, and at least 2 edits allowed), or when one candidate starts with the word.
 */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best === undefined) return undefined;
  if (bestDistance <= Math.max(2, Math.floor(word.length / 3))) return best;
  const prefixed = candidates.filter((candidate) => candidate.startsWith(word) || word.startsWith(candidate));
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

/** `did you mean X?` for a near candidate, else the list of valid ones. */
export function suggestion(word: string, candidates: readonly string[], show: (candidate: string) => string = (c) => c): string {
  const near = nearest(word, candidates);
  if (near !== undefined) return `did you mean ${show(near)}?`;
  return candidates.length ? `valid: ${candidates.map(show).join(', ')}` : 'it takes none';
}

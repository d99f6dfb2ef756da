/**
 * Prism, run when the site is built. The same Prism and the same token types the browser used to run
 * (prism-react-renderer's copy, the one Docusaurus' code block uses), so code reads as it did; because
 * no grammar reaches the browser any more, the languages these docs use that prism-react-renderer does
 * not bundle (shell, TOML, diff) are added from prismjs at no cost to readers.
 *
 * Why Prism and not shiki: identical tokens and colours to what readers had (the light theme's contrast
 * is already checked by the axe tests), no new grammar engine, and the colour themes stay the ones in
 * `themeConfig.prism`.
 */
import { Prism, normalizeTokens } from 'prism-react-renderer';
import type { HighlightedToken } from '../../code-highlight/format';

/**
 * prismjs grammars added to prism-react-renderer's Prism (dependencies first). Not INI: its keys are
 * `attr-name` tokens, which the light theme colours pure red, below the contrast the axe tests require.
 */
const EXTRA_GRAMMARS = ['bash', 'shell-session', 'toml', 'diff'] as const;
let extended = false;

/** Loads the extra grammars into prism-react-renderer's Prism, as Docusaurus' `additionalLanguages` does. */
function extendPrism(): void {
  if (extended) return;
  const global = globalThis as { Prism?: unknown };
  const before = global.Prism;
  global.Prism = Prism;
  try {
    // Each grammar registers itself on the global Prism while it loads, so it is required here, after
    // that global is set, and not imported at the top.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
    for (const grammar of EXTRA_GRAMMARS) require(`prismjs/components/prism-${grammar}`);
  } finally {
    if (before === undefined) delete global.Prism;
    else global.Prism = before;
  }
  extended = true;
}

/** The code's lines as tokens; plain text for a language Prism does not know. */
export function tokenize(code: string, language: string): HighlightedToken[][] {
  extendPrism();
  const grammar = Prism.languages[language];
  if (!grammar) return code.split('\n').map((line) => (line === '' ? [] : [line]));
  return normalizeTokens(Prism.tokenize(code, grammar)).map((line) =>
    line
      .filter((token) => !token.empty && token.content !== '')
      .map((token): HighlightedToken => {
        const types = token.types.filter((type) => type !== 'plain' || token.types.length === 1);
        return types.length === 1 && types[0] === 'plain' ? token.content : [types.join(' '), token.content];
      }),
  );
}

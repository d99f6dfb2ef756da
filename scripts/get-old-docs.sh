#!/usr/bin/env bash
# Re-cuts a documentation version from an old commit without touching your working tree.
# Run with --help for the details.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/get-old-docs.sh <commit> <version> [--force]

Re-cuts documentation version <version> from the docs/ and sidebars.ts of <commit>:

  1. checks the arguments: <commit> exists, <version> is a valid Docusaurus version name, and
     <version> is not already cut (pass --force to replace it);
  2. creates a temporary git worktree of HEAD and puts <commit>'s docs/ and sidebars.ts in it;
  3. installs dependencies there from the local pnpm store (pnpm install --frozen-lockfile
     --offline, then --prefer-offline when the store misses something);
  4. runs `docusaurus docs:version <version>` in the worktree;
  5. copies versioned_docs/version-<version>/ and versioned_sidebars/version-<version>-sidebars.json
     back into this site, and adds <version> to versions.json.

The worktree and its temporary folder are removed on every exit, Ctrl-C included. Nothing else in
your working tree changes. Uncommitted changes to package.json or the lockfile are not used: the
worktree is a checkout of HEAD.

versions.json stays newest first, without duplicates. A new name goes before the first entry it is
newer than, comparing the names part by part (split at . - _ +, a leading v ignored): numbers as
numbers, other parts as text, a number newer than a text part, and a shorter name newer than a
longer one that continues with text (1.0 is newer than 1.0-beta) but older than one that continues
with a number (1.0 is older than 1.0.1). A name already listed keeps its place.

Options:
  --force     replace an existing version of that name
  -h, --help  print this help

Environment:
  GET_OLD_DOCS_NODE_MODULES=DIR  link DIR as the worktree's node_modules instead of installing
                                 (for tests; DIR must match HEAD's lockfile)

Exit codes:
  0  the version was (re-)cut
  1  a step failed (install, docs:version, copying); the working tree is as it was
  2  usage error: bad arguments, unknown commit, invalid or existing version name, not a git work tree

Next steps after a re-cut: pnpm rewrite-links (review), pnpm rewrite-links:write, pnpm build.
EOF
}

fail() {
  echo "get-old-docs: $1" >&2
  exit "${2:-1}"
}

force=0
positional=()
for arg in "$@"; do
  case "$arg" in
    -h | --help)
      usage
      exit 0
      ;;
    --force) force=1 ;;
    -*) fail "unknown option: $arg (see --help)" 2 ;;
    *) positional+=("$arg") ;;
  esac
done
[ "${#positional[@]}" -eq 2 ] || {
  usage >&2
  exit 2
}
commit=${positional[0]}
version=${positional[1]}

# The site is the folder above this script; it may sit anywhere inside its git repository.
site=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
git -C "$site" rev-parse --is-inside-work-tree >/dev/null 2>&1 || fail "$site is not inside a git work tree" 2
prefix=$(git -C "$site" rev-parse --show-prefix)
git -C "$site" rev-parse --verify --quiet HEAD >/dev/null || fail "the repository has no commit yet" 2
command -v pnpm >/dev/null 2>&1 || fail "pnpm is not on PATH (npm install --global pnpm)" 2

# The version name: Docusaurus' own rules (validateVersionName), plus two of ours.
valid_version() {
  local name=$1
  [[ "$name" =~ [^[:space:]] ]] || return 1
  [ "${#name}" -le 32 ] || return 1
  [[ "$name" != *"/"* && "$name" != *"\\"* ]] || return 1
  local forbidden='[<>:"|?*[:cntrl:]]'
  [[ ! "$name" =~ $forbidden ]] || return 1
  [[ "$name" != "." && "$name" != ".." ]] || return 1
  [[ "$name" != "current" && "$name" != -* ]] || return 1
}
valid_version "$version" ||
  fail "invalid version name '$version': 1 to 32 characters, none of / \\ < > : \" | ? * or control characters, not . .. current, not starting with -" 2

sha=$(git -C "$site" rev-parse --verify --quiet "$commit^{commit}") || fail "no such commit: $commit" 2
git -C "$site" cat-file -e "$sha:${prefix}docs" 2>/dev/null || fail "commit $commit has no ${prefix}docs/ folder" 2

versions_file="$site/versions.json"
docs_dest="$site/versioned_docs/version-$version"
sidebar_dest="$site/versioned_sidebars/version-$version-sidebars.json"
exists=0
if [ -e "$docs_dest" ] || [ -e "$sidebar_dest" ]; then exists=1; fi
if [ -f "$versions_file" ] && node -e 'process.exit(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).includes(process.argv[2]) ? 0 : 1)' "$versions_file" "$version"; then
  exists=1
fi
if [ "$exists" = 1 ] && [ "$force" = 0 ]; then
  fail "version $version already exists; pass --force to replace it" 2
fi

# From here on, everything temporary is removed on any exit.
tmp=""
worktree=""
staging=""
retired=""
cleanup() {
  local status=$?
  trap - EXIT INT TERM HUP
  if [ -n "$worktree" ]; then
    git -C "$site" worktree remove --force "$worktree" >/dev/null 2>&1 || true
  fi
  if [ -n "$tmp" ]; then rm -rf "$tmp"; fi
  if [ -n "$staging" ]; then rm -rf "$staging"; fi
  if [ -n "$retired" ]; then
    # Interrupted between the two moves: put the old copy back.
    if [ ! -e "$docs_dest" ] && [ -e "$retired/version-$version" ]; then mv "$retired/version-$version" "$docs_dest"; fi
    rm -rf "$retired"
  fi
  git -C "$site" worktree prune >/dev/null 2>&1 || true
  if [ "$status" -ne 0 ]; then echo "get-old-docs: stopped (exit $status); the temporary worktree was removed." >&2; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

tmp=$(mktemp -d "${TMPDIR:-/tmp}/get-old-docs.XXXXXX")
worktree="$tmp/worktree"
short=$(git -C "$site" rev-parse --short "$sha")
echo "get-old-docs: cutting version $version from $short ($(git -C "$site" log -1 --format=%s "$sha"))"

echo "get-old-docs: creating a temporary worktree of HEAD"
git -C "$site" worktree add --detach --quiet "$worktree" HEAD
wsite="$worktree/${prefix%/}"
wsite=${wsite%/}

# The old commit's pages and sidebars, and no trace of the version being re-cut.
rm -rf "$wsite/docs"
git -C "$worktree" checkout --quiet "$sha" -- "${prefix}docs"
if git -C "$site" cat-file -e "$sha:${prefix}sidebars.ts" 2>/dev/null; then
  git -C "$worktree" checkout --quiet "$sha" -- "${prefix}sidebars.ts"
else
  echo "get-old-docs: $short has no sidebars.ts; using the one from HEAD"
fi
rm -rf "$wsite/versioned_docs/version-$version" "$wsite/versioned_sidebars/version-$version-sidebars.json"
if [ -f "$wsite/versions.json" ]; then
  node -e '
    const fs = require("fs");
    const [file, name] = process.argv.slice(1);
    const list = JSON.parse(fs.readFileSync(file, "utf8")).filter((entry) => entry !== name);
    fs.writeFileSync(file, JSON.stringify(list, null, 2) + "\n");
  ' "$wsite/versions.json" "$version"
fi

log="$tmp/steps.log"
if [ -n "${GET_OLD_DOCS_NODE_MODULES:-}" ]; then
  [ -d "$GET_OLD_DOCS_NODE_MODULES" ] || fail "GET_OLD_DOCS_NODE_MODULES is not a folder: $GET_OLD_DOCS_NODE_MODULES" 2
  echo "get-old-docs: reusing $GET_OLD_DOCS_NODE_MODULES instead of installing"
  ln -s "$(cd "$GET_OLD_DOCS_NODE_MODULES" && pwd)" "$wsite/node_modules"
else
  echo "get-old-docs: installing dependencies from the local pnpm store"
  started=$SECONDS
  if ! (cd "$wsite" && pnpm install --frozen-lockfile --offline) >"$log" 2>&1; then
    echo "get-old-docs: the store misses some packages; retrying with --prefer-offline"
    if ! (cd "$wsite" && pnpm install --frozen-lockfile --prefer-offline) >"$log" 2>&1; then
      tail -n 20 "$log" >&2
      fail "pnpm install failed in the worktree"
    fi
  fi
  echo "get-old-docs: installed in $((SECONDS - started)) s"
fi

echo "get-old-docs: docusaurus docs:version $version"
if ! (cd "$wsite" && env -u DOCS_VERSIONS pnpm exec docusaurus docs:version "$version") >"$log" 2>&1; then
  tail -n 20 "$log" >&2
  fail "docusaurus docs:version failed in the worktree"
fi
[ -d "$wsite/versioned_docs/version-$version" ] || fail "docs:version wrote no versioned_docs/version-$version"

# Copy back: the new folder is staged next to its destination, then swapped in.
mkdir -p "$site/versioned_docs" "$site/versioned_sidebars"
staging=$(mktemp -d "$site/versioned_docs/.get-old-docs.XXXXXX")
cp -R "$wsite/versioned_docs/version-$version/." "$staging/"
replaced="new"
if [ -e "$docs_dest" ]; then
  replaced="replaced"
  # The old copy moves aside first, so a failure here never leaves the version half-copied.
  retired=$(mktemp -d "$site/versioned_docs/.get-old-docs-old.XXXXXX")
  mv "$docs_dest" "$retired/"
fi
mv "$staging" "$docs_dest"
staging=""
cp "$wsite/versioned_sidebars/version-$version-sidebars.json" "$sidebar_dest"

node -e '
  const fs = require("fs");
  const [file, name] = process.argv.slice(1);
  const list = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : [];
  if (!list.includes(name)) {
    // Compare part by part; see --help for the rule.
    const parts = (v) => v.replace(/^v(?=\d)/, "").split(/[.\-_+]/);
    const numeric = (p) => /^\d+$/.test(p);
    const compare = (a, b) => {
      const x = parts(a), y = parts(b);
      for (let i = 0; i < Math.max(x.length, y.length); i++) {
        if (i >= x.length) return numeric(y[i]) ? -1 : 1;
        if (i >= y.length) return numeric(x[i]) ? 1 : -1;
        if (numeric(x[i]) && numeric(y[i])) { const d = Number(x[i]) - Number(y[i]); if (d) return Math.sign(d); continue; }
        if (numeric(x[i]) !== numeric(y[i])) return numeric(x[i]) ? 1 : -1;
        const d = x[i].localeCompare(y[i]); if (d) return Math.sign(d);
      }
      return 0;
    };
    const at = list.findIndex((entry) => compare(name, entry) > 0);
    list.splice(at === -1 ? list.length : at, 0, name);
  }
  fs.writeFileSync(file, JSON.stringify(list, null, 2) + "\n");
  console.log("get-old-docs: versions.json is now " + JSON.stringify(list));
' "$versions_file" "$version"

files=$(find "$docs_dest" -type f | wc -l | tr -d ' ')
echo "get-old-docs: version $version cut from $short:"
echo "  ${docs_dest#"$site"/}/ ($replaced, $files files)"
echo "  ${sidebar_dest#"$site"/}"
echo "  versions.json"
if git -C "$site" status --short -- "$docs_dest" "$sidebar_dest" "$versions_file" >"$tmp/status" 2>/dev/null && [ -s "$tmp/status" ]; then
  echo "git status of those paths:"
  sed 's/^/  /' "$tmp/status"
fi
cat <<EOF

Next steps:
  pnpm rewrite-links          # review the absolute links it would make relative
  pnpm rewrite-links:write    # then rewrite them, so version $version links stay inside it
  pnpm build                  # and build to check every link and page
EOF

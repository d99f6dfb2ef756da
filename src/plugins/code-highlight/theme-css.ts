/**
 * The colours of highlighted code as a stylesheet, from the Prism themes of `themeConfig.prism`.
 *
 * prism-react-renderer used to give each token an inline colour in the browser, for the current colour
 * mode only. The tokens are now spans with Prism's classes (`token keyword`), built with the page, and
 * this stylesheet colours them for both modes, scoped by Docusaurus' `data-theme`, so switching modes
 * needs no JavaScript. It also sets each mode's plain text and background colours, which Docusaurus set
 * inline on the block (see src/theme/CodeBlock/Container). Each mode's rules only apply in that mode: a type one theme colours and the
 * other does not keeps the plain text colour, as it did.
 */
import type { PrismTheme } from 'prism-react-renderer';

const MODES = [
  { scope: "html:not([data-theme='dark'])", key: 'theme' },
  { scope: "html[data-theme='dark']", key: 'darkTheme' },
] as const;

function declarations(style: Record<string, unknown>): string {
  return Object.entries(style)
    .filter(([, value]) => typeof value === 'string' || typeof value === 'number')
    .map(([name, value]) => `${name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}:${String(value)}`)
    .join(';');
}

/** CSS for one theme: one rule per style entry, language-specific entries after (they win, as in Prism's renderer). */
function themeRules(theme: PrismTheme, scope: string): string[] {
  const entries = [...theme.styles.filter((entry) => !entry.languages), ...theme.styles.filter((entry) => entry.languages)];
  return entries.map((entry) => {
    const block = entry.languages?.length
      ? entry.languages.map((language) => `${scope} .theme-code-block.language-${language}`)
      : [`${scope} .theme-code-block`];
    const selectors = block.flatMap((prefix) => entry.types.map((type) => `${prefix} .token.${type}`));
    return `${selectors.join(',')}{${declarations(entry.style as Record<string, unknown>)}}`;
  });
}

/** The block's text and background colours, read by the swizzled CodeBlock/Container (src/theme). */
function plainRule(theme: PrismTheme, scope: string): string {
  const { color, backgroundColor } = theme.plain;
  const variables = [color ? `--prism-color:${color}` : '', backgroundColor ? `--prism-background-color:${backgroundColor}` : ''];
  return `${scope} .theme-code-block{${variables.filter(Boolean).join(';')}}`;
}

export function themeCss(themes: { theme: PrismTheme; darkTheme?: PrismTheme }): string {
  const dark = themes.darkTheme ?? themes.theme;
  return MODES.flatMap(({ scope, key }) => {
    const theme = key === 'theme' ? themes.theme : dark;
    return [plainRule(theme, scope), ...themeRules(theme, scope)];
  }).join('\n');
}

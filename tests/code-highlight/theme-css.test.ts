import assert from 'node:assert/strict';
import { test } from 'node:test';
import { themes } from 'prism-react-renderer';
import { themeCss } from '../../src/plugins/code-highlight/theme-css';

const css = themeCss({ theme: themes.vsLight, darkTheme: themes.vsDark });
const rules = css.split('\n');

test('each colour mode styles tokens only in that mode, so neither leaks into the other', () => {
  assert.ok(rules.length > 10);
  for (const rule of rules) assert.match(rule, /^html(:not\(\[data-theme='dark'\]\)|\[data-theme='dark'\]) \.theme-code-block/);
  assert.ok(rules.includes("html:not([data-theme='dark']) .theme-code-block .token.comment{color:rgb(0, 128, 0)}"));
  assert.ok(rules.includes("html[data-theme='dark'] .theme-code-block .token.comment{color:rgb(106, 153, 85)}"));
});

test("a theme's language-specific colours come after its general ones and only apply to that language", () => {
  const dark = rules.filter((rule) => rule.startsWith("html[data-theme='dark']"));
  const general = dark.findIndex((rule) => rule.endsWith('.token.tag{color:rgb(78, 201, 176)}'));
  const markup = dark.findIndex((rule) => rule.startsWith("html[data-theme='dark'] .theme-code-block.language-markup .token.tag{"));
  assert.ok(general >= 0 && markup > general);
});

test("each mode's plain text and background colours are CSS variables of the block", () => {
  assert.ok(rules.includes("html:not([data-theme='dark']) .theme-code-block{--prism-color:#000000;--prism-background-color:#ffffff}"));
  assert.ok(rules.includes("html[data-theme='dark'] .theme-code-block{--prism-color:#9CDCFE;--prism-background-color:#1E1E1E}"));
});

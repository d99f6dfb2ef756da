/**
 * Just enough YAML to write a playbook by hand: scalars that read back as exactly the string given,
 * and literal blocks for commands. No parser, no Node APIs.
 */

/** Words YAML 1.1 (PyYAML, which Ansible uses) reads as booleans or null when unquoted. */
const TYPED_WORDS = new Set(['y', 'n', 'yes', 'no', 'true', 'false', 'on', 'off', 'null', '~']);
const PLAIN = /^[A-Za-z_][A-Za-z0-9 _.,/()+-]*$/;

/** A string as a YAML scalar: plain when YAML cannot read it as anything else, else double-quoted. */
export function yamlString(value: string): string {
  if (PLAIN.test(value) && !value.endsWith(' ') && !TYPED_WORDS.has(value.toLowerCase())) return value;
  // A JSON string is a valid YAML double-quoted scalar with the same value.
  return JSON.stringify(value);
}

/** A flow sequence of strings: `[a, "b: c"]`. */
export function yamlList(values: readonly string[]): string {
  return `[${values.map(yamlString).join(', ')}]`;
}

// Tabs are allowed in block content; other control characters are not.
const BLOCK_UNSAFE_EXTRA = new Set([0x7f, 0x85, 0x2028, 0x2029, 0xfeff]);

/** True when the text holds a character a YAML literal block cannot carry as it is. */
function hasBlockUnsafeCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a) || BLOCK_UNSAFE_EXTRA.has(code)) return true;
  }
  return false;
}

/**
 * `key: |-` at `indent` spaces, followed by the text as a literal block two spaces deeper, or `key: "..."` when a block
 * could not hold the text exactly (a first line starting with a space, lines of only spaces,
 * trailing line breaks, characters YAML does not allow in a block).
 */
export function yamlTextField(key: string, text: string, indent: number): string[] {
  const keyPad = ' '.repeat(indent);
  const pad = ' '.repeat(indent + 2);
  const lines = text.split('\n');
  const blockable =
    text !== '' &&
    !text.endsWith('\n') &&
    !/^[ \t]/.test(text) &&
    !lines.some((line) => line !== '' && line.trim() === '') &&
    !hasBlockUnsafeCharacter(text) &&
    !text.includes('\r');
  if (!blockable) return [`${keyPad}${key}: ${JSON.stringify(text)}`];
  return [`${keyPad}${key}: |-`, ...lines.map((line) => (line === '' ? '' : `${pad}${line}`))];
}

// Docusaurus' default number-prefix rule, mirrored from
// @docusaurus/plugin-content-docs/lib/numberPrefix.js (DefaultNumberPrefixParser), so that a file
// such as `00200-self-hosting` gets exactly the id and URL segment Docusaurus gives it.
//
// Two patterns, as upstream:
// - a prefix that looks like a date or a version (`2021-11-notes`, `7.0-notes`) is NOT a number prefix;
// - otherwise digits, optional spaces, one or more of `-_.`, optional spaces, then a name that does not
//   start with `-`, `_`, `.` or a space.

export interface NumberPrefixParse {
  filename: string;
  numberPrefix: number | undefined;
}

export type NumberPrefixParser = (filename: string) => NumberPrefixParse;

const ignoredPrefixPattern = /^\d+[-_.]\d+/;
const numberPrefixPattern = /^(?<numberPrefix>\d+)\s*[-_.]+\s*(?<suffix>[^-_.\s].*)$/;

export const defaultNumberPrefixParser: NumberPrefixParser = (filename) => {
  if (ignoredPrefixPattern.test(filename)) return { filename, numberPrefix: undefined };
  const match = numberPrefixPattern.exec(filename);
  if (!match?.groups) return { filename, numberPrefix: undefined };
  return { filename: match.groups.suffix!, numberPrefix: parseInt(match.groups.numberPrefix!, 10) };
};

export const disabledNumberPrefixParser: NumberPrefixParser = (filename) => ({ filename, numberPrefix: undefined });

/** `0-myFolder/0-mySubfolder/0-myDoc` => `myFolder/mySubfolder/myDoc` */
export function stripPathNumberPrefixes(path: string, parser: NumberPrefixParser): string {
  return path
    .split('/')
    .map((segment) => parser(segment).filename)
    .join('/');
}

// Input hygiene (security D5): text from outside never carries control characters. PostgreSQL
// refuses NUL in text (a 500 with the failed SQL), and a CR/LF in a name ends up in an email
// subject or a CSV cell. Single-line fields refuse every control character, U+0000–U+001F and
// U+007F–U+009F (tab, CR and LF too), and the Unicode line and paragraph separators; multi-line
// fields allow tab, CR and LF.

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const SINGLE_LINE_FORBIDDEN = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const MULTI_LINE_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const LINE_BREAKS_AND_CONTROLS = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]+/g;

/** A whole string that is one line without control characters: for schemas that chain `.regex`. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const SINGLE_LINE_TEXT = /^[^\u0000-\u001F\u007F-\u009F\u2028\u2029]*$/;

/** True when the text is one line without control characters. */
export const isSingleLine = (value: string): boolean => !SINGLE_LINE_FORBIDDEN.test(value);

/** True when the text has no control characters besides tab, CR and LF. */
export const isCleanText = (value: string): boolean => !MULTI_LINE_FORBIDDEN.test(value);

export const singleLineMessage = (field: string) => `${field} must be one line without control characters (no line breaks, tabs or NUL)`;
export const cleanTextMessage = (field: string) => `${field} must not contain control characters such as NUL`;

/**
 * The path of every string in a JSON value (keys too) that holds a control character other than
 * tab, CR and LF: a defence behind the schemas, so no text field a schema forgot can carry NUL into
 * the database. Array indexes are numbers, as in zod's issue paths.
 */
export function controlCharacterPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value === "string") return isCleanText(value) ? [] : [path];
  if (Array.isArray(value)) return value.flatMap((item, index) => controlCharacterPaths(item, [...path, index]));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([key, item]) =>
      isCleanText(key) ? controlCharacterPaths(item, [...path, key]) : [[...path, JSON.stringify(key)]],
    );
  }
  return [];
}

/** Replaces line breaks and other control characters with spaces: for text built into one header line. */
export const oneLine = (value: string): string => value.replace(LINE_BREAKS_AND_CONTROLS, " ");

// CSV as spreadsheets and ERPs write it (RFC 4180 quoting, `,` or `;` as Excel uses with a
// decimal comma, UTF-8 with or without BOM, CRLF or LF). Strict on structure: a file we cannot read
// unambiguously is refused with the line it went wrong on, never half-read.

export type CsvRow = {
  /** 1-based physical line the record starts on (the header is line 1), as an editor shows it. */
  line: number;
  fields: string[];
};

export type CsvTable = { separator: "," | ";"; header: string[]; rows: CsvRow[] };

export type CsvError = { line: number; message: string };

export type CsvResult = { ok: true; table: CsvTable } | { ok: false; error: CsvError };

const BOM = "\ufeff";
// Control characters other than tab, CR and LF do not occur in text files.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const BINARY = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** UTF-8 bytes as text, or an error: a spreadsheet saved as Latin-1 or a zip would otherwise become mojibake. */
export function decodeCsv(bytes: Uint8Array): { ok: true; text: string } | { ok: false; error: CsvError } {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return { ok: false, error: { line: lineOfFirstInvalidUtf8(bytes), message: "the file is not UTF-8 text (save it as “CSV UTF-8”)" } };
  }
  return { ok: true, text };
}

function lineOfFirstInvalidUtf8(bytes: Uint8Array): number {
  // Decode line by line; the first line that fails is where the problem is.
  let line = 1;
  let start = 0;
  const decoder = new TextDecoder("utf-8", { fatal: true });
  for (let index = 0; index <= bytes.length; index++) {
    if (index === bytes.length || bytes[index] === 0x0a) {
      try {
        decoder.decode(bytes.subarray(start, index));
      } catch {
        return line;
      }
      line++;
      start = index + 1;
    }
  }
  return 1;
}

/** The separator used in the header line: whichever of `;` and `,` occurs more often outside quotes. */
function detectSeparator(text: string): "," | ";" {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === "\n" || char === "\r")) break;
    else if (!quoted && char === ",") commas++;
    else if (!quoted && char === ";") semicolons++;
  }
  return semicolons > commas ? ";" : ",";
}

/**
 * Parses the whole text. Every record must have as many fields as the header; blank lines (also
 * a line of separators only, as spreadsheets export empty rows) are skipped.
 */
export function parseCsv(input: string): CsvResult {
  const text = input.startsWith(BOM) ? input.slice(1) : input;
  const binary = BINARY.exec(text);
  if (binary) {
    const line = countLines(text, binary.index);
    return { ok: false, error: { line, message: "the file contains binary data, not CSV text" } };
  }
  const separator = detectSeparator(text);
  const records: CsvRow[] = [];
  let line = 1;
  let index = 0;
  const length = text.length;

  while (index < length) {
    const recordLine = line;
    const fields: string[] = [];
    for (;;) {
      let value = "";
      if (text[index] === '"') {
        const quoteLine = line;
        index++;
        for (;;) {
          if (index >= length) return fail(quoteLine, "a quoted field is not closed (a \" is missing)");
          const char = text[index]!;
          if (char === '"') {
            if (text[index + 1] === '"') {
              value += '"';
              index += 2;
              continue;
            }
            index++;
            break;
          }
          if (char === "\n") line++;
          value += char;
          index++;
        }
        const next = text[index];
        if (next !== undefined && next !== separator && next !== "\r" && next !== "\n") {
          return fail(line, `unexpected text after a closing quote; inside a quoted field write a quote as ""`);
        }
      } else {
        const start = index;
        while (index < length) {
          const char = text[index]!;
          if (char === separator || char === "\r" || char === "\n") break;
          if (char === '"') {
            return fail(line, `a quote inside an unquoted field; quote the whole field and write the quote as ""`);
          }
          index++;
        }
        value = text.slice(start, index);
      }
      fields.push(value);
      if (text[index] === separator) {
        index++;
        continue;
      }
      break;
    }
    // End of record: CRLF, LF, a lone CR (old Mac exports) or the end of the text.
    if (text[index] === "\r") index++;
    if (text[index] === "\n") index++;
    line++;
    if (fields.every((field) => field.trim() === "")) continue;
    records.push({ line: recordLine, fields });
  }

  const [head, ...rows] = records;
  if (!head) return fail(1, "the file is empty: it needs a header line and at least one row");
  const header = head.fields.map((name) => name.trim().toLowerCase());
  const seen = new Set<string>();
  for (const [position, name] of header.entries()) {
    if (name === "") return fail(head.line, `column ${position + 1} of the header has no name`);
    if (seen.has(name)) return fail(head.line, `the header names the column "${name}" twice`);
    seen.add(name);
  }
  for (const row of rows) {
    if (row.fields.length !== header.length) {
      return fail(row.line, `the row has ${row.fields.length} fields, the header has ${header.length} (separator "${separator}")`);
    }
  }
  return { ok: true, table: { separator, header, rows } };
}

function fail(line: number, message: string): CsvResult {
  return { ok: false, error: { line, message } };
}

function countLines(text: string, end: number): number {
  let line = 1;
  for (let index = 0; index < end; index++) if (text[index] === "\n") line++;
  return line;
}

/**
 * One RFC 4180 line (CRLF-terminated). A cell that a spreadsheet would run as a formula (=, +, -,
 * @, tab, CR at its start) is prefixed with an apostrophe: exported answers are typed by payers.
 */
export function csvLine(values: readonly (string | number | null | undefined)[]): string {
  return `${values
    .map((value) => {
      let text = value === null || value === undefined ? "" : String(value);
      if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
      return /[",\r\n;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    })
    .join(",")}\r\n`;
}

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

/** Where a record starts: enough to read it again later (readCsvRow) without keeping its fields. */
export type CsvRecordRef = { line: number; offset: number };

/** A checked file: its text, separator and header, for reading records again by their refs. */
export type CsvSource = { text: string; separator: "," | ";"; header: string[] };

type Record = { fields: string[]; index: number; line: number } | { error: CsvError };

/** One record from `index` (its first physical line is `line`): its fields and where the next one starts. */
function readRecord(text: string, separator: "," | ";", index: number, line: number): Record {
  const length = text.length;
  const fields: string[] = [];
  for (;;) {
    let value = "";
    if (text[index] === '"') {
      const quoteLine = line;
      index++;
      for (;;) {
        if (index >= length) return { error: { line: quoteLine, message: "a quoted field is not closed (a \" is missing)" } };
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
        return { error: { line, message: `unexpected text after a closing quote; inside a quoted field write a quote as ""` } };
      }
    } else {
      const start = index;
      while (index < length) {
        const char = text[index]!;
        if (char === separator || char === "\r" || char === "\n") break;
        if (char === '"') {
          return { error: { line, message: `a quote inside an unquoted field; quote the whole field and write the quote as ""` } };
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
  return { fields, index, line: line + 1 };
}

/**
 * Reads the whole text once, checking its structure, and hands each data row to `onRow` (its
 * fields are the caller's to keep or drop: a large file need not be held parsed). Every record
 * must have as many fields as the header; blank lines (also a line of separators only, as
 * spreadsheets export empty rows) are skipped. A structural error anywhere wins over a row's.
 */
export function scanCsv(
  input: string,
  onRow: (row: CsvRow, ref: CsvRecordRef, header: readonly string[]) => void,
): { ok: true; source: CsvSource } | { ok: false; error: CsvError } {
  const text = input.startsWith(BOM) ? input.slice(1) : input;
  const binary = BINARY.exec(text);
  if (binary) {
    const line = countLines(text, binary.index);
    return { ok: false, error: { line, message: "the file contains binary data, not CSV text" } };
  }
  const separator = detectSeparator(text);
  let head: CsvRow | undefined;
  let header: string[] = [];
  let miscounted: CsvError | undefined;
  let line = 1;
  let index = 0;
  while (index < text.length) {
    const ref = { line, offset: index };
    const record = readRecord(text, separator, index, line);
    if ("error" in record) return { ok: false, error: record.error };
    ({ index, line } = record);
    if (record.fields.every((field) => field.trim() === "")) continue;
    const row = { line: ref.line, fields: record.fields };
    if (!head) {
      head = row;
      header = head.fields.map((name) => name.trim().toLowerCase());
      continue;
    }
    if (row.fields.length !== header.length) {
      miscounted ??= { line: row.line, message: `the row has ${row.fields.length} fields, the header has ${header.length} (separator "${separator}")` };
      continue;
    }
    onRow(row, ref, header);
  }
  if (!head) return { ok: false, error: { line: 1, message: "the file is empty: it needs a header line and at least one row" } };
  const seen = new Set<string>();
  for (const [position, name] of header.entries()) {
    if (name === "") return { ok: false, error: { line: head.line, message: `column ${position + 1} of the header has no name` } };
    if (seen.has(name)) return { ok: false, error: { line: head.line, message: `the header names the column "${name}" twice` } };
    seen.add(name);
  }
  if (miscounted) return { ok: false, error: miscounted };
  return { ok: true, source: { text, separator, header } };
}

/** A row of a scanned file again, by its ref. */
export function readCsvRow(source: CsvSource, ref: CsvRecordRef): CsvRow {
  const record = readRecord(source.text, source.separator, ref.offset, ref.line);
  if ("error" in record) throw new Error(`line ${ref.line} was read before; it cannot be wrong now`);
  return { line: ref.line, fields: record.fields };
}

/** Parses the whole text into rows (see scanCsv). */
export function parseCsv(input: string): CsvResult {
  const rows: CsvRow[] = [];
  const scanned = scanCsv(input, (row) => rows.push(row));
  if (!scanned.ok) return scanned;
  return { ok: true, table: { separator: scanned.source.separator, header: scanned.source.header, rows } };
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

import { describe, expect, it } from "vitest";
import { csvLine, decodeCsv, parseCsv } from "./csv";

const rowsOf = (text: string) => {
  const result = parseCsv(text);
  if (!result.ok) throw new Error(`line ${result.error.line}: ${result.error.message}`);
  return { header: result.table.header, separator: result.table.separator, rows: result.table.rows.map((row) => [row.line, ...row.fields]) };
};

describe("parseCsv", () => {
  it.each([
    ["comma, LF", "a,b\n1,2\n", ",", [[2, "1", "2"]]],
    ["semicolon, CRLF", "a;b\r\n1,5;2\r\n", ";", [[2, "1,5", "2"]]],
    ["no trailing newline", "a,b\n1,2", ",", [[2, "1", "2"]]],
    ["trailing empty lines", "a,b\n1,2\n\n\n", ",", [[2, "1", "2"]]],
    ["UTF-8 BOM", "\ufeffa;b\n1;2\n", ";", [[2, "1", "2"]]],
    ["quoted separator", 'a,b\n"x,y",2\n', ",", [[2, "x,y", "2"]]],
    ["doubled quotes", 'a;b\n"say ""hej""";2\n', ";", [[2, 'say "hej"', "2"]]],
    ["newline inside quotes keeps line numbers", 'a,b\n"one\ntwo",2\n3,4\n', ",", [[2, "one\ntwo", "2"], [4, "3", "4"]]],
    ["empty quoted field", 'a,b\n"",2\n', ",", [[2, "", "2"]]],
    ["blank and separator-only rows are skipped", "a;b\n1;2\n\n;\n3;4\n", ";", [[2, "1", "2"], [5, "3", "4"]]],
    ["header names trimmed, case-insensitive", " Number ;DUE_DATE\n1;2\n", ";", [[2, "1", "2"]]],
    ["semicolon wins when the header has more of them", 'a;"b,c";d\n1;2;3\n', ";", [[2, "1", "2", "3"]]],
  ])("%s", (_name, text, separator, rows) => {
    const parsed = rowsOf(text);
    expect(parsed.separator).toBe(separator);
    expect(parsed.rows).toEqual(rows);
  });

  it("lowercases and trims the header", () => {
    expect(rowsOf(" Number ;DUE_DATE\n1;2\n").header).toEqual(["number", "due_date"]);
  });

  it.each([
    ["unterminated quote", 'a,b\n1,2\n"open,3\n4,5\n', 3, /not closed/],
    ["text after closing quote", 'a,b\n"x"y,2\n', 2, /after a closing quote/],
    ["quote inside unquoted field", 'a,b\n1,12" pipe\n', 2, /quote inside an unquoted field/],
    ["too few fields", "a,b,c\n1,2,3\n1,2\n", 3, /2 fields, the header has 3/],
    ["too many fields", "a;b\n1;2;3\n", 2, /3 fields, the header has 2/],
    ["binary", "a,b\n1,2\n\u0000\u0001PK\u0003\u0004", 3, /binary/],
    ["empty file", "", 1, /empty/],
    ["only blank lines", "\n\n", 1, /empty/],
    ["duplicate column", "a,A\n1,2\n", 1, /"a" twice/],
    ["unnamed column", "a,,c\n1,2,3\n", 1, /column 2 .* no name/],
  ])("rejects %s with its line number", (_name, text, line, message) => {
    const result = parseCsv(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.line).toBe(line);
    expect(result.error.message).toMatch(message);
  });
});

describe("decodeCsv", () => {
  it("decodes UTF-8 and keeps Swedish letters", () => {
    const result = decodeCsv(new TextEncoder().encode("namn\nÅsa Öberg\n"));
    expect(result).toEqual({ ok: true, text: "namn\nÅsa Öberg\n" });
  });

  it("refuses Latin-1 with the line of the first bad byte", () => {
    const bytes = Uint8Array.from([...new TextEncoder().encode("namn\nok\n"), 0xc5, 0x73, 0x61, 0x0a]);
    expect(decodeCsv(bytes)).toEqual({ ok: false, error: { line: 3, message: expect.stringMatching(/not UTF-8/) } });
  });
});

describe("csvLine", () => {
  it.each([
    [["a", "b"], "a,b\r\n"],
    [["x,y", 'say "hi"', null, 42], '"x,y","say ""hi""",,42\r\n'],
    [["line\nbreak"], '"line\nbreak"\r\n'],
    [["=HYPERLINK(\"http://evil\")", "+46 70", "-1", "@SUM(A1)"], "\"'=HYPERLINK(\"\"http://evil\"\")\",'+46 70,'-1,'@SUM(A1)\r\n"],
  ])("%j → %j", (values, expected) => {
    expect(csvLine(values)).toBe(expected);
  });
});

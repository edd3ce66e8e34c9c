import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { canonicalDecimal, invoiceContentHash, type InvoiceContent } from "./invoice-content-hash";

const base: InvoiceContent = {
  number: "1042",
  currency: "SEK",
  issueDate: "2026-03-01",
  dueDate: "2026-03-31",
  totalNet: 989_800,
  totalVat: 239_888,
  rounding: 12,
  total: 1_229_700,
  ocr: "104257",
  lines: [
    { position: 1, description: "Consulting", quantity: "10.000", unit: "h", unitPrice: 95_000, vatRate: "25.00", net: 950_000, vat: 237_500 },
    { position: 2, description: "Books", quantity: "2.000", unit: null, unitPrice: 19_900, vatRate: "6.00", net: 39_800, vat: 2_388 },
  ],
};

describe("canonicalDecimal", () => {
  it.each([
    ["10.000", "10"],
    ["10.500", "10.5"],
    ["25.00", "25"],
    ["0.125", "0.125"],
    ["007.10", "7.1"],
    ["-0.0", "0"],
    ["-2.50", "-2.5"],
    [12.5, "12.5"],
    [3, "3"],
  ] as const)("%s → %s", (input, expected) => {
    expect(canonicalDecimal(input)).toBe(expected);
  });

  it("refuses what is not a plain decimal", () => {
    expect(() => canonicalDecimal("1e3")).toThrow(RangeError);
    expect(() => canonicalDecimal("abc")).toThrow(RangeError);
  });
});

describe("invoiceContentHash", () => {
  it("is a sha256 over the documented canonical form (a fixed vector)", () => {
    const canonical = JSON.stringify([
      1, "1042", "SEK", "2026-03-01", "2026-03-31", 989_800, 239_888, 12, 1_229_700, "104257",
      [
        [1, "Consulting", "10", "h", 95_000, "25", 950_000, 237_500],
        [2, "Books", "2", null, 19_900, "6", 39_800, 2_388],
      ],
    ]);
    expect(invoiceContentHash(base)).toBe(`sha256:${createHash("sha256").update(canonical).digest("hex")}`);
  });

  it("does not depend on line order or decimal spelling", () => {
    const reordered = { ...base, lines: [base.lines[1]!, { ...base.lines[0]!, quantity: 10, vatRate: 25 }] };
    expect(invoiceContentHash(reordered)).toBe(invoiceContentHash(base));
  });

  it.each<[string, Partial<InvoiceContent>]>([
    ["number", { number: "1043" }],
    ["currency", { currency: "EUR" }],
    ["issue date", { issueDate: "2026-03-02" }],
    ["due date", { dueDate: "2026-04-30" }],
    ["total", { total: 1_229_701 }],
    ["rounding", { rounding: 0 }],
    ["OCR", { ocr: "104265" }],
    ["a line's net", { lines: [{ ...base.lines[0]!, net: 950_001 }, base.lines[1]!] }],
    ["a line's description", { lines: [{ ...base.lines[0]!, description: "Consulting!" }, base.lines[1]!] }],
    ["a removed line", { lines: [base.lines[0]!] }],
  ])("changes when the %s changes", (_what, change) => {
    expect(invoiceContentHash({ ...base, ...change })).not.toBe(invoiceContentHash(base));
  });
});

import { describe, expect, it } from "vitest";
import { parseCsv } from "./csv";
import { checkInvoiceTotals } from "./invoice-totals";
import { csvLocation, invoicesFromCsv, parseCsvAmount } from "./invoice-csv";

const HEADER = "number;customer_external_id;customer_name;currency;issue_date;due_date;description;quantity;unit;unit_price;vat_rate";

function fromCsv(text: string) {
  const parsed = parseCsv(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return invoicesFromCsv(parsed.table);
}

describe("parseCsvAmount", () => {
  it.each([
    ["1250,50", 2, 125050],
    ["1250.50", 2, 125050],
    ["1 250,50", 2, 125050],
    ["1\u00a0250,5", 2, 125050],
    ["12\u202f345\u202f678", 2, 1234567800],
    ["-5", 2, -500],
    ["\u22120,05", 2, -5],
    ["0,1", 2, 10],
    ["1500", 0, 1500],
    ["  99,90  ", 2, 9990],
  ])("%s (exponent %i) → %i", (text, exponent, minor) => {
    expect(parseCsvAmount(text, exponent)).toBe(minor);
  });

  it.each([
    ["1,250", 2, /3 decimals/],
    ["1.234,50", 2, /not a number/],
    ["12,5", 0, /may not have decimals/],
    ["1 25,00", 2, /not a number/],
    ["abc", 2, /not a number/],
    ["", 2, /not a number/],
    ["1e3", 2, /not a number/],
    ["99999999999999999999", 2, /too large/],
  ])("refuses %j", (text, exponent, message) => {
    expect(parseCsvAmount(text, exponent)).toMatch(message);
  });
});

describe("invoicesFromCsv", () => {
  it("groups rows by number and computes lines and totals the API accepts", () => {
    const { invoices, errors } = fromCsv(
      `${HEADER}\n` +
        `F-1;C-1;Kund AB;SEK;2026-03-01;2026-03-31;Konsult;10;h;950,00;25\n` +
        `F-1;;;;;;Bok;2;st;199;6 %\n` +
        `F-2;C-2;Annan AB;sek;2026-03-01;2026-03-31;"Timmar, ""extra""";1,5;h;1 000,33;12,5\n`,
    );
    expect(errors).toEqual([]);
    expect(invoices.map((invoice) => [invoice.number, invoice.lines])).toEqual([["F-1", [2, 3]], ["F-2", [4]]]);
    expect(invoices[0]!.input).toEqual({
      number: "F-1",
      currency: "SEK",
      issue_date: "2026-03-01",
      due_date: "2026-03-31",
      customer: { external_id: "C-1", name: "Kund AB" },
      lines: [
        { description: "Konsult", quantity: 10, unit: "h", unit_price: 95000, vat_rate: 25, net: 950000, vat: 237500 },
        { description: "Bok", quantity: 2, unit: "st", unit_price: 19900, vat_rate: 6, net: 39800, vat: 2388 },
      ],
      total_net: 989800,
      total_vat: 239888,
      total: 1229688,
    });
    // 1.5 × 1000.33 = 1500.495 → 1500.50; 12.5 % of it = 187.5625 → 187.56
    expect(invoices[1]!.input).toMatchObject({
      currency: "SEK",
      lines: [{ description: 'Timmar, "extra"', quantity: 1.5, unit_price: 100033, vat_rate: 12.5, net: 150050, vat: 18756 }],
      total: 168806,
    });
    for (const invoice of invoices) {
      expect(checkInvoiceTotals(invoice.input as never, 2)).toEqual([]);
    }
  });

  it("names each bad row and field, and leaves out only the invoices with a bad row", () => {
    const { invoices, errors } = fromCsv(
      `${HEADER}\n` +
        `F-1;C-1;Kund AB;SEK;2026-03-01;2026-03-31;Konsult;10;h;1,250;25\n` +
        `F-2;C-2;Annan AB;SEK;2026-03-01;2026-03-31;Bok;x;st;199;6\n` +
        `F-3;C-3;Tredje AB;SEK;2026-03-01;2026-03-31;Bok;1;st;199;125\n` +
        `;C-4;Fjärde AB;SEK;2026-03-01;2026-03-31;Bok;1;st;199;25\n` +
        `F-5;C-5;Femte AB;XYZ;2026-03-01;2026-03-31;Bok;1;st;199;25\n` +
        `F-6;C-6;Sjätte AB;SEK;2026-03-01;2026-03-31;Bok;1;st;199;25\n` +
        `F-6;C-7;;;;;Bok;1;st;199;25\n` +
        `F-8;C-8;Åttonde AB;SEK;2026-03-01;2026-03-31;Bok;1;st;199;25\n`,
    );
    expect(errors).toEqual([
      { line: 2, field: "unit_price", message: expect.stringMatching(/^unit_price has 3 decimals/) },
      { line: 3, field: "quantity", message: expect.stringMatching(/^quantity is not a number/) },
      { line: 4, field: "vat_rate", message: "vat_rate must be a percent from 0 to 100" },
      { line: 5, field: "number", message: expect.stringMatching(/number is required/) },
      { line: 6, field: "currency", message: "currency XYZ is not supported" },
      { line: 8, field: "customer_external_id", message: "differs from line 7 of the same invoice (C-6)" },
    ]);
    expect(invoices.map((invoice) => invoice.number)).toEqual(["F-8"]);
  });

  it("reports unknown and missing columns on the header line", () => {
    const { invoices, errors } = fromCsv("number;due_dat;currency\nF-1;2026-03-01;SEK\n");
    expect(invoices).toEqual([]);
    expect(errors).toEqual(expect.arrayContaining([
      { line: 1, field: "due_dat", message: expect.stringMatching(/unknown column/) },
      { line: 1, field: "due_date", message: "this column is required" },
      { line: 1, field: "customer_external_id", message: expect.any(String) },
    ]));
  });
});

describe("csvLocation", () => {
  const invoice = { number: "F-1", lines: [7, 9, 12], input: {} };
  it.each([
    ["lines[2].unit_price", { line: 12, field: "unit_price" }],
    ["lines[1]", { line: 9, field: "description" }],
    ["customer.email", { line: 7, field: "customer_email" }],
    ["customer", { line: 7, field: "customer_external_id" }],
    ["due_date", { line: 7, field: "due_date" }],
    ["lines", { line: 7, field: "number" }],
  ])("%s → %j", (field, location) => {
    expect(csvLocation(invoice, field)).toEqual(location);
  });
});

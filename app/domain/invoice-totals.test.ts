import { describe, it, expect } from "vitest";
import {
  checkInvoiceTotals,
  expectedLineNet,
  expectedVat,
  type InvoiceAmounts,
  type InvoiceLineAmounts,
  type TotalsProblem,
} from "./invoice-totals";

const SEK = 2;
const JPY = 0;

const line = (quantity: number, unit_price: number, vat_rate: number, net: number, vat: number): InvoiceLineAmounts => ({
  quantity,
  unit_price,
  vat_rate,
  net,
  vat,
});

describe("expectedLineNet", () => {
  it.each([
    [2, 75000, 150000n],
    [1.5, 99999, 149999n], // 149998.5 rounds away from zero
    [-1.5, 99999, -149999n],
    [1, -12500, -12500n],
    [0.145, 100, 15n], // float math gives 14.499… → 14
    [1.005, 100, 101n], // float math gives 100.499… → 100
    [0.001, 499, 0n],
    [0.001, 500, 1n],
    [0.001, -500, -1n],
    [2.125, 333, 708n],
    [999999.999, 9007199254, 9007199244992801n], // float math gives …800
    [0, 123, 0n],
  ])("%s × %i = %s", (quantity, unitPrice, expected) => {
    expect(expectedLineNet(quantity, unitPrice)).toBe(expected);
  });

  it.each([
    [1.0001, 100],
    [Number.NaN, 100],
    [1, 10.5],
  ])("throws for %s × %s", (quantity, unitPrice) => {
    expect(() => expectedLineNet(quantity, unitPrice)).toThrow(RangeError);
  });
});

describe("expectedVat", () => {
  it.each([
    [150000n, 25, 37500n],
    [14970n, 12, 1796n], // 1796.4
    [29900n, 6, 1794n],
    [50000n, 0, 0n],
    [2n, 25, 1n], // 0.5 rounds up
    [-2n, 25, -1n], // and away from zero when negative
    [333n, 6, 20n], // 19.98
    [10000n, 12.5, 1250n],
    [9999n, 0.01, 1n], // 0.9999
    [12345n, 100, 12345n],
  ])("%s at %s%% = %s", (net, rate, expected) => {
    expect(expectedVat(net, rate)).toBe(expected);
  });

  it("throws for a rate with more than 2 decimals", () => {
    expect(() => expectedVat(100n, 12.345)).toThrow(RangeError);
  });
});

type Case = [label: string, invoice: InvoiceAmounts, exponent: number, problems: TotalsProblem[]];

const valid: Case[] = [
  [
    "one line at 25 %",
    { lines: [line(2, 75000, 25, 150000, 37500)], total_net: 150000, total_vat: 37500, total: 187500 },
    SEK,
    [],
  ],
  [
    "Swedish rates 25, 12, 6 and 0 on one invoice",
    {
      lines: [
        line(1, 100000, 25, 100000, 25000),
        line(3, 4990, 12, 14970, 1796),
        line(1, 29900, 6, 29900, 1794),
        line(1, 50000, 0, 50000, 0),
      ],
      total_net: 194870,
      total_vat: 28590,
      total: 223460,
    },
    SEK,
    [],
  ],
  [
    "a discount line with a negative unit price",
    {
      lines: [line(10, 12500, 25, 125000, 31250), line(1, -12500, 25, -12500, -3125)],
      total_net: 112500,
      total_vat: 28125,
      total: 140625,
    },
    SEK,
    [],
  ],
  [
    "a fractional quantity rounded half away from zero",
    { lines: [line(1.5, 99999, 25, 149999, 37500)], total_net: 149999, total_vat: 37500, total: 187499 },
    SEK,
    [],
  ],
  [
    "a credit note (negative quantity)",
    { lines: [line(-1.5, 99999, 25, -149999, -37500)], total_net: -149999, total_vat: -37500, total: -187499 },
    SEK,
    [],
  ],
  [
    "öre rounding up by 50 (x.50 rounds to the next krona)",
    { lines: [line(1, 10040, 25, 10040, 2510)], total_net: 10040, total_vat: 2510, total: 12600, rounding: 50 },
    SEK,
    [],
  ],
  [
    "öre rounding down by 20 to a whole krona",
    { lines: [line(1, 1000, 12, 1000, 120)], total_net: 1000, total_vat: 120, total: 1100, rounding: -20 },
    SEK,
    [],
  ],
  [
    "line VAT rounded per invoice: one line 1 öre below its own rounding",
    {
      lines: [line(1, 10002, 25, 10002, 2501), line(1, 10002, 25, 10002, 2500)],
      total_net: 20004,
      total_vat: 5001,
      total: 25005,
    },
    SEK,
    [],
  ],
  [
    "total VAT rounded per rate on the summed net (361), not the sum of lines (360)",
    {
      lines: [line(1, 1004, 12, 1004, 120), line(1, 1004, 12, 1004, 120), line(1, 1004, 12, 1004, 120)],
      total_net: 3012,
      total_vat: 361,
      total: 3373,
    },
    SEK,
    [],
  ],
  [
    "JPY without decimals",
    { lines: [line(3, 1100, 10, 3300, 330)], total_net: 3300, total_vat: 330, total: 3630 },
    JPY,
    [],
  ],
];

const invalid: Case[] = [
  [
    "a line net that is 1 öre off",
    { lines: [line(2, 75000, 25, 149999, 37500)], total_net: 149999, total_vat: 37500, total: 187499 },
    SEK,
    [{ path: ["lines", 0, "net"], message: "net should be 150000 (quantity × unit_price), got 149999" }],
  ],
  [
    "a net computed with float rounding (0.145 × 100 = 14)",
    { lines: [line(0.145, 100, 0, 14, 0)], total_net: 14, total_vat: 0, total: 14 },
    SEK,
    [{ path: ["lines", 0, "net"], message: "net should be 15 (quantity × unit_price), got 14" }],
  ],
  [
    "a line VAT 2 öre off",
    {
      lines: [line(1, 100000, 25, 100000, 25000), line(1, 10000, 6, 10000, 598)],
      total_net: 110000,
      total_vat: 25598,
      total: 135598,
    },
    SEK,
    [{ path: ["lines", 1, "vat"], message: "vat should be 600 ± 1 (6% of net 10000), got 598" }],
  ],
  [
    "VAT at the wrong rate",
    { lines: [line(1, 10000, 12, 10000, 2500)], total_net: 10000, total_vat: 2500, total: 12500 },
    SEK,
    [{ path: ["lines", 0, "vat"], message: "vat should be 1200 ± 1 (12% of net 10000), got 2500" }],
  ],
  [
    "total_net not the sum of the lines",
    {
      lines: [line(1, 1000, 25, 1000, 250), line(2, 500, 25, 1000, 250)],
      total_net: 2500,
      total_vat: 500,
      total: 3000,
    },
    SEK,
    [{ path: ["total_net"], message: "total_net should be 2000 (sum of line net), got 2500" }],
  ],
  [
    "total_vat neither the line sum nor the per-rate VAT",
    {
      lines: [line(1, 1004, 12, 1004, 120), line(1, 1004, 12, 1004, 120), line(1, 1004, 12, 1004, 120)],
      total_net: 3012,
      total_vat: 362,
      total: 3374,
    },
    SEK,
    [{ path: ["total_vat"], message: "total_vat should be 360 (sum of line vat) or 361 (VAT per rate on summed net), got 362" }],
  ],
  [
    "total_vat off when both roundings agree",
    { lines: [line(1, 10000, 25, 10000, 2500)], total_net: 10000, total_vat: 2501, total: 12501 },
    SEK,
    [{ path: ["total_vat"], message: "total_vat should be 2500 (sum of line vat), got 2501" }],
  ],
  [
    "a total that ignores the rounding line",
    { lines: [line(1, 10040, 25, 10040, 2510)], total_net: 10040, total_vat: 2510, total: 12550, rounding: 50 },
    SEK,
    [{ path: ["total"], message: "total should be 12600 (total_net + total_vat + rounding), got 12550" }],
  ],
  [
    "a rounding larger than half a krona",
    { lines: [line(1, 1236, 12, 1236, 148)], total_net: 1236, total_vat: 148, total: 1300, rounding: -84 },
    SEK,
    [{ path: ["rounding"], message: "rounding must be at most half a major unit (50 minor units), got -84" }],
  ],
  [
    "any rounding in a currency without minor units",
    { lines: [line(1, 999, 10, 999, 100)], total_net: 999, total_vat: 100, total: 1100, rounding: 1 },
    JPY,
    [{ path: ["rounding"], message: "rounding must be at most half a major unit (0 for this currency), got 1" }],
  ],
  [
    "a quantity with 4 decimals",
    { lines: [line(1.2345, 1000, 25, 1235, 309)], total_net: 1235, total_vat: 309, total: 1544 },
    SEK,
    [{ path: ["lines", 0, "quantity"], message: "quantity must be a number with at most 3 decimals, got 1.2345" }],
  ],
  [
    "a VAT rate above 100 and one with 3 decimals",
    {
      lines: [line(1, 1000, 125, 1000, 1250), line(1, 1000, 12.345, 1000, 123)],
      total_net: 2000,
      total_vat: 1373,
      total: 3373,
    },
    SEK,
    [
      { path: ["lines", 0, "vat_rate"], message: "vat_rate must be a percent from 0 to 100 with at most 2 decimals, got 125" },
      { path: ["lines", 1, "vat_rate"], message: "vat_rate must be a percent from 0 to 100 with at most 2 decimals, got 12.345" },
    ],
  ],
  [
    "fractional minor units",
    { lines: [line(1, 10.5, 0, 10.5, 0)], total_net: 10.5, total_vat: 0, total: Number.NaN },
    SEK,
    [
      { path: ["lines", 0, "unit_price"], message: "unit_price must be a whole number of minor units, got 10.5" },
      { path: ["lines", 0, "net"], message: "net must be a whole number of minor units, got 10.5" },
      { path: ["total_net"], message: "total_net must be a whole number of minor units, got 10.5" },
      { path: ["total"], message: "total must be a whole number of minor units, got NaN" },
    ],
  ],
  [
    "no lines",
    { lines: [], total_net: 0, total_vat: 0, total: 0 },
    SEK,
    [{ path: ["lines"], message: "an invoice needs at least one line" }],
  ],
];

describe("checkInvoiceTotals", () => {
  it.each(valid)("accepts %s", (_label, invoice, exponent, expected) => {
    expect(checkInvoiceTotals(invoice, exponent)).toEqual(expected);
  });

  it.each(invalid)("reports %s", (_label, invoice, exponent, expected) => {
    expect(checkInvoiceTotals(invoice, exponent)).toEqual(expected);
  });

  it("rejects a bad currency exponent", () => {
    const [, invoice] = valid[0] as Case;
    expect(() => checkInvoiceTotals(invoice, -1)).toThrow(RangeError);
    expect(() => checkInvoiceTotals(invoice, 1.5)).toThrow(RangeError);
  });
});

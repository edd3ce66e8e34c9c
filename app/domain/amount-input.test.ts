import { describe, expect, it } from "vitest";
import { parseAmountInput } from "./amount-input";

describe("parseAmountInput", () => {
  it.each([
    ["1234.50", "SEK", 123_450],
    ["1234,50", "SEK", 123_450],
    ["1 234,50", "SEK", 123_450],
    ["1\u00a0234,50", "SEK", 123_450],
    ["12\u202f297,00 kr", "SEK", 1_229_700],
    ["1.234,50", "SEK", 123_450],
    ["1,234.50", "EUR", 123_450],
    ["1,234", "SEK", 123_400],
    ["1.234", "SEK", 123_400],
    ["1234", "SEK", 123_400],
    ["1234,5", "SEK", 123_450],
    ["0,01", "SEK", 1],
    ["0", "SEK", 0],
    ["12 297:-", "SEK", 1_229_700],
    ["1 234 567,89 SEK", "SEK", 123_456_789],
    ["1500", "JPY", 1500],
  ] as const)("%s %s → %d", (input, currency, expected) => {
    expect(parseAmountInput(input, currency)).toBe(expected);
  });

  it.each([
    ["", "SEK"],
    ["abc", "SEK"],
    ["-100", "SEK"],
    ["12.345.6", "SEK"],
    ["1,234,50", "SEK"],
    ["1.234.50", "SEK"],
    ["1,234.567", "SEK"],
    ["12,34,567", "SEK"],
    ["1e3", "SEK"],
    [",50", "SEK"],
    ["1234,5", "JPY"],
    ["99999999999999999999", "SEK"],
  ] as const)("%j %s → refused", (input, currency) => {
    expect(parseAmountInput(input, currency)).toBeNull();
  });
});

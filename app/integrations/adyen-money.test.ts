import { describe, expect, it } from "vitest";
import { fromAdyenValue, toAdyenValue } from "./adyen-money";

describe("Adyen amounts", () => {
  it.each([
    ["SEK", 1_229_700, 1_229_700],
    ["EUR", 4_250, 4_250],
    ["JPY", 1_500, 1_500],
    // Adyen counts two decimals for ISK where ISO 4217 (and our table) counts none.
    ["ISK", 2_790, 279_000],
  ])("%s %i minor units ↔ Adyen value %i", (currency, minor, value) => {
    expect(toAdyenValue(minor, currency)).toBe(value);
    expect(fromAdyenValue(value, currency)).toBe(minor);
  });

  it("round-trips amounts exactly, up to 10^10 minor units", () => {
    for (const currency of ["SEK", "EUR", "ISK", "JPY"]) {
      // A fixed spread of amounts (a linear congruential sequence): the same cases every run.
      let minor = 1;
      for (let index = 0; index < 2_500; index += 1) {
        minor = (minor * 48_271 + 7) % 10_000_000_000;
        expect(fromAdyenValue(toAdyenValue(minor, currency), currency)).toBe(minor);
      }
    }
  });

  it("refuses what cannot be converted exactly", () => {
    expect(fromAdyenValue(279_050, "ISK")).toBeUndefined();
    expect(fromAdyenValue(100, "XXX")).toBeUndefined();
    expect(fromAdyenValue(1.5, "SEK")).toBeUndefined();
    expect(() => toAdyenValue(100, "XXX")).toThrow(RangeError);
    expect(() => toAdyenValue(0.5, "SEK")).toThrow(RangeError);
  });
});

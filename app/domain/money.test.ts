import { describe, it, expect } from "vitest";
import {
  CURRENCY_EXPONENTS,
  SUPPORTED_CURRENCIES,
  UnsafeAmountError,
  currencyExponent,
  formatMoney,
  isSupportedCurrency,
  sumMinor,
  toMajorUnitString,
  type CurrencyCode,
} from "./money";

// The sv-SE group separator differs between ICU versions (U+00A0 or U+202F): ask Intl for it.
const SV_GROUP =
  new Intl.NumberFormat("sv-SE").formatToParts(1000).find((part) => part.type === "group")?.value ?? "";
const NBSP = "\u00a0"; // between amount and currency symbol

describe("currency table", () => {
  it("lists exactly the table's currencies", () => {
    expect([...SUPPORTED_CURRENCIES].sort()).toEqual(
      ["DKK", "EUR", "GBP", "ISK", "JPY", "NOK", "SEK", "USD"],
    );
  });

  it.each([
    ["SEK", 2],
    ["EUR", 2],
    ["NOK", 2],
    ["DKK", 2],
    ["USD", 2],
    ["GBP", 2],
    ["JPY", 0],
    ["ISK", 0],
  ] as const)("%s has exponent %i", (code, exponent) => {
    expect(currencyExponent(code)).toBe(exponent);
    expect(CURRENCY_EXPONENTS[code]).toBe(exponent);
  });

  it.each([
    ["SEK", true],
    ["JPY", true],
    ["sek", false],
    ["XXX", false],
    ["", false],
    ["toString", false],
    ["__proto__", false],
  ])("isSupportedCurrency(%j) = %s", (code, expected) => {
    expect(isSupportedCurrency(code)).toBe(expected);
  });
});

describe("toMajorUnitString", () => {
  it.each<[number, CurrencyCode, string]>([
    [150000, "SEK", "1500.00"],
    [0, "SEK", "0.00"],
    [-0, "SEK", "0.00"],
    [5, "SEK", "0.05"],
    [-5, "SEK", "-0.05"],
    [-150, "EUR", "-1.50"],
    [99, "USD", "0.99"],
    [100, "GBP", "1.00"],
    [1500, "JPY", "1500"],
    [-7, "ISK", "-7"],
    [Number.MAX_SAFE_INTEGER, "SEK", "90071992547409.91"],
    [Number.MIN_SAFE_INTEGER, "EUR", "-90071992547409.91"],
  ])("%i %s → %s", (minor, currency, expected) => {
    expect(toMajorUnitString(minor, currency)).toBe(expected);
  });

  it.each([1.5, Number.NaN, Infinity, 2 ** 53])("rejects %s", (minor) => {
    expect(() => toMajorUnitString(minor, "SEK")).toThrow(UnsafeAmountError);
  });
});

describe("formatMoney", () => {
  it("sv-SE groups digits with a no-break space", () => {
    expect(SV_GROUP).toMatch(/^[\u00a0\u202f]$/);
  });

  it.each<[number, CurrencyCode, string, string]>([
    [123456789, "SEK", "sv-SE", `1${SV_GROUP}234${SV_GROUP}567,89${NBSP}kr`],
    [150000, "SEK", "sv-SE", `1${SV_GROUP}500,00${NBSP}kr`],
    [-5, "SEK", "sv-SE", `\u22120,05${NBSP}kr`],
    [150000, "EUR", "en-IE", "€1,500.00"],
    [1999, "USD", "en-US", "$19.99"],
    [1500, "JPY", "en-US", "¥1,500"],
    [1500, "ISK", "is-IS", `1.500${NBSP}kr.`],
    // The float path would print …409,90; the exact path keeps the last öre.
    [Number.MAX_SAFE_INTEGER, "SEK", "sv-SE", `90${SV_GROUP}071${SV_GROUP}992${SV_GROUP}547${SV_GROUP}409,91${NBSP}kr`],
  ])("%i %s in %s", (minor, currency, locale, expected) => {
    expect(formatMoney(minor, currency, locale)).toBe(expected);
  });

  it.each<[number, CurrencyCode, string]>([
    [123456789, "SEK", "sv-SE"],
    [1, "SEK", "sv-SE"],
    [-123456, "EUR", "de-DE"],
    [987654321, "NOK", "nb-NO"],
    [4200, "DKK", "da-DK"],
    [31415, "GBP", "en-GB"],
    [1000000, "JPY", "ja-JP"],
    [250, "ISK", "en-US"],
  ])("%i %s in %s matches Intl's own output for the major value", (minor, currency, locale) => {
    const exponent = currencyExponent(currency);
    const intl = new Intl.NumberFormat(locale, {
      style: "currency",
      currency,
      minimumFractionDigits: exponent,
      maximumFractionDigits: exponent,
    });
    expect(formatMoney(minor, currency, locale)).toBe(intl.format(minor / 10 ** exponent));
  });

  it("rejects a non-integer minor amount", () => {
    expect(() => formatMoney(0.1, "SEK", "sv-SE")).toThrow(UnsafeAmountError);
  });
});

describe("sumMinor", () => {
  it.each<[number[], number]>([
    [[], 0],
    [[100, 250, -50], 300],
    [[Number.MAX_SAFE_INTEGER, -1, 1], Number.MAX_SAFE_INTEGER],
    [[Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER], 0],
  ])("sum of %j = %i", (values, expected) => {
    expect(sumMinor(values)).toBe(expected);
  });

  it.each<[string, number[]]>([
    ["overflows upwards", [Number.MAX_SAFE_INTEGER, 1]],
    ["overflows downwards", [Number.MIN_SAFE_INTEGER, -1]],
    ["contains a fraction", [100, 0.5]],
    ["contains NaN", [Number.NaN]],
  ])("throws UnsafeAmountError when it %s", (_label, values) => {
    expect(() => sumMinor(values)).toThrow(UnsafeAmountError);
  });
});

import { describe, it, expect } from "vitest";
import {
  hasValidLengthDigit,
  isLuhnValid,
  luhnCheckDigit,
  makeOcr,
  makeOcrFromNumber,
  validateOcr,
  type OcrValidation,
} from "./ocr";

// Sample references from the official BgMax sample file (payment-formats.md §4).
const SAMPLE_REFS = ["655969", "657866", "658765", "657767", "650861", "659763"];

describe("luhnCheckDigit", () => {
  it.each([
    ["12345", 5], // not 1, as one public explainer wrongly claims
    ["123457", 4],
    ["12345678902", 3],
    ["20260000422", 2],
    ["65596", 9],
    ["0", 0],
    ["9", 1],
    ["7992739871", 3],
  ])("%s → %i", (digits, expected) => {
    expect(luhnCheckDigit(digits)).toBe(expected);
  });

  it.each(["", "12a", "12 3", "-1"])("rejects %j", (digits) => {
    expect(() => luhnCheckDigit(digits)).toThrow();
  });
});

describe("isLuhnValid", () => {
  it.each<[string, boolean]>([
    ["123455", true],
    ["123456", false],
    ["1234574", true],
    ["79927398713", true],
    ["79927398710", false],
    ["0", false],
    ["", false],
    ["12a455", false],
    ...SAMPLE_REFS.map((ref): [string, boolean] => [ref, true]),
  ])("%j → %s", (digits, expected) => {
    expect(isLuhnValid(digits)).toBe(expected);
  });
});

describe("makeOcr", () => {
  it.each([
    ["12345", false, "123455"],
    ["12345", true, "1234574"],
    ["1234567890", true, "123456789023"],
    ["2026000042", true, "202600004222"],
    ["6559", true, "655969"],
    ["1", true, "133"],
  ])("%s (length digit %s) → %s", (base, lengthDigit, expected) => {
    expect(makeOcr(base, { lengthDigit })).toBe(expected);
  });

  it("adds the length digit by default", () => {
    expect(makeOcr("12345")).toBe("1234574");
  });

  it("allows 25 digits but not 26", () => {
    expect(makeOcr("1".repeat(23))).toHaveLength(25);
    expect(() => makeOcr("1".repeat(24))).toThrow(/26 digits/);
    expect(makeOcr("1".repeat(24), { lengthDigit: false })).toHaveLength(25);
  });

  it.each(["", "12-3", "abc"])("rejects base %j", (base) => {
    expect(() => makeOcr(base)).toThrow();
  });
});

describe("makeOcrFromNumber", () => {
  it.each<[bigint | number, string]>([
    [2026000042, "202600004222"],
    [6559, "655969"],
    [12345n, "1234574"],
    [1234567890n, "123456789023"],
    [0, "034"],
  ])("%s → %s", (n, expected) => {
    expect(makeOcrFromNumber(n)).toBe(expected);
    expect(validateOcr(expected, { requireLengthDigit: true })).toEqual({ ok: true, value: expected });
  });

  it.each<bigint | number>([-1, -1n, 1.5, Number.NaN, 2 ** 53, 10n ** 24n])("rejects %s", (n) => {
    expect(() => makeOcrFromNumber(n)).toThrow();
  });
});

describe("hasValidLengthDigit", () => {
  it.each<[string, boolean]>([
    ["1234574", true],
    ["123456789023", true],
    ["202600004222", true],
    ["123455", false],
    ["5", false],
    ["x4", false],
    ...SAMPLE_REFS.map((ref): [string, boolean] => [ref, true]),
  ])("%j → %s", (ref, expected) => {
    expect(hasValidLengthDigit(ref)).toBe(expected);
  });
});

describe("validateOcr", () => {
  it.each<[string, OcrValidation]>([
    ["123455", { ok: true, value: "123455" }],
    ["1234574", { ok: true, value: "1234574" }],
    ["1234 5678 9023", { ok: true, value: "123456789023" }],
    ["202600004222", { ok: true, value: "202600004222" }],
    ...SAMPLE_REFS.map((ref): [string, OcrValidation] => [ref, { ok: true, value: ref }]),
    ["", { ok: false, reason: "not_digits" }],
    ["12345A", { ok: false, reason: "not_digits" }],
    ["123-455", { ok: false, reason: "not_digits" }],
    ["１２３４５５", { ok: false, reason: "not_digits" }],
    ["0", { ok: false, reason: "length" }],
    [makeOcr("1".repeat(24), { lengthDigit: false }) + "0", { ok: false, reason: "length" }],
    ["123456", { ok: false, reason: "check_digit" }],
    ["655968", { ok: false, reason: "check_digit" }],
    ["1234575", { ok: false, reason: "check_digit" }],
  ])("%j", (ref, expected) => {
    expect(validateOcr(ref)).toEqual(expected);
  });

  it.each<[string, OcrValidation]>([
    ["1234574", { ok: true, value: "1234574" }],
    ["655969", { ok: true, value: "655969" }],
    ["123455", { ok: false, reason: "length_digit" }],
    ["123456", { ok: false, reason: "check_digit" }],
  ])("with a required length digit: %j", (ref, expected) => {
    expect(validateOcr(ref, { requireLengthDigit: true })).toEqual(expected);
  });

  it("accepts a 25-digit reference", () => {
    const ref = makeOcr("9".repeat(23));
    expect(validateOcr(ref)).toEqual({ ok: true, value: ref });
  });
});

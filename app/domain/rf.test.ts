import { describe, expect, it } from "vitest";
import { formatRf, isValidRf, makeRf, rfForInvoice } from "./rf";

// Every vector of payment-formats.md §5c.
describe("makeRf", () => {
  it.each([
    ["655969", "RF71655969"],
    ["INV2026001", "RF10INV2026001"],
    ["4", "RF904"],
    ["539007547034", "RF18539007547034"],
    // Lower case and print spaces are normalised before the check digits are computed.
    ["inv 2026 001", "RF10INV2026001"],
  ])("%s → %s", (reference, rf) => {
    expect(makeRf(reference)).toBe(rf);
    expect(isValidRf(rf)).toBe(true);
  });

  it.each(["", "ABC-123", "Å1", "1234567890123456789012"])("refuses %j", (reference) => {
    expect(() => makeRf(reference)).toThrow(RangeError);
  });

  it("accepts the longest reference, 21 characters (25 with RF and check digits)", () => {
    expect(makeRf("123456789012345678901")).toHaveLength(25);
  });
});

describe("isValidRf", () => {
  it.each([
    ["RF18 5390 0754 7034", true],
    ["RF18539007547034", true],
    ["rf18 5390 0754 7034", true],
    ["RF71655969", true],
    ["RF10INV2026001", true],
    ["RF904", true],
    ["RF19 5390 0754 7034", false], // wrong check digits
    ["RF18 5390 0754 7035", false], // one digit changed
    ["RF18 5390 0754 7043", false], // two digits swapped
    ["RF0236", true],
    ["RF9936", false], // passes mod 97 (99 ≡ 02) but 99 is not an ISO 11649 check pair
    ["RF18", false],
    ["DE18539007547034", false],
    ["RF1A539007547034", false],
    ["RF181234567890123456789012", false], // 22 characters after the check digits
  ])("%s → %s", (input, valid) => {
    expect(isValidRf(input)).toBe(valid);
  });
});

describe("formatRf", () => {
  it.each([
    ["RF18539007547034", "RF18 5390 0754 7034"],
    ["RF71655969", "RF71 6559 69"],
    ["RF904", "RF90 4"],
    ["rf10 inv2026001", "RF10 INV2 0260 01"],
  ])("%s → %s", (rf, printed) => {
    expect(formatRf(rf)).toBe(printed);
  });
});

describe("rfForInvoice", () => {
  it("uses the OCR number when it fits", () => {
    expect(rfForInvoice({ ocr: "655969", number: "2026-1042" })).toBe("RF71655969");
  });

  it("falls back to the invoice number without separators when the OCR is longer than 21 digits", () => {
    expect(rfForInvoice({ ocr: "1234567890123456789012", number: "INV-2026/001" })).toBe("RF10INV2026001");
  });

  it("is null when neither fits", () => {
    expect(rfForInvoice({ ocr: "1234567890123456789012", number: "Å-ÄÖ" })).toBeNull();
  });
});

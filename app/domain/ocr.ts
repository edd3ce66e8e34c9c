// Bankgiro OCR references: digits only, Luhn ("10-modul") check digit last,
// optionally a length digit just before it (payment-formats.md §4).

export const OCR_MIN_LENGTH = 2;
export const OCR_MAX_LENGTH = 25;

const DIGITS = /^[0-9]+$/;

/** Luhn check digit for `digits` (weights 2,1,2,1… from the right). */
export function luhnCheckDigit(digits: string): number {
  if (!DIGITS.test(digits)) throw new Error("Luhn input must be one or more digits");
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    const digit = Number(digits[digits.length - 1 - i]);
    const weighted = i % 2 === 0 ? digit * 2 : digit;
    sum += weighted > 9 ? weighted - 9 : weighted;
  }
  return (10 - (sum % 10)) % 10;
}

/** True when the last digit is the Luhn check digit of the digits before it. */
export function isLuhnValid(digits: string): boolean {
  if (digits.length < 2 || !DIGITS.test(digits)) return false;
  return luhnCheckDigit(digits.slice(0, -1)) === Number(digits[digits.length - 1]);
}

/** Appends the optional length digit (total length mod 10) and then the Luhn check digit. */
export function makeOcr(base: string, { lengthDigit = true }: { lengthDigit?: boolean } = {}): string {
  if (!DIGITS.test(base)) throw new Error("OCR base must be one or more digits");
  const totalLength = base.length + (lengthDigit ? 2 : 1);
  if (totalLength > OCR_MAX_LENGTH) {
    throw new Error(`OCR reference would have ${totalLength} digits; at most ${OCR_MAX_LENGTH} are allowed`);
  }
  const withLength = lengthDigit ? base + String(totalLength % 10) : base;
  return withLength + String(luhnCheckDigit(withLength));
}

/** OCR reference for a non-negative integer (e.g. an invoice sequence number), with length digit. */
export function makeOcrFromNumber(n: bigint | number): string {
  if (typeof n === "number" && !Number.isSafeInteger(n)) {
    throw new Error("OCR number must be a safe integer");
  }
  if (n < 0) throw new Error("OCR number must not be negative");
  return makeOcr(n.toString());
}

/** Whether the second-to-last digit equals the total length mod 10 (agreement "variabel längd"). */
export function hasValidLengthDigit(ref: string): boolean {
  if (ref.length < 2 || !DIGITS.test(ref)) return false;
  return Number(ref[ref.length - 2]) === ref.length % 10;
}

export type OcrProblem = "not_digits" | "length" | "check_digit" | "length_digit";
export type OcrValidation = { ok: true; value: string } | { ok: false; reason: OcrProblem };

/**
 * Checks digits, length 2–25 and the Luhn digit. The payee's agreement decides whether a length
 * digit is required, so that check is opt-in.
 */
export function validateOcr(
  ref: string,
  { requireLengthDigit = false }: { requireLengthDigit?: boolean } = {},
): OcrValidation {
  // Printed references are often grouped with spaces.
  const value = ref.replace(/ /g, "");
  if (!DIGITS.test(value)) return { ok: false, reason: "not_digits" };
  if (value.length < OCR_MIN_LENGTH || value.length > OCR_MAX_LENGTH) return { ok: false, reason: "length" };
  if (!isLuhnValid(value)) return { ok: false, reason: "check_digit" };
  if (requireLengthDigit && !hasValidLengthDigit(value)) return { ok: false, reason: "length_digit" };
  return { ok: true, value };
}

// ISO 11649 creditor references ("RF"), the structured reference for IBAN payments
// (payment-formats.md §5c). The check is IBAN's mod-97 with "RF" as the country code, so the
// arithmetic is the one in identifiers.ts, not a second copy.
import { ibanCheckDigits } from "./identifiers";

/** ISO 11649 allows 1–21 characters after "RF" and the two check digits (25 in all). */
export const RF_MAX_REFERENCE_LENGTH = 21;

const REFERENCE = /^[A-Z0-9]{1,21}$/;
const PRINTED = /^RF\d{2}[A-Z0-9]{1,21}$/;

const compact = (input: string) => input.replace(/\s+/g, "").toUpperCase();

/** "655969" → "RF71655969". Throws when the reference is not 1–21 letters or digits. */
export function makeRf(reference: string): string {
  const body = compact(reference);
  if (!REFERENCE.test(body)) {
    throw new RangeError(`An RF reference needs 1 to ${RF_MAX_REFERENCE_LENGTH} letters or digits, got ${JSON.stringify(reference)}`);
  }
  return `RF${ibanCheckDigits("RF", body)}${body}`;
}

/**
 * True for a well-formed RF reference whose check digits are right; spaces and case are
 * ignored, as printed references are grouped. Check digits are 02–98, so comparing with the
 * computed pair is the mod-97 = 1 test without its aliases (e.g. "99" for "02").
 */
export function isValidRf(input: string): boolean {
  const value = compact(input);
  if (!PRINTED.test(value)) return false;
  return ibanCheckDigits("RF", value.slice(4)) === value.slice(2, 4);
}

/** Print form in groups of four: "RF18539007547034" → "RF18 5390 0754 7034". Does not validate. */
export function formatRf(rf: string): string {
  return compact(rf).replace(/(.{4})(?=.)/g, "$1 ");
}

/**
 * The invoice's RF reference: from its OCR number (what the payer's bank matches on at home),
 * or from the invoice number without separators when the OCR is too long. Null when neither fits.
 */
export function rfForInvoice(invoice: { ocr: string; number: string }): string | null {
  for (const candidate of [invoice.ocr, invoice.number.replace(/[^A-Za-z0-9]/g, "")]) {
    if (REFERENCE.test(compact(candidate))) return makeRf(candidate);
  }
  return null;
}

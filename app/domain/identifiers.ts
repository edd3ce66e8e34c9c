// Validation and normalisation of payment and company identifiers (payment-formats.md §7).
import { isLuhnValid } from "./ocr";

export type IdentifierResult = { ok: true; value: string } | { ok: false; message: string };

const ok = (value: string): IdentifierResult => ({ ok: true, value });
const fail = (message: string): IdentifierResult => ({ ok: false, message });

const stripSpaces = (input: string): string => input.replace(/\s+/g, "");

/**
 * Swedish organisationsnummer, normalised to NNNNNN-NNNN. Sole traders use their personnummer as
 * organisation number, so a personnummer (or samordningsnummer) is accepted too.
 */
export function validateOrgNumber(input: string): IdentifierResult {
  const compact = stripSpaces(input);
  if (!/^\d{6}-?\d{4}$/.test(compact)) return fail("Organisation number must have 10 digits, as NNNNNN-NNNN");
  const digits = compact.replace("-", "");
  if (!isLuhnValid(digits)) return fail("Organisation number has a wrong check digit");
  // Legal entities have 20+ in the "month" position; otherwise it must look like a birth date.
  const month = Number(digits.slice(2, 4));
  const day = Number(digits.slice(4, 6));
  const isEntity = month >= 20;
  const isPerson = month >= 1 && month <= 12 && ((day >= 1 && day <= 31) || (day >= 61 && day <= 91));
  if (!isEntity && !isPerson) return fail("Organisation number is neither a company nor a personal number");
  return ok(`${digits.slice(0, 6)}-${digits.slice(6)}`);
}

/** VAT number, uppercase without separators. Swedish ones fully checked, other EU ones by shape. */
export function validateVatNumber(input: string): IdentifierResult {
  const value = input.replace(/[\s.-]+/g, "").toUpperCase();
  if (!/^[A-Z]{2}/.test(value)) return fail("VAT number must start with a two-letter country code");
  if (value.startsWith("SE")) {
    if (!/^SE\d{12}$/.test(value)) return fail("Swedish VAT number must be SE followed by 12 digits");
    if (!value.endsWith("01")) return fail("Swedish VAT number must end in 01");
    const orgNumber = validateOrgNumber(value.slice(2, 12));
    if (!orgNumber.ok) return fail(orgNumber.message.replace("Organisation number", "Swedish VAT number"));
    return ok(value);
  }
  if (!/^[A-Z]{2}[A-Z0-9]{2,13}$/.test(value)) {
    return fail("VAT number must be a country code followed by 2 to 13 letters or digits");
  }
  return ok(value);
}

/** Bankgiro number: 7 or 8 digits with a Luhn check digit, normalised to NNN-NNNN / NNNN-NNNN. */
export function validateBankgiro(input: string): IdentifierResult {
  const compact = stripSpaces(input);
  if (!/^\d+-?\d+$/.test(compact)) return fail("Bankgiro number may contain only digits and one dash");
  const digits = compact.replace("-", "");
  if (digits.length < 7 || digits.length > 8) return fail("Bankgiro number must have 7 or 8 digits");
  if (!isLuhnValid(digits)) return fail("Bankgiro number has a wrong check digit");
  return ok(`${digits.slice(0, -4)}-${digits.slice(-4)}`);
}

/** Plusgiro number: 2–8 digits with a Luhn check digit, normalised with a dash before it. */
export function validatePlusgiro(input: string): IdentifierResult {
  const compact = stripSpaces(input);
  if (!/^\d+(-\d)?$/.test(compact)) return fail("Plusgiro number may contain only digits and a dash before the last one");
  const digits = compact.replace("-", "");
  if (digits.length < 2 || digits.length > 8) return fail("Plusgiro number must have 2 to 8 digits");
  if (!isLuhnValid(digits)) return fail("Plusgiro number has a wrong check digit");
  return ok(`${digits.slice(0, -1)}-${digits.slice(-1)}`);
}

/** IBAN lengths per country (ISO 13616 registry). Countries not listed get the generic 15–34. */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  SE: 24, DE: 22, GB: 22, DK: 18, FI: 18, NO: 15, FR: 27, NL: 18, ES: 24,
  AT: 20, BE: 16, CH: 21, EE: 20, IE: 22, IS: 26, IT: 27, LT: 20, LU: 20, LV: 21, PL: 28, PT: 25,
};

/** Remainder mod 97 of the number formed by the characters, letters mapped A=10 … Z=35. */
function mod97(alphanumeric: string): number {
  let remainder = 0;
  for (const char of alphanumeric) {
    const value = parseInt(char, 36); // "0"–"9" → 0–9, "A"–"Z" → 10–35
    remainder = value < 10 ? (remainder * 10 + value) % 97 : (remainder * 100 + value) % 97;
  }
  return remainder;
}

/** The two IBAN check digits for a country code and BBAN. */
export function ibanCheckDigits(countryCode: string, bban: string): string {
  const country = countryCode.toUpperCase();
  const body = stripSpaces(bban).toUpperCase();
  if (!/^[A-Z]{2}$/.test(country) || !/^[A-Z0-9]+$/.test(body)) {
    throw new Error("IBAN check digits need a two-letter country code and an alphanumeric BBAN");
  }
  return String(98 - mod97(body + country + "00")).padStart(2, "0");
}

/** IBAN, normalised to uppercase without spaces. */
export function validateIban(input: string): IdentifierResult {
  const value = stripSpaces(input).toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(value)) {
    return fail("IBAN must be a country code, two check digits and letters or digits");
  }
  const country = value.slice(0, 2);
  const expectedLength = IBAN_LENGTHS[country];
  if (expectedLength !== undefined && value.length !== expectedLength) {
    return fail(`IBAN for ${country} must have ${expectedLength} characters`);
  }
  if (value.length < 15 || value.length > 34) return fail("IBAN must have 15 to 34 characters");
  if (mod97(value.slice(4) + value.slice(0, 4)) !== 1) return fail("IBAN has wrong check digits");
  return ok(value);
}

/** Print form: uppercase in groups of four ("SE45 5000 0000 …"). Does not validate. */
export function formatIban(iban: string): string {
  return stripSpaces(iban).toUpperCase().replace(/(.{4})(?=.)/g, "$1 ");
}

/** BIC / SWIFT code: 8 or 11 characters, normalised to uppercase. */
export function validateBic(input: string): IdentifierResult {
  const value = stripSpaces(input).toUpperCase();
  if (value.length !== 8 && value.length !== 11) return fail("BIC must have 8 or 11 characters");
  if (!/^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(value)) {
    return fail("BIC must be a 4-letter bank code, a 2-letter country code and a location code");
  }
  return ok(value);
}

/**
 * Swish payee: a business number (10 digits starting 123) kept as is, or a Swedish mobile number
 * normalised to the international form 467XXXXXXXX that the Swish API uses for aliases.
 */
export function validateSwishNumber(input: string): IdentifierResult {
  const digits = input.replace(/[\s()-]+/g, "").replace(/^(\+|00)46/, "46");
  if (/^123\d{7}$/.test(digits)) return ok(digits);
  if (/^07\d{8}$/.test(digits)) return ok(`46${digits.slice(1)}`);
  if (/^467\d{8}$/.test(digits)) return ok(digits);
  return fail("Swish number must be a business number starting with 123 or a Swedish mobile number");
}

/**
 * IANA time zone accepted by Intl. Only the letter case is normalised ("europe/stockholm" →
 * "Europe/Stockholm"): engines map aliases to dated names (Europe/Kyiv → Europe/Kiev), so an
 * accepted alias is kept as given.
 */
export function validateTimeZone(input: string): IdentifierResult {
  const name = input.trim();
  if (name === "") return fail("Time zone is empty");
  try {
    const resolved = new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
    // Newer engines accept offsets like "+01:00"; those are not IANA names and ignore DST.
    if (!/^[A-Za-z]/.test(resolved)) return fail("Time zone must be an IANA name such as Europe/Stockholm");
    return ok(resolved.toLowerCase() === name.toLowerCase() ? resolved : name);
  } catch {
    return fail("Time zone is not a known IANA time zone");
  }
}

export function isValidTimeZone(input: string): boolean {
  return validateTimeZone(input).ok;
}

// The Swish "prefilled" QR payload, C-format `C<payee>;<amount>;<message>;<mask>`
// (payment-formats.md §1a, Getswish QR-code API manual §6.1).
import { toMajorUnitString } from "./money";

/**
 * The Commerce API's message rules, the strictest published ones: the C-format section itself
 * states no limit (UNCONFIRMED), so we keep to what every Swish channel accepts.
 */
export const SWISH_MESSAGE_MAX_LENGTH = 50;
const MESSAGE_CHARACTERS = /^[A-Za-z0-9ÅÄÖåäö :;.,?!()-]*$/;

/** Swish's limit for one payment, 999 999 999 999,99 kr. */
export const SWISH_MAX_AMOUNT = 99_999_999_999_999;

/** Which fields the payer may change in the app. Invoices lock all three. */
export type SwishEditable = { payee?: boolean; amount?: boolean; message?: boolean };

export type SwishQrInput = {
  /** A business number (123xxxxxxx) or a Swedish mobile number (07…, +467…, 467…). */
  payee: string;
  /** SEK in öre; Swish takes no other currency. */
  amount: number;
  message?: string;
  editable?: SwishEditable;
};

export class SwishQrError extends Error {
  override readonly name = "SwishQrError";
  constructor(readonly code: "payee" | "amount" | "message", message: string) {
    super(message);
  }
}

/**
 * The payee as written in the QR. Business numbers as they are; mobile numbers in the national
 * form 07XXXXXXXX that public encoders use (whether the app also reads 467… is UNCONFIRMED).
 */
export function swishPayee(input: string): string {
  const digits = input.replace(/[\s()-]+/g, "").replace(/^(\+|00)46/, "46");
  if (/^123\d{7}$/.test(digits) || /^07\d{8}$/.test(digits)) return digits;
  if (/^467\d{8}$/.test(digits)) return `0${digits.slice(2)}`;
  throw new SwishQrError("payee", "Swish payee must be a business number (123…) or a Swedish mobile number");
}

/** The lock mask: a set bit means EDITABLE (payee 1, amount 2, message 4); 0 locks everything. */
export function swishMask(editable: SwishEditable = {}): number {
  return (editable.payee ? 1 : 0) | (editable.amount ? 2 : 0) | (editable.message ? 4 : 0);
}

/** "150000" öre → "1500,00": two decimals with a comma, as the specification writes it. */
export function swishAmount(minor: number): string {
  if (!Number.isSafeInteger(minor) || minor < 1 || minor > SWISH_MAX_AMOUNT) {
    throw new SwishQrError("amount", "Swish amount must be between 0,01 and 999 999 999 999,99 SEK");
  }
  return toMajorUnitString(minor, "SEK").replace(".", ",");
}

export function isValidSwishMessage(message: string): boolean {
  return message.length <= SWISH_MESSAGE_MAX_LENGTH && MESSAGE_CHARACTERS.test(message);
}

/**
 * The QR text. The message is percent-encoded (UTF-8 for åäö: assumed, UNCONFIRMED), so a ";"
 * in it cannot end the field and the payload stays ASCII.
 */
export function swishQrPayload(input: SwishQrInput): string {
  const message = input.message ?? "";
  if (!isValidSwishMessage(message)) {
    throw new SwishQrError(
      "message",
      `Swish message must be at most ${SWISH_MESSAGE_MAX_LENGTH} characters of A–Ö, a–ö, 0–9, space and :;.,?!()-`,
    );
  }
  const fields = [swishPayee(input.payee), swishAmount(input.amount), encodeURIComponent(message), swishMask(input.editable)];
  return `C${fields.join(";")}`;
}

export type ParsedSwishQr = {
  payee: string;
  /** Öre; null when the field is empty. */
  amount: number | null;
  message: string;
  editable: Required<SwishEditable>;
};

/**
 * Reads a C-format payload back, leniently: the amount may also be an integer ("100") as community
 * encoders write it, and an omitted mask means 0. For tests and for checking printed codes.
 */
export function parseSwishQr(payload: string): ParsedSwishQr | null {
  const match = /^C([^;]*)(?:;([^;]*)(?:;([^;]*)(?:;(\d*))?)?)?$/.exec(payload);
  if (!match) return null;
  const [, payee = "", amountText = "", encoded = "", maskText = ""] = match;
  const amount = /^\d+(,\d{1,2})?$/.exec(amountText);
  if (amountText !== "" && !amount) return null;
  const [whole, fraction = ""] = amountText.split(",") as [string, string?];
  const mask = maskText === "" ? 0 : Number(maskText);
  if (mask > 7) return null;
  let message: string;
  try {
    message = decodeURIComponent(encoded);
  } catch {
    return null;
  }
  return {
    payee,
    amount: amountText === "" ? null : Number(whole) * 100 + Number(fraction.padEnd(2, "0")),
    message,
    editable: { payee: (mask & 1) !== 0, amount: (mask & 2) !== 0, message: (mask & 4) !== 0 },
  };
}

/** For people: "123 118 11 89", "070-812 34 56" (the way Swish and phone numbers are printed). */
export function formatSwishNumber(input: string): string {
  const payee = swishPayee(input);
  return payee.startsWith("123")
    ? payee.replace(/^(\d{3})(\d{3})(\d{2})(\d{2})$/, "$1 $2 $3 $4")
    : payee.replace(/^(\d{3})(\d{3})(\d{2})(\d{2})$/, "$1-$2 $3 $4");
}

/**
 * A link that opens the Swish app with payee, amount and message filled in and locked.
 *
 * UNCONFIRMED: no official specification was found for this address; it is the form seen in
 * public code (`https://app.swish.nu/1/p/sw/?sw=&amt=&cur=SEK&msg=&src=qr`, a comment there
 * citing developer.swish.nu's QR guide), where mobile numbers are written 467…, the amount with a
 * "." and leaving out `edit=` locks the fields. Offer it only beside the number to type.
 */
export function swishAppLink(input: { payee: string; amount: number; message: string }): string {
  if (!isValidSwishMessage(input.message)) throw new SwishQrError("message", "Swish message has characters Swish does not accept");
  const payee = swishPayee(input.payee);
  const params = new URLSearchParams({
    sw: payee.startsWith("07") ? `46${payee.slice(1)}` : payee,
    amt: swishAmount(input.amount).replace(",", "."),
    cur: "SEK",
    msg: input.message,
    src: "qr",
  });
  return `https://app.swish.nu/1/p/sw/?${params.toString()}`;
}

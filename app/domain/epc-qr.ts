// The EPC QR code (EPC069-12, "GiroCode") for a SEPA credit transfer in EUR
// (payment-formats.md §3). Lines separated by LF; empty optional lines stay, trailing ones go.
import { validateBic, validateIban } from "./identifiers";
import { toMajorUnitString } from "./money";
import { isValidRf } from "./rf";

/** The standard's limit: QR version 13 at error correction M holds 331 bytes. */
export const EPC_MAX_BYTES = 331;
/** Characters per line: name (AT-21), purpose, structured RF (AT-05), unstructured text (AT-05), information. */
export const EPC_LIMITS = { name: 70, purpose: 4, reference: 35, text: 140, information: 70 } as const;
/** 999 999 999,99 EUR */
export const EPC_MAX_AMOUNT = 99_999_999_999;

export type EpcVersion = "001" | "002";

export type EpcQrInput = {
  /** 002 (the default) makes the BIC optional inside the EEA; 001 requires it. */
  version?: EpcVersion;
  bic?: string | null;
  name: string;
  iban: string;
  /** Cents; omitted lets the payer type the amount. */
  amount?: number | null;
  /** ISO 20022 purpose code, e.g. "GDDS". */
  purpose?: string | null;
  /** An RF creditor reference. Either this or `text`, never both. */
  reference?: string | null;
  text?: string | null;
  /** Shown to the payer only. */
  information?: string | null;
};

export class EpcQrError extends Error {
  override readonly name = "EpcQrError";
  constructor(readonly field: keyof EpcQrInput | "payload", message: string) {
    super(message);
  }
}

// Line breaks inside a field would shift every later line.
const oneLine = (value: string | null | undefined) => (value ?? "").replace(/[\r\n]+/g, " ").trim();

function limited(field: keyof typeof EPC_LIMITS, value: string): string {
  // The limits are characters (the text is UTF-8, charset 1), so count code points, not UTF-16 units.
  if ([...value].length > EPC_LIMITS[field]) {
    throw new EpcQrError(field, `${field} may have at most ${EPC_LIMITS[field]} characters`);
  }
  return value;
}

/** "EUR1042.50": EUR, a "." and always two decimals (the standard allows at most two). */
export function epcAmount(cents: number): string {
  if (!Number.isSafeInteger(cents) || cents < 1 || cents > EPC_MAX_AMOUNT) {
    throw new EpcQrError("amount", "amount must be between 0.01 and 999999999.99 EUR");
  }
  return `EUR${toMajorUnitString(cents, "EUR")}`;
}

export function epcQrPayload(input: EpcQrInput): string {
  const version = input.version ?? "002";
  let bic = "";
  if (input.bic) {
    const checked = validateBic(input.bic);
    if (!checked.ok) throw new EpcQrError("bic", checked.message);
    bic = checked.value;
  } else if (version === "001") {
    throw new EpcQrError("bic", "version 001 requires the BIC");
  }
  const name = limited("name", oneLine(input.name));
  if (name === "") throw new EpcQrError("name", "name must not be empty");
  const iban = validateIban(input.iban);
  if (!iban.ok) throw new EpcQrError("iban", iban.message);
  const purpose = limited("purpose", oneLine(input.purpose));
  if (purpose !== "" && !/^[A-Z0-9]{4}$/.test(purpose)) throw new EpcQrError("purpose", "purpose must be a 4-character code");
  const reference = oneLine(input.reference).replace(/\s+/g, "").toUpperCase();
  const text = oneLine(input.text);
  if (reference !== "" && text !== "") {
    throw new EpcQrError("reference", "give either a structured reference or a text, not both");
  }
  if (reference !== "" && !isValidRf(reference)) throw new EpcQrError("reference", "reference must be a valid RF creditor reference");

  const lines = [
    "BCD",
    version,
    "1", // UTF-8
    "SCT",
    bic,
    name,
    iban.value,
    input.amount == null ? "" : epcAmount(input.amount),
    purpose,
    limited("reference", reference),
    limited("text", text),
    limited("information", oneLine(input.information)),
  ];
  while (lines[lines.length - 1] === "") lines.pop();
  const payload = lines.join("\n");
  if (new TextEncoder().encode(payload).length > EPC_MAX_BYTES) {
    throw new EpcQrError("payload", `the EPC payload may have at most ${EPC_MAX_BYTES} bytes`);
  }
  return payload;
}

export type ParsedEpcQr = {
  version: EpcVersion;
  bic: string;
  name: string;
  iban: string;
  /** Cents; null when the line is empty. */
  amount: number | null;
  purpose: string;
  reference: string;
  text: string;
  information: string;
};

/** Reads a payload back (LF or CR LF). For tests and for checking printed codes. */
export function parseEpcQr(payload: string): ParsedEpcQr | null {
  const lines = payload.split(/\r?\n/);
  const [tag, version, charset, identification] = lines;
  if (tag !== "BCD" || (version !== "001" && version !== "002") || charset !== "1" || identification !== "SCT") return null;
  const line = (index: number) => lines[index] ?? "";
  const amountText = line(7);
  const amount = /^EUR(\d{1,9})(?:\.(\d{1,2}))?$/.exec(amountText);
  if (amountText !== "" && !amount) return null;
  return {
    version,
    bic: line(4),
    name: line(5),
    iban: line(6),
    amount: amount ? Number(amount[1]) * 100 + Number((amount[2] ?? "").padEnd(2, "0")) : null,
    purpose: line(8),
    reference: line(9),
    text: line(10),
    information: line(11),
  };
}

// The Swedish invoice QR that bank apps scan ("QR-kod på faktura"): UsingQR by Visma, a compact
// JSON object with no whitespace (payment-formats.md §2).
//
// UNCONFIRMED, because the specification (revision 2, June 2014) could not be read; the fields
// come from an implementation (weep/UsingQR) and a blog example:
// - which fields are mandatory (the examples always carry uqr, tp, nme, cid, iref, ddt, due, pt, acc;
//   so we require nme, iref, ddt, due, pt and acc, and write cid whenever the supplier has one);
// - maximum lengths of the strings (we limit nothing beyond what the QR itself holds);
// - how `due` is written: the examples use a JSON number with "." (`5`, `1042.50`); we always write
//   the exact decimal with the currency's decimals, never through a float;
// - the character set for åäö (the QR text is UTF-8 here, like the EPC code's charset 1);
// - which bank apps still scan it today.
import { toMajorUnitString, type CurrencyCode } from "./money";

export type InvoiceQrPaymentType = "BG" | "PG" | "IBAN" | "BBAN";

export type InvoiceQrInput = {
  /** 1 invoice, 2 credit note, 3 cash invoice. Only invoices are built here so far. */
  type?: 1 | 2 | 3;
  payeeName: string;
  /** Organisation number or VAT id, e.g. "556016-0680". */
  companyId?: string | null;
  /** ISO 3166 alpha-2 country of the payee. */
  countryCode?: string | null;
  /** The OCR number (or the invoice number where there is no OCR agreement). */
  reference: string;
  /** YYYY-MM-DD */
  invoiceDate?: string | null;
  /** YYYY-MM-DD */
  dueDate: string;
  /** Minor units; positive for an invoice. */
  amount: number;
  currency?: CurrencyCode | null;
  paymentType: InvoiceQrPaymentType;
  /** In the form `paymentType` names: "991-2346" for BG, an IBAN without spaces, … */
  account: string;
  /** BIC or bank code. */
  bankCode?: string | null;
};

export class InvoiceQrError extends Error {
  override readonly name = "InvoiceQrError";
  constructor(readonly field: keyof InvoiceQrInput, message: string) {
    super(message);
  }
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function compactDate(field: "invoiceDate" | "dueDate", date: string): string {
  const match = ISO_DATE.exec(date);
  if (!match) throw new InvoiceQrError(field, `${field} must be a date as YYYY-MM-DD`);
  return `${match[1]}${match[2]}${match[3]}`;
}

function required(field: keyof InvoiceQrInput, value: string): string {
  if (value.trim() === "") throw new InvoiceQrError(field, `${field} must not be empty`);
  return value;
}

/**
 * The JSON text, keys in the order of the published examples. Built by hand because `due` is
 * written as an exact decimal literal ("1042.50"), which JSON.stringify of a number cannot do.
 */
export function invoiceQrPayload(input: InvoiceQrInput): string {
  const type = input.type ?? 1;
  if (!Number.isSafeInteger(input.amount) || (type === 1 && input.amount <= 0)) {
    throw new InvoiceQrError("amount", "amount must be a positive integer of minor units for an invoice");
  }
  if (input.countryCode != null && !/^[A-Z]{2}$/.test(input.countryCode)) {
    throw new InvoiceQrError("countryCode", "countryCode must be two capital letters");
  }
  const fields: [string, string | number][] = [
    ["uqr", 1],
    ["tp", type],
    ["nme", required("payeeName", input.payeeName)],
  ];
  if (input.companyId) fields.push(["cid", input.companyId]);
  if (input.countryCode) fields.push(["cc", input.countryCode]);
  fields.push(["iref", required("reference", input.reference)]);
  if (input.invoiceDate) fields.push(["idt", compactDate("invoiceDate", input.invoiceDate)]);
  fields.push(["ddt", compactDate("dueDate", input.dueDate)]);
  const due = toMajorUnitString(input.amount, input.currency ?? "SEK");
  const parts = fields.map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`);
  parts.push(`"due":${due}`);
  if (input.currency) parts.push(`"cur":${JSON.stringify(input.currency)}`);
  parts.push(`"pt":${JSON.stringify(input.paymentType)}`, `"acc":${JSON.stringify(required("account", input.account))}`);
  if (input.bankCode) parts.push(`"bc":${JSON.stringify(input.bankCode)}`);
  return `{${parts.join(",")}}`;
}

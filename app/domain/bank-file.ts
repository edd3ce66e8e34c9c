// What a bank reconciliation file (BgMax from Bankgirot, ISO 20022 camt.054 from a bank) says,
// in one shape whatever its format: which account received which payments, each with the bank's
// own transaction id (what makes a re-import change nothing, security P8) and its references.
// Pure: the parsers (bgmax.ts, camt054.ts) produce it; services/bank-file-import.server.ts applies it.

export type BankFileFormat = "bgmax" | "camt054";

export type BankPayment = {
  /**
   * The bank's id of this payment, stable across re-deliveries of the same file and unique per
   * receiving account: BgMax "<payee bankgiro>:<payment date>:<BGC serial>", camt.054 the entry's
   * AcctSvcrRef (or EndToEndId) plus the transaction's position when it has several.
   */
  transactionId: string;
  /** payment: money in; deduction: a credit note the payer deducted (BgMax TK21), a negative amount. */
  kind: "payment" | "deduction";
  /** Minor units (öre, cent); negative for deductions. */
  amount: number;
  currency: string;
  /** The booking/payment date, YYYY-MM-DD. */
  date: string;
  /**
   * The references it pays, in order: OCR numbers or RF references as printed on the invoices (a
   * multi-invoice payment names several). Empty when the payer gave none that could be read.
   */
  references: string[];
  /**
   * Whether the bank passed the references on as references (BgMax code 2/4, camt structured).
   * False: they were found in the payer's text (they pass the OCR or RF check, nothing more), so
   * they only count when they name an open invoice exactly.
   */
  referenceChecked: boolean;
  /**
   * Each reference's part of the amount, in `references` order, when the file gives every part
   * (BgMax TK22 amounts, camt.054 RmtdAmt) and they add up to the amount; null: split in the
   * payer's order.
   */
  shares: number[] | null;
  /**
   * References the payer subtracted instead of paying (BgMax TK23, a camt.054 credit note), with
   * the amount when given (positive). Their invoices are not paid by this payment.
   */
  deductions: { reference: string; amount: number | null }[];
  /** Display-only fields that were malformed (a payer bankgiro, an org number): shown, never booked on. */
  warnings: string[];
  freeText: string | null;
  payerName: string | null;
  /** The payer's own account as the file shows it (BgMax TK20/21 bankgiro): display only. */
  payerAccount?: string | null;
  payerOrgNumber: string | null;
  /** Where in the file it is, for error and report messages: the line (BgMax) or entry (camt). */
  position: string;
};

export type BankFile = {
  format: BankFileFormat;
  /** The receiving account as the file names it: a bankgiro number (digits) or an IBAN. */
  account: { bankgiro: string | null; iban: string | null };
  /** When the bank made the file (ISO 8601), if it says. */
  createdAt: string | null;
  /** BgMax marks test files with T: importing one would book money that never arrived. */
  test: boolean;
  payments: BankPayment[];
};

export type BankFileError = { position: string; message: string };

/** Both readers' limits (security D6): beyond them a file is refused by name, never half-read. */
export const BANK_FILE_LIMITS = {
  /** Bytes: a year of a busy supplier's BgMax files is far below it. */
  bytes: 20 * 1024 * 1024,
  /** Payments in one file: 20 MB of BgMax holds at most 262,144 records. */
  payments: 300_000,
  /** XML nesting: camt.054 needs about 15 levels (with an envelope around it). */
  depth: 64,
  /** Errors listed in a refusal: the first ones show what is wrong. */
  errors: 50,
} as const;

export type BankFileLimits = { -readonly [K in keyof typeof BANK_FILE_LIMITS]: number };

/** The first errors, and how many more there were. */
export function cappedErrors(errors: BankFileError[], max: number = BANK_FILE_LIMITS.errors): BankFileError[] {
  if (errors.length <= max) return errors;
  return [...errors.slice(0, max), { position: "file", message: `${errors.length - max} more errors not shown` }];
}

/** The size limit, checked before a byte is read. */
export function sizeError(bytes: Uint8Array, limits: BankFileLimits): BankFileError | null {
  if (bytes.length <= limits.bytes) return null;
  return { position: "file", message: `the file is ${bytes.length} bytes; at most ${limits.bytes} bytes (size limit) are accepted` };
}

export type BankFileResult = { ok: true; file: BankFile } | { ok: false; errors: BankFileError[] };

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
   * The structured references it names, in order: OCR numbers or RF references as printed on the
   * invoices (a multi-invoice payment names several). Empty when the payer gave none that the
   * bank could read (then `freeText` may hold what they wrote).
   */
  references: string[];
  /** Whether the bank checked the reference (BgMax code 2/4, camt SCOR): a mistyped one is false. */
  referenceChecked: boolean;
  freeText: string | null;
  payerName: string | null;
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

export type BankFileResult = { ok: true; file: BankFile } | { ok: false; errors: BankFileError[] };

// Books a parsed bank file (app/domain/bank-file.ts) into the payment ledger, inside the caller's
// transaction: each incoming payment whose OCR/RF reference names one of the supplier's invoices
// becomes a manual bank-transfer payment through the ledger's batch way in (openManualPaymentBatch:
// receipts, webhooks and events follow as for any payment, written set-based), and everything a
// person should look at is flagged.
//
// Re-importing books nothing (security P8): a payment's ledger reference is the bank's own
// transaction id (`bank:<id>`, `bank:<id>#<n>` for the n-th invoice of a split), unique per
// supplier for manual payments, and it is looked up before anything is applied.
//
// Money lands only on an invoice a reference names: a reference the bank passed on (checked) may
// be matched loosely (without leading zeros, an RF from the invoice number); one guessed from the
// payer's text only when it equals an open invoice's OCR or RF exactly. References the payer
// deducted (BgMax TK23, camt.054 credit notes) are never paid (payment-formats.md §5a′).
import type { Tx } from "../../../db/client";
import type { BankFile, BankPayment } from "~/domain/bank-file";
import { isSupportedCurrency, toMajorUnitString } from "~/domain/money";
import { isValidRf, rfForInvoice } from "~/domain/rf";
import {
  findBankPayments, findInvoicesByLooseReference, findInvoicesByOcr, type BookedBankPayment, type ReferencedInvoice,
} from "~/features/bank-files/db/bank-imports.server";
import { openManualPaymentBatch, type ManualPaymentBatch } from "~/features/payments/payments.server";

export const FLAG_KINDS = ["unmatched", "underpaid", "overpaid", "duplicate", "deduction", "currency", "cancelled"] as const;
export type FlagKind = (typeof FLAG_KINDS)[number];

export type BankFileFlag = {
  position: string;
  transaction_id: string;
  /** The reference the flag is about; null when the payment had none. */
  reference: string | null;
  /** The bank payment's amount (minor units), not the part of it the invoice got. */
  amount: number;
  currency: string;
  invoice_id: string | null;
  invoice_number: string | null;
  message: string;
};

export type ItemOutcome = "booked" | "already_imported" | "unmatched" | "deduction" | "currency" | "cancelled" | "not_booked";

export type BankFileItem = {
  position: string;
  transaction_id: string;
  kind: BankPayment["kind"];
  date: string;
  references: string[];
  reference_checked: boolean;
  amount: number;
  currency: string;
  payer_name: string | null;
  /** References the payer deducted (BgMax TK23, camt.054 credit notes): not paid by this payment. */
  deductions: string[];
  /** Display-only fields that were malformed, and splits that could not follow the payer's amounts. */
  warnings: string[];
  outcome: ItemOutcome;
  /** What each invoice got from this payment (0 when the money ran out before it), with its ledger payment. */
  invoices: { id: string; number: string; amount: number; payment_id: string | null }[];
  flags: FlagKind[];
};

export type BookingResult = {
  booked: number;
  already_imported: number;
  amount_booked: Record<string, number>;
  flags: Record<FlagKind, BankFileFlag[]>;
  items: BankFileItem[];
};

// ---- references --------------------------------------------------------------------------------

export type ClassifiedReference =
  | { kind: "ocr"; digits: string }
  | { kind: "rf"; rf: string; body: string }
  | { kind: "other"; why: string };

/** Printed references come grouped in fours and in any case; the ledger compares them compact. */
export function classifyReference(raw: string): ClassifiedReference {
  const compact = raw.replace(/\s+/g, "").toUpperCase();
  if (/^\d+$/.test(compact)) return { kind: "ocr", digits: compact };
  if (compact.startsWith("RF")) {
    return isValidRf(compact)
      ? { kind: "rf", rf: compact, body: compact.slice(4) }
      : { kind: "other", why: "not a valid RF reference (wrong check digits)" };
  }
  return { kind: "other", why: "not an OCR or RF reference" };
}

const withoutLeadingZeros = (digits: string) => digits.replace(/^0+/, "");

type Resolved = { invoice: ReferencedInvoice } | { invoice: null; why: string };
type Resolve = (reference: string, checked: boolean) => Resolved;

const isOpen = (invoice: ReferencedInvoice) => invoice.cancelledAt === null && invoice.amountPaid < invoice.total;

/**
 * Looks every reference of the file up in a few queries (exact OCR first, then the loose forms of
 * what is left) and answers a resolver. A loose form that fits several invoices matches none:
 * booking money on a guess is worse than flagging it. A reference guessed from free text
 * (`checked` false) gets no loose forms and only an open invoice (security P10).
 */
async function referenceResolver(tx: Tx, supplierId: string, file: BankFile): Promise<Resolve> {
  const classified = new Map<string, ClassifiedReference>();
  for (const payment of file.payments) {
    for (const reference of [...payment.references, ...payment.deductions.map((deduction) => deduction.reference)]) {
      if (!classified.has(reference)) classified.set(reference, classifyReference(reference));
    }
  }
  const exactKeys = [...classified.values()].flatMap((ref) => (ref.kind === "ocr" ? [ref.digits] : ref.kind === "rf" ? [ref.body] : []));
  const found = new Map<string, ReferencedInvoice>();
  for (const invoice of await findInvoicesByOcr(tx, supplierId, exactKeys)) found.set(invoice.id, invoice);
  const byOcr = new Map([...found.values()].map((invoice) => [invoice.ocr, invoice]));

  const trimmedDigits: string[] = [];
  const compactNumbers: string[] = [];
  for (const ref of classified.values()) {
    if (ref.kind === "ocr" && !byOcr.has(ref.digits) && withoutLeadingZeros(ref.digits) !== "") trimmedDigits.push(withoutLeadingZeros(ref.digits));
    if (ref.kind === "rf" && !byOcr.has(ref.body)) compactNumbers.push(ref.body);
  }
  for (const invoice of await findInvoicesByLooseReference(tx, supplierId, { trimmedDigits, compactNumbers })) found.set(invoice.id, invoice);
  const all = [...found.values()];

  const one = (candidates: ReferencedInvoice[], none: string): Resolved => {
    if (candidates.length === 1) return { invoice: candidates[0]! };
    return { invoice: null, why: candidates.length === 0 ? none : `fits ${candidates.length} invoices (${candidates.map((c) => c.number).join(", ")})` };
  };
  const checkedResolve = (ref: ClassifiedReference): Resolved => {
    if (ref.kind === "other") return { invoice: null, why: ref.why };
    if (ref.kind === "ocr") {
      const exact = byOcr.get(ref.digits);
      if (exact) return { invoice: exact };
      const trimmed = withoutLeadingZeros(ref.digits);
      return one(trimmed === "" ? [] : all.filter((invoice) => withoutLeadingZeros(invoice.ocr) === trimmed), "no invoice has this OCR reference");
    }
    return one(all.filter((invoice) => rfForInvoice(invoice) === ref.rf), "no invoice has this RF reference");
  };
  return (reference, checked) => {
    const ref = classified.get(reference) ?? classifyReference(reference);
    if (checked) return checkedResolve(ref);
    const exact = ref.kind === "ocr" ? byOcr.get(ref.digits) : ref.kind === "rf" ? all.find((invoice) => rfForInvoice(invoice) === ref.rf) : undefined;
    if (!exact) return { invoice: null, why: "read from the payer's text; no invoice has exactly this reference" };
    if (!isOpen(exact)) return { invoice: null, why: `read from the payer's text; invoice ${exact.number} is not open, so the guess is not used` };
    return { invoice: exact };
  };
}

// ---- allocation (P5) --------------------------------------------------------------------------------

/**
 * Splits a payment over invoices by the payer's own amounts for them (BgMax TK22, camt.054
 * RmtdAmt) when every invoice has one and they fit in the payment, the rest (the share of a
 * reference that matched nothing) on the last; otherwise by allocateAmount. Exact, like it.
 */
export function allocatePayment(amount: number, dues: readonly number[], shares: readonly (number | null)[]): number[] {
  const given = shares.filter((share): share is number => share !== null && Number.isSafeInteger(share) && share >= 0);
  const total = given.reduce((sum, share) => sum + share, 0);
  if (given.length !== dues.length || shares.length !== dues.length || total > amount) return allocateAmount(amount, dues);
  const parts = [...given];
  parts[parts.length - 1] = parts[parts.length - 1]! + amount - total;
  return parts;
}

/**
 * Splits a payment over invoices in the order the payer named them: each gets up to its amount
 * due, the last gets whatever is left (an over-payment lands there, visibly). Integer minor
 * units, so the parts always add up to the amount exactly.
 */
export function allocateAmount(amount: number, dues: readonly number[]): number[] {
  if (!Number.isSafeInteger(amount) || amount < 0) throw new RangeError(`amount must be a non-negative integer, got ${amount}`);
  if (dues.length === 0) throw new RangeError("allocateAmount needs at least one invoice");
  let rest = amount;
  return dues.map((due, index) => {
    if (index === dues.length - 1) return rest;
    const part = Math.min(Math.max(due, 0), rest);
    rest -= part;
    return part;
  });
}

// ---- booking ---------------------------------------------------------------------------------------

export const bankReference = (transactionId: string) => `bank:${transactionId}`;

/** Payment dates have no time; noon UTC keeps the day the same in every European time zone. */
const receivedAtOf = (date: string) => new Date(`${date}T12:00:00Z`);

/** Messages are read next to the bank statement: "12297.00 SEK", as the bank prints it. */
export function moneyText(minor: number, currency: string): string {
  return isSupportedCurrency(currency) ? `${toMajorUnitString(minor, currency)} ${currency}` : `${minor} (minor units) ${currency}`;
}

const emptyFlags = (): Record<FlagKind, BankFileFlag[]> =>
  Object.fromEntries(FLAG_KINDS.map((kind) => [kind, [] as BankFileFlag[]])) as Record<FlagKind, BankFileFlag[]>;

type Context = {
  tx: Tx;
  supplierId: string;
  file: BankFile;
  now: Date;
  resolve: Resolve;
  /** What earlier imports booked, by ledger reference (`bank:<id>`), looked up for the whole file at once. */
  earlier: Map<string, BookedBankPayment[]>;
  result: BookingResult;
};

function itemOf(payment: BankPayment): BankFileItem {
  return {
    position: payment.position,
    transaction_id: payment.transactionId,
    kind: payment.kind,
    date: payment.date,
    references: payment.references,
    reference_checked: payment.referenceChecked,
    amount: payment.amount,
    currency: payment.currency,
    payer_name: payment.payerName,
    deductions: payment.deductions.map((deduction) => deduction.reference),
    warnings: [...payment.warnings],
    outcome: "not_booked",
    invoices: [],
    flags: [],
  };
}

function flag(ctx: Context, item: BankFileItem, kind: FlagKind, detail: { reference?: string | null; invoice?: { id: string; number: string } | null; message: string }) {
  ctx.result.flags[kind].push({
    position: item.position,
    transaction_id: item.transaction_id,
    reference: detail.reference ?? (item.references.length === 1 ? item.references[0]! : null),
    amount: item.amount,
    currency: item.currency,
    invoice_id: detail.invoice?.id ?? null,
    invoice_number: detail.invoice?.number ?? null,
    message: detail.message,
  });
  if (!item.flags.includes(kind)) item.flags.push(kind);
}

type Match = { invoice: ReferencedInvoice; share: number | null };

/** The invoices a payment's references name, once each, in the payer's order, with their shares; the rest flagged unmatched. */
function matchInvoices(ctx: Context, payment: BankPayment, item: BankFileItem): Match[] {
  const matched: Match[] = [];
  payment.references.forEach((reference, index) => {
    const share = payment.shares?.[index] ?? null;
    const resolved = ctx.resolve(reference, payment.referenceChecked);
    if (resolved.invoice === null) {
      flag(ctx, item, "unmatched", { reference, message: `${reference}: ${resolved.why}` });
      return;
    }
    const known = matched.find((match) => match.invoice.id === resolved.invoice.id);
    if (!known) matched.push({ invoice: resolved.invoice, share });
    else if (known.share !== null && share !== null) known.share += share;
  });
  return matched;
}

/** A reference the payer subtracted: reported with its invoice (or credit note), never paid. */
function flagDeductions(ctx: Context, payment: BankPayment, item: BankFileItem) {
  for (const deduction of payment.deductions) {
    const resolved = ctx.resolve(deduction.reference, true);
    const amount = deduction.amount === null ? "" : ` (${moneyText(deduction.amount, payment.currency)})`;
    flag(ctx, item, "deduction", {
      reference: deduction.reference,
      invoice: resolved.invoice,
      message: `${deduction.reference}: the payer deducted it${amount} from this payment; it is not paid by it. Settle it by hand.`,
    });
  }
}

/**
 * Decides what a payment is, writing nothing: counted (booked by an earlier import), flagged and
 * left (unmatched, a deduction, another currency, a cancelled invoice), or to be booked on the
 * invoices it answers. Every payment that is not booked leaves here with its item's outcome and flags.
 */
function triage(ctx: Context, payment: BankPayment, item: BankFileItem): Match[] | null {
  // Before anything else: a transaction booked by an earlier import is counted, never applied again.
  // (The readers give every transaction of a file its own id, so nothing in the file is mistaken for it.)
  const earlier = ctx.earlier.get(bankReference(payment.transactionId)) ?? [];
  const earlierAmount = earlier.reduce((sum, row) => sum + row.amount, 0);
  if (earlier.length > 0 && earlierAmount !== payment.amount) {
    // The bank reused its id for another payment: not a re-import, and not bookable under that id.
    item.outcome = "not_booked";
    flag(ctx, item, "unmatched", {
      reference: null,
      message: `The bank's id ${payment.transactionId} was booked before for ${moneyText(earlierAmount, payment.currency)}; this is another payment of ${moneyText(payment.amount, payment.currency)}, not booked. Book it by hand.`,
    });
    return null;
  }
  if (earlier.length > 0) {
    item.outcome = "already_imported";
    item.invoices = earlier.map((row) => ({ id: row.invoiceId, number: row.invoiceNumber, amount: row.amount, payment_id: row.id }));
    ctx.result.already_imported += 1;
    return null;
  }
  if (payment.kind === "deduction") {
    // A credit note the payer deducted (BgMax TK21): the money never arrived, so nothing is booked.
    item.outcome = "deduction";
    const invoices = item.references.map((ref) => ctx.resolve(ref, payment.referenceChecked).invoice);
    item.invoices = invoices.flatMap((invoice) => (invoice ? [{ id: invoice.id, number: invoice.number, amount: 0, payment_id: null }] : []));
    flag(ctx, item, "deduction", {
      invoice: invoices.find((invoice) => invoice !== null) ?? null,
      message: "The payer deducted a credit note; not booked. Settle it against the credited invoice by hand.",
    });
    return null;
  }
  flagDeductions(ctx, payment, item);
  if (payment.references.length === 0) {
    item.outcome = "unmatched";
    const text = payment.freeText ? `; the payer wrote "${payment.freeText}"` : "";
    flag(ctx, item, "unmatched", { reference: null, message: `No reference the bank could read${text}.` });
    return null;
  }
  if (payment.amount <= 0) {
    item.outcome = "not_booked";
    return null;
  }
  const matched = matchInvoices(ctx, payment, item);
  const bookable = matched.filter(({ invoice }) => {
    if (invoice.cancelledAt !== null) {
      flag(ctx, item, "cancelled", { invoice, message: `Invoice ${invoice.number} is cancelled; the payment is not booked on it.` });
      return false;
    }
    if (invoice.currency !== payment.currency.toUpperCase()) {
      flag(ctx, item, "currency", { invoice, message: `Paid in ${payment.currency}, invoice ${invoice.number} is in ${invoice.currency}; not booked.` });
      return false;
    }
    return true;
  });
  if (bookable.length === 0) {
    item.outcome = matched.length === 0 ? "unmatched" : item.flags.includes("cancelled") ? "cancelled" : "currency";
    return null;
  }
  return bookable;
}

/**
 * Books one payment on its invoices through the ledger's batch, which holds their locks: the
 * amounts due are the ones this transaction changes (with the batch's earlier payments), not a
 * moment-old copy. Split by the payer's amounts or order (P5), each part its own ledger payment.
 */
function bookOnInvoices(ctx: Context, ledger: ManualPaymentBatch, payment: BankPayment, item: BankFileItem, matches: Match[]): void {
  const bookable = matches.map((match) => match.invoice);
  const dues = bookable.map((invoice) => {
    const balance = ledger.balanceOf(invoice.id);
    return Math.max(balance.total - balance.amountPaid, 0);
  });
  const parts = allocatePayment(payment.amount, dues, matches.map((match) => match.share));
  const split = bookable.length > 1;
  const reference = bankReference(payment.transactionId);

  for (const [index, invoice] of bookable.entries()) {
    const part = parts[index]!;
    const due = dues[index]!;
    if (part === 0) {
      item.invoices.push({ id: invoice.id, number: invoice.number, amount: 0, payment_id: null });
      if (due > 0) flag(ctx, item, "underpaid", { invoice, reference: invoice.ocr, message: `Invoice ${invoice.number}: nothing left of this payment for it; ${moneyText(due, invoice.currency)} still due.` });
      continue;
    }
    // Currency and invoice were checked above; the ledger throws on anything else (a bug), and the batch rolls back.
    const booked = ledger.record({
      providerReference: split ? `${reference}#${index + 1}` : reference,
      invoiceId: invoice.id,
      method: "bank_transfer",
      currency: invoice.currency,
      amount: part,
      occurredAt: receivedAtOf(payment.date),
      note: [`${ctx.file.format === "bgmax" ? "BgMax" : "camt.054"} ${payment.position}`, payment.payerName].filter(Boolean).join(", "),
    });
    item.invoices.push({ id: invoice.id, number: invoice.number, amount: part, payment_id: booked.payment.id });
    ctx.result.amount_booked[invoice.currency] = (ctx.result.amount_booked[invoice.currency] ?? 0) + part;

    const after = booked.balance;
    if (due === 0) {
      flag(ctx, item, "duplicate", { invoice, reference: invoice.ocr, message: `Invoice ${invoice.number} was already fully paid before this payment.` });
    }
    if (after.amountPaid > after.total) {
      flag(ctx, item, "overpaid", { invoice, reference: invoice.ocr, message: `Invoice ${invoice.number} is overpaid by ${moneyText(after.amountPaid - after.total, invoice.currency)}.` });
    } else if (after.amountPaid < after.total) {
      flag(ctx, item, "underpaid", { invoice, reference: invoice.ocr, message: `Invoice ${invoice.number}: ${moneyText(after.total - after.amountPaid, invoice.currency)} still due.` });
    }
  }
  item.outcome = "booked";
  ctx.result.booked += 1;
}

/**
 * Books a batch of a file's payments in the caller's transaction, set-based: the references
 * resolved and earlier imports looked up in a few queries, each payment triaged (no writes), then
 * the bookable ones recorded in file order through the ledger's batch, which writes them all at once.
 */
export async function bookBankFile(tx: Tx, params: { supplierId: string; file: BankFile; now: Date }): Promise<BookingResult> {
  const result: BookingResult = { booked: 0, already_imported: 0, amount_booked: {}, flags: emptyFlags(), items: [] };
  const resolve = await referenceResolver(tx, params.supplierId, params.file);
  const earlier = await findBankPayments(tx, params.supplierId, params.file.payments.map((payment) => bankReference(payment.transactionId)));
  const ctx: Context = { tx, ...params, resolve, earlier, result };

  const toBook: { payment: BankPayment; item: BankFileItem; matches: Match[] }[] = [];
  for (const payment of params.file.payments) {
    const item = itemOf(payment);
    result.items.push(item);
    const matches = triage(ctx, payment, item);
    if (matches) toBook.push({ payment, item, matches });
  }

  const invoiceIds = toBook.flatMap(({ matches }) => matches.map((match) => match.invoice.id));
  const ledger = await openManualPaymentBatch(tx, { supplierId: params.supplierId, invoiceIds, now: params.now });
  for (const { payment, item, matches } of toBook) bookOnInvoices(ctx, ledger, payment, item, matches);
  await ledger.commit();
  return result;
}

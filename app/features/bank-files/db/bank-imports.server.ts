// What a bank-file import reads besides the ledger's own tables: the invoices a file's references
// name, the payments a bank transaction already booked, and the lock that makes two imports of
// one supplier run one after the other. Every query is scoped by supplier.
import { and, eq, inArray, like, or, sql } from "drizzle-orm";
import { invoices, payments } from "../../../../db/schema";
import type { Tx } from "../../../../db/client";

export type ReferencedInvoice = {
  id: string;
  number: string;
  ocr: string;
  currency: string;
  total: number;
  amountPaid: number;
  cancelledAt: Date | null;
};

const invoiceColumns = {
  id: invoices.id,
  number: invoices.number,
  ocr: invoices.ocr,
  currency: invoices.currency,
  total: invoices.total,
  amountPaid: invoices.amountPaid,
  cancelledAt: invoices.cancelledAt,
};

/**
 * Serialises the imports of one supplier until the transaction ends: a second upload of the same
 * file waits for the first, then finds its payments and books nothing (instead of failing on the
 * unique reference index halfway through).
 */
export async function lockBankImports(tx: Tx, supplierId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`bank-file-import:${supplierId}`}, 0))`);
}

/** The supplier's invoices whose OCR is one of these, exactly (the indexed lookup). */
export async function findInvoicesByOcr(tx: Tx, supplierId: string, ocrs: readonly string[]): Promise<ReferencedInvoice[]> {
  if (ocrs.length === 0) return [];
  return tx
    .select(invoiceColumns)
    .from(invoices)
    .where(and(eq(invoices.supplierId, supplierId), inArray(invoices.ocr, [...new Set(ocrs)])));
}

/**
 * The fallbacks for references without an exact OCR hit: the OCR without its leading zeros (a
 * bank may zero-fill or trim a numeric field), and the invoice number without separators (the
 * body of an RF reference made from it, see rfForInvoice). Not indexed: it runs once per file,
 * only for what the exact lookup left over.
 */
export async function findInvoicesByLooseReference(
  tx: Tx,
  supplierId: string,
  params: { trimmedDigits: readonly string[]; compactNumbers: readonly string[] },
): Promise<ReferencedInvoice[]> {
  const conditions = [];
  if (params.trimmedDigits.length > 0) {
    conditions.push(sql`ltrim(${invoices.ocr}, '0') in ${[...new Set(params.trimmedDigits)]}`);
  }
  if (params.compactNumbers.length > 0) {
    conditions.push(sql`upper(regexp_replace(${invoices.number}, '[^A-Za-z0-9]', '', 'g')) in ${[...new Set(params.compactNumbers)]}`);
  }
  if (conditions.length === 0) return [];
  return tx
    .select(invoiceColumns)
    .from(invoices)
    .where(and(eq(invoices.supplierId, supplierId), or(...conditions)));
}

export type BookedBankPayment = { id: string; invoiceId: string; invoiceNumber: string; amount: number; providerReference: string };

/** LIKE treats % and _ as wildcards; a transaction id is matched literally. */
const likeLiteral = (value: string) => value.replace(/[\\%_]/g, (char) => `\\${char}`);

/**
 * The payments an earlier import booked for this bank transaction: `bank:<id>` for one invoice,
 * `bank:<id>#<n>` for the parts of a payment split over several.
 */
export async function findBankPayments(tx: Tx, supplierId: string, reference: string): Promise<BookedBankPayment[]> {
  const rows = await tx
    .select({
      id: payments.id,
      invoiceId: payments.invoiceId,
      invoiceNumber: invoices.number,
      amount: payments.amount,
      providerReference: payments.providerReference,
    })
    .from(payments)
    .innerJoin(invoices, eq(invoices.id, payments.invoiceId))
    .where(
      and(
        eq(payments.supplierId, supplierId),
        eq(payments.provider, "manual"),
        or(eq(payments.providerReference, reference), like(payments.providerReference, `${likeLiteral(reference)}#%`)),
      ),
    )
    .orderBy(payments.providerReference);
  return rows.map((row) => ({ ...row, providerReference: row.providerReference ?? reference }));
}

/** The invoice's balance as the ledger left it (the caller holds its row lock). */
export async function invoiceBalance(tx: Tx, invoiceId: string): Promise<{ amountPaid: number; total: number }> {
  const [row] = await tx
    .select({ amountPaid: invoices.amountPaid, total: invoices.total })
    .from(invoices)
    .where(eq(invoices.id, invoiceId));
  if (!row) throw new Error(`invoice ${invoiceId} vanished under its lock`);
  return row;
}

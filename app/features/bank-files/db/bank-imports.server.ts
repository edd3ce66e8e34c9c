// What a bank-file import reads besides the ledger's own tables: the invoices a file's references
// name, the payments a bank transaction already booked, and the lock that makes two imports of
// one supplier run one after the other. Every query is scoped by supplier.
import { and, eq, like, sql, type SQL } from "drizzle-orm";
import { invoices, payments } from "../../../../db/schema";
import type { Tx } from "../../../../db/client";
import { chunks } from "~/domain/chunks";

/** Keys per statement: a file may name 300,000 references. Each batch is ONE array parameter
 * (PostgreSQL takes 65,535 parameters; a list of 255,745 was a 500, security D6). */
const KEYS_PER_QUERY = 50_000;

/** `expression = any($1)`: the keys travel as one text[] parameter, however many. */
const anyOf = (expression: SQL | typeof invoices.ocr, keys: readonly string[]) => sql`${expression} = any(${sql.param(keys)}::text[])`;

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
  const found: ReferencedInvoice[] = [];
  for (const chunk of chunks([...new Set(ocrs)], KEYS_PER_QUERY)) {
    for (const row of await tx.select(invoiceColumns).from(invoices).where(and(eq(invoices.supplierId, supplierId), anyOf(invoices.ocr, chunk)))) found.push(row);
  }
  return found;
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
  const found: ReferencedInvoice[] = [];
  const lookups = [
    ...chunks([...new Set(params.trimmedDigits)], KEYS_PER_QUERY).map((chunk) => anyOf(sql`ltrim(${invoices.ocr}, '0')`, chunk)),
    ...chunks([...new Set(params.compactNumbers)], KEYS_PER_QUERY).map((chunk) => anyOf(sql`upper(regexp_replace(${invoices.number}, '[^A-Za-z0-9]', '', 'g'))`, chunk)),
  ];
  for (const condition of lookups) {
    for (const row of await tx.select(invoiceColumns).from(invoices).where(and(eq(invoices.supplierId, supplierId), condition))) found.push(row);
  }
  return found;
}

export type BookedBankPayment = { id: string; invoiceId: string; invoiceNumber: string; amount: number; providerReference: string };

/**
 * The payments earlier imports booked for these bank transactions, by ledger reference:
 * `bank:<id>` for one invoice, `bank:<id>#<n>` for the parts of a payment split over several.
 * A few statements for the whole file, not one per payment.
 */
export async function findBankPayments(tx: Tx, supplierId: string, references: readonly string[]): Promise<Map<string, BookedBankPayment[]>> {
  const found = new Map<string, BookedBankPayment[]>();
  const base = sql<string>`regexp_replace(${payments.providerReference}, '#[0-9]+$', '')`;
  for (const chunk of chunks([...new Set(references)], KEYS_PER_QUERY)) {
    const rows = await tx
      .select({
        id: payments.id,
        invoiceId: payments.invoiceId,
        invoiceNumber: invoices.number,
        amount: payments.amount,
        providerReference: payments.providerReference,
        reference: base,
      })
      .from(payments)
      .innerJoin(invoices, eq(invoices.id, payments.invoiceId))
      .where(and(eq(payments.supplierId, supplierId), eq(payments.provider, "manual"), like(payments.providerReference, "bank:%"), anyOf(base, chunk)))
      .orderBy(payments.providerReference);
    for (const { reference, ...row } of rows) {
      const list = found.get(reference) ?? [];
      list.push({ ...row, providerReference: row.providerReference ?? reference });
      found.set(reference, list);
    }
  }
  return found;
}

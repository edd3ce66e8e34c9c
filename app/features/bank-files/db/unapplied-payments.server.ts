// The queue of bank payments waiting for a person (unapplied payments), what was placed from them
// on invoices, and the "I have paid" reports proposed for them. Every query is scoped by supplier.
import { and, asc, count, eq, getTableColumns, inArray, sql, sum, type SQL } from "drizzle-orm";
import {
  customers, invoices, paymentReports, payments, unappliedAllocations, unappliedPayments, unappliedProposals, type UnappliedPaymentRow,
} from "../../../../db/schema";
import type { DbOrTx, Tx } from "../../../../db/client";

export type { UnappliedPaymentRow };
export type NewUnappliedPayment = typeof unappliedPayments.$inferInsert;
export type UnappliedState = UnappliedPaymentRow["state"];

/** Inserts the rows a re-import has not inserted before (same supplier, bank id and amount): the new ones. */
export async function insertUnappliedPayments(tx: Tx, rows: NewUnappliedPayment[]): Promise<UnappliedPaymentRow[]> {
  if (rows.length === 0) return [];
  return tx.insert(unappliedPayments).values(rows).onConflictDoNothing().returning();
}

const ofSupplier = (supplierId: string, id: string) => and(eq(unappliedPayments.supplierId, supplierId), eq(unappliedPayments.id, id));

/** One queued payment of the supplier. */
export async function findUnappliedPayment(db: DbOrTx, supplierId: string, id: string): Promise<UnappliedPaymentRow | undefined> {
  const [row] = await db.select().from(unappliedPayments).where(ofSupplier(supplierId, id)).limit(1);
  return row;
}

/** Several queued payments of the supplier (the inbox's page of them). */
export async function findUnappliedPayments(db: DbOrTx, supplierId: string, ids: readonly string[]): Promise<UnappliedPaymentRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(unappliedPayments).where(and(eq(unappliedPayments.supplierId, supplierId), inArray(unappliedPayments.id, [...ids])));
}

/** The id of the supplier's invoice with this number (a clerk types numbers, the API takes ids). */
export async function invoiceIdByNumber(db: DbOrTx, supplierId: string, number: string): Promise<string | undefined> {
  const [row] = await db.select({ id: invoices.id }).from(invoices).where(and(eq(invoices.supplierId, supplierId), eq(invoices.number, number))).limit(1);
  return row?.id;
}

/** The same, its row locked until the transaction ends: changes to one queued payment queue here. */
export async function lockUnappliedPayment(tx: Tx, supplierId: string, id: string): Promise<UnappliedPaymentRow | undefined> {
  const [row] = await tx.select().from(unappliedPayments).where(ofSupplier(supplierId, id)).limit(1).for("update");
  return row;
}

export type ListedUnapplied = UnappliedPaymentRow & { createdAtExact: string };

/** Oldest first (a work queue); one row more than asked tells whether a next page exists. */
export async function listUnappliedPayments(
  db: DbOrTx,
  supplierId: string,
  filter: { state?: UnappliedState; after?: { createdAt: string; id: string }; limit: number },
): Promise<{ rows: ListedUnapplied[]; hasMore: boolean }> {
  const conditions: SQL[] = [eq(unappliedPayments.supplierId, supplierId)];
  if (filter.state) conditions.push(eq(unappliedPayments.state, filter.state));
  if (filter.after) {
    conditions.push(sql`(${unappliedPayments.createdAt}, ${unappliedPayments.id}) > (${filter.after.createdAt}::timestamptz, ${filter.after.id})`);
  }
  const rows = await db
    .select({
      ...getTableColumns(unappliedPayments),
      // Microseconds survive here, unlike in a JS Date; cursors need them to neither skip nor repeat.
      createdAtExact: sql<string>`to_char(${unappliedPayments.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
    })
    .from(unappliedPayments)
    .where(and(...conditions))
    .orderBy(asc(unappliedPayments.createdAt), asc(unappliedPayments.id))
    .limit(filter.limit + 1);
  return { rows: rows.slice(0, filter.limit), hasMore: rows.length > filter.limit };
}

/** How many payments wait in a state, and how much money they hold per currency. */
export async function countUnappliedPayments(
  db: DbOrTx,
  supplierId: string,
  state: UnappliedState,
): Promise<{ count: number; remaining: Record<string, number> }> {
  const rows = await db
    .select({ currency: unappliedPayments.currency, n: count(), remaining: sum(unappliedPayments.remaining).mapWith(Number) })
    .from(unappliedPayments)
    .where(and(eq(unappliedPayments.supplierId, supplierId), eq(unappliedPayments.state, state)))
    .groupBy(unappliedPayments.currency);
  return {
    count: rows.reduce((total, row) => total + row.n, 0),
    remaining: Object.fromEntries(rows.map((row) => [row.currency, row.remaining])),
  };
}

/** Writes a change and moves the version on; the caller holds the row's lock and checked the version. */
export async function updateUnappliedPayment(
  tx: Tx,
  id: string,
  values: Partial<Pick<UnappliedPaymentRow, "remaining" | "state" | "note" | "resolvedAt" | "resolvedBy">> & { updatedAt: Date },
): Promise<UnappliedPaymentRow> {
  const [row] = await tx
    .update(unappliedPayments)
    .set({ ...values, version: sql`${unappliedPayments.version} + 1` })
    .where(eq(unappliedPayments.id, id))
    .returning();
  return row!;
}

export type NewAllocation = typeof unappliedAllocations.$inferInsert;

export async function insertAllocations(tx: Tx, rows: NewAllocation[]): Promise<void> {
  if (rows.length > 0) await tx.insert(unappliedAllocations).values(rows);
}

export type AllocationRow = typeof unappliedAllocations.$inferSelect & { invoiceNumber: string };

export async function listAllocations(db: DbOrTx, supplierId: string, ids: readonly string[]): Promise<AllocationRow[]> {
  if (ids.length === 0) return [];
  return db
    .select({ ...getTableColumns(unappliedAllocations), invoiceNumber: invoices.number })
    .from(unappliedAllocations)
    .innerJoin(invoices, eq(invoices.id, unappliedAllocations.invoiceId))
    .innerJoin(payments, eq(payments.id, unappliedAllocations.paymentId))
    .where(and(eq(unappliedAllocations.supplierId, supplierId), inArray(unappliedAllocations.unappliedId, [...ids])))
    // In the order they were given: their ledger references are numbered so (#101, #102 …).
    .orderBy(asc(unappliedAllocations.createdAt), sql`length(${payments.providerReference})`, asc(payments.providerReference));
}

/** How many ledger payments were booked from this queued payment (their references are numbered after them). */
export async function countAllocations(tx: Tx, unappliedId: string): Promise<number> {
  const [row] = await tx.select({ n: count() }).from(unappliedAllocations).where(eq(unappliedAllocations.unappliedId, unappliedId));
  return row?.n ?? 0;
}

export type NewProposal = typeof unappliedProposals.$inferInsert;

export async function insertProposals(tx: Tx, rows: NewProposal[]): Promise<void> {
  if (rows.length > 0) await tx.insert(unappliedProposals).values(rows).onConflictDoNothing();
}

export type ProposalRow = typeof unappliedProposals.$inferSelect & { invoiceNumber: string };

export async function listProposals(db: DbOrTx, supplierId: string, ids: readonly string[]): Promise<ProposalRow[]> {
  if (ids.length === 0) return [];
  return db
    .select({ ...getTableColumns(unappliedProposals), invoiceNumber: invoices.number })
    .from(unappliedProposals)
    .innerJoin(invoices, eq(invoices.id, unappliedProposals.invoiceId))
    .where(and(eq(unappliedProposals.supplierId, supplierId), inArray(unappliedProposals.unappliedId, [...ids])))
    .orderBy(asc(unappliedProposals.createdAt), asc(unappliedProposals.reportId));
}

/** A report and the invoice it is about, as matching needs them. */
export type ReportCandidate = {
  reportId: string;
  invoiceId: string;
  invoiceNumber: string;
  customerName: string;
  paidOn: string;
  amount: number;
  currency: string;
};

const reportColumns = {
  reportId: paymentReports.id,
  invoiceId: invoices.id,
  invoiceNumber: invoices.number,
  customerName: customers.name,
  paidOn: paymentReports.paidOn,
  amount: paymentReports.amount,
  currency: paymentReports.currency,
};

/** Days from the reported day to the bank's day: −3 (the payer misremembered) to +10 (the bank is slow). */
export const REPORT_WINDOW_DAYS = { before: 3, after: 10 } as const;

const openInvoice = sql`${invoices.cancelledAt} is null and ${invoices.amountPaid} < ${invoices.total}`;

/** The reports of still-open invoices that fit a queued payment: same amount and currency, dates within the window. */
export async function findReportsFitting(
  tx: Tx,
  supplierId: string,
  item: { paidOn: string; amount: number; currency: string },
): Promise<ReportCandidate[]> {
  return tx
    .select(reportColumns)
    .from(paymentReports)
    .innerJoin(invoices, eq(invoices.id, paymentReports.invoiceId))
    .innerJoin(customers, eq(customers.id, invoices.customerId))
    .where(and(
      eq(paymentReports.supplierId, supplierId),
      eq(paymentReports.amount, item.amount),
      eq(paymentReports.currency, item.currency),
      sql`${item.paidOn}::date - ${paymentReports.paidOn} between ${-REPORT_WINDOW_DAYS.before} and ${REPORT_WINDOW_DAYS.after}`,
      openInvoice,
    ))
    .orderBy(asc(paymentReports.createdAt));
}

/**
 * The amounts ("12300 SEK") of reports on open invoices that could fit any payment of a batch paid
 * between these dates: one query, so a batch asks per payment only where a report may fit.
 */
export async function reportAmountsNear(tx: Tx, supplierId: string, paid: { from: string; to: string }): Promise<Set<string>> {
  const rows = await tx
    .selectDistinct({ amount: paymentReports.amount, currency: paymentReports.currency })
    .from(paymentReports)
    .innerJoin(invoices, eq(invoices.id, paymentReports.invoiceId))
    .where(and(
      eq(paymentReports.supplierId, supplierId),
      sql`${paymentReports.paidOn} between ${paid.from}::date - ${REPORT_WINDOW_DAYS.after}::int and ${paid.to}::date + ${REPORT_WINDOW_DAYS.before}::int`,
      openInvoice,
    ));
  return new Set(rows.map((row) => `${row.amount} ${row.currency}`));
}

/** One report with its invoice and customer. */
export async function findReportCandidate(tx: Tx, supplierId: string, reportId: string): Promise<ReportCandidate | undefined> {
  const [row] = await tx
    .select(reportColumns)
    .from(paymentReports)
    .innerJoin(invoices, eq(invoices.id, paymentReports.invoiceId))
    .innerJoin(customers, eq(customers.id, invoices.customerId))
    .where(and(eq(paymentReports.supplierId, supplierId), eq(paymentReports.id, reportId)))
    .limit(1);
  return row;
}

/** Open, not-yet-booked queued payments that fit a report: its amount and currency, the bank's day within the window. */
export async function findUnappliedFitting(tx: Tx, supplierId: string, report: { paidOn: string; amount: number; currency: string }): Promise<UnappliedPaymentRow[]> {
  return tx
    .select()
    .from(unappliedPayments)
    .where(and(
      eq(unappliedPayments.supplierId, supplierId),
      eq(unappliedPayments.state, "open"),
      sql`${unappliedPayments.reason} <> 'overpaid'`,
      eq(unappliedPayments.remaining, report.amount),
      eq(unappliedPayments.currency, report.currency),
      sql`${unappliedPayments.paidOn} - ${report.paidOn}::date between ${-REPORT_WINDOW_DAYS.before} and ${REPORT_WINDOW_DAYS.after}`,
    ))
    .orderBy(asc(unappliedPayments.createdAt));
}

/** The balances of invoices after a batch (for the excess of over-payments). */
export async function invoiceBalances(tx: Tx, supplierId: string, ids: readonly string[]): Promise<Map<string, { total: number; amountPaid: number }>> {
  if (ids.length === 0) return new Map();
  const rows = await tx
    .select({ id: invoices.id, total: invoices.total, amountPaid: invoices.amountPaid })
    .from(invoices)
    .where(and(eq(invoices.supplierId, supplierId), inArray(invoices.id, [...ids])));
  return new Map(rows.map((row) => [row.id, { total: row.total, amountPaid: row.amountPaid }]));
}

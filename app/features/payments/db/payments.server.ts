// The payment ledger's rows. Every query is scoped by supplier.
import { and, desc, eq, getTableColumns, gte, lt, sql, type SQL } from "drizzle-orm";
import { invoices, payments, providerEvents, type PaymentRow } from "../../../../db/schema";
import type { DbOrTx, Tx } from "../../../../db/client";
import { insertRows } from "../../../../db/bulk-insert";

export type { PaymentRow };
export type NewPayment = typeof payments.$inferInsert;

export async function insertPayment(tx: Tx, row: NewPayment): Promise<PaymentRow> {
  const [inserted] = await tx.insert(payments).values(row).returning();
  return inserted!;
}

/**
 * The payment a provider event names: by our id (metadata, merchant reference) or the provider's.
 * A provider's id means something only within the payment account that sent it (security P9), so
 * given an account, the search stays in it. With `lock`, the row stays locked until the
 * transaction ends.
 */
export async function findProviderPayment(
  tx: Tx,
  scope: { supplierId: string; provider: PaymentRow["provider"]; accountId?: string | null; paymentId?: string | null; providerReference?: string | null },
  options: { lock: boolean },
): Promise<PaymentRow | undefined> {
  const byId = scope.paymentId ? eq(payments.id, scope.paymentId) : undefined;
  const byReference = scope.providerReference ? eq(payments.providerReference, scope.providerReference) : undefined;
  const match = byId ?? byReference;
  if (!match) return undefined;
  const inAccount = scope.accountId ? eq(payments.accountId, scope.accountId) : undefined;
  const query = tx
    .select()
    .from(payments)
    .where(and(eq(payments.supplierId, scope.supplierId), eq(payments.provider, scope.provider), inAccount, match))
    .limit(1);
  const [row] = options.lock ? await query.for("update") : await query;
  return row;
}

export async function updatePayment(tx: Tx, id: string, values: Partial<NewPayment>): Promise<PaymentRow> {
  const [row] = await tx.update(payments).set(values).where(eq(payments.id, id)).returning();
  return row!;
}

/**
 * Recomputes the invoice's amount paid from its ledger (in the invoice's currency) and stamps
 * paid_at while it is settled. The caller holds the invoice's row lock.
 */
export async function refreshInvoiceBalance(tx: Tx, invoiceId: string, now: Date) {
  // Raw SQL parameters take text: drizzle's postgres.js driver leaves Dates unserialised.
  const at = now.toISOString();
  const [row] = await tx.execute<{ amount_paid: string; total: string; paid_at: Date | null }>(sql`
    update ${invoices} i set
      amount_paid = b.amount_paid,
      paid_at = case when b.amount_paid >= i.total then coalesce(i.paid_at, ${at}::timestamptz) else null end,
      updated_at = ${at}::timestamptz
    from (
      select coalesce(sum(case
        when p.status = 'succeeded' and coalesce(p.chargeback, 'won') = 'won' then p.amount - p.amount_refunded
        else 0 end), 0)::bigint as amount_paid
      from ${payments} p join ${invoices} j on j.id = p.invoice_id
      where p.invoice_id = ${invoiceId} and p.currency = j.currency
    ) b
    where i.id = ${invoiceId}
    returning i.amount_paid, i.total, i.paid_at`);
  return { amountPaid: Number(row!.amount_paid), total: Number(row!.total), paidAt: row!.paid_at };
}

/** Payments in one multi-row insert (a bank file's batch). */
export async function insertPayments(tx: Tx, rows: readonly NewPayment[]): Promise<void> {
  await insertRows(tx, payments, rows);
}

/** refreshInvoiceBalance for many invoices in one statement; the caller holds their row locks. */
export async function refreshInvoiceBalances(tx: Tx, invoiceIds: readonly string[], now: Date): Promise<void> {
  if (invoiceIds.length === 0) return;
  const at = now.toISOString();
  await tx.execute(sql`
    update ${invoices} i set
      amount_paid = b.amount_paid,
      paid_at = case when b.amount_paid >= i.total then coalesce(i.paid_at, ${at}::timestamptz) else null end,
      updated_at = ${at}::timestamptz
    from (
      select j.id, coalesce(sum(case
        when p.status = 'succeeded' and coalesce(p.chargeback, 'won') = 'won' and p.currency = j.currency then p.amount - p.amount_refunded
        else 0 end), 0)::bigint as amount_paid
      from ${invoices} j left join ${payments} p on p.invoice_id = j.id
      where j.id = any(${sql.param([...new Set(invoiceIds)])}::text[])
      group by j.id
    ) b
    where i.id = b.id`);
}

/**
 * Claims a provider event id within its payment account. False when that account already claimed
 * it: a redelivery, or one of many concurrent deliveries that waited on the first one's row
 * (security P2). Another account's event with the same id is another event (P9).
 */
export async function claimProviderEvent(
  tx: Tx,
  event: { provider: "stripe" | "adyen"; eventId: string; accountId: string; type: string },
): Promise<boolean> {
  const rows = await tx
    .insert(providerEvents)
    .values({ ...event, outcome: "received" })
    .onConflictDoNothing()
    .returning({ eventId: providerEvents.eventId });
  return rows.length === 1;
}

export async function recordProviderEventOutcome(
  tx: Tx,
  event: { accountId: string; eventId: string },
  outcome: string,
  paymentId: string | null,
): Promise<void> {
  await tx
    .update(providerEvents)
    .set({ outcome, paymentId })
    .where(and(eq(providerEvents.accountId, event.accountId), eq(providerEvents.eventId, event.eventId)));
}

export async function findPayment(db: DbOrTx, supplierId: string, id: string): Promise<PaymentRow | undefined> {
  const [row] = await db
    .select()
    .from(payments)
    .where(and(eq(payments.supplierId, supplierId), eq(payments.id, id)))
    .limit(1);
  return row;
}

/** A manual payment already recorded under the supplier's (bank's) reference. */
export async function findManualPaymentByReference(db: DbOrTx, supplierId: string, reference: string): Promise<PaymentRow | undefined> {
  const [row] = await db
    .select()
    .from(payments)
    .where(and(eq(payments.supplierId, supplierId), eq(payments.provider, "manual"), eq(payments.providerReference, reference)))
    .limit(1);
  return row;
}

export type PaymentListFilter = {
  invoiceId?: string;
  status?: PaymentRow["status"];
  provider?: PaymentRow["provider"];
  method?: PaymentRow["method"];
  createdAfter?: Date;
  createdBefore?: Date;
  after?: { createdAt: string; id: string };
  limit: number;
};

export type ListedPayment = PaymentRow & { createdAtExact: string };

/** Newest first; one row more than asked tells the caller whether a next page exists. */
export async function listPayments(
  db: DbOrTx,
  supplierId: string,
  filter: PaymentListFilter,
): Promise<{ rows: ListedPayment[]; hasMore: boolean }> {
  const conditions: SQL[] = [eq(payments.supplierId, supplierId)];
  if (filter.invoiceId) conditions.push(eq(payments.invoiceId, filter.invoiceId));
  if (filter.status) conditions.push(eq(payments.status, filter.status));
  if (filter.provider) conditions.push(eq(payments.provider, filter.provider));
  if (filter.method) conditions.push(eq(payments.method, filter.method));
  if (filter.createdAfter) conditions.push(gte(payments.createdAt, filter.createdAfter));
  if (filter.createdBefore) conditions.push(lt(payments.createdAt, filter.createdBefore));
  if (filter.after) {
    conditions.push(sql`(${payments.createdAt}, ${payments.id}) < (${filter.after.createdAt}::timestamptz, ${filter.after.id})`);
  }
  const rows = await db
    .select({
      ...getTableColumns(payments),
      // Microseconds survive here, unlike in a JS Date; cursors need them to neither skip nor repeat.
      createdAtExact: sql<string>`to_char(${payments.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
    })
    .from(payments)
    .where(and(...conditions))
    .orderBy(desc(payments.createdAt), desc(payments.id))
    .limit(filter.limit + 1);
  return { rows: rows.slice(0, filter.limit), hasMore: rows.length > filter.limit };
}

/** Whether any payment or provider event names the account: then its row must stay (webhooks verify with it). */
export async function isPaymentAccountReferenced(db: DbOrTx, accountId: string): Promise<boolean> {
  const [row] = await db.execute<{ referenced: boolean }>(sql`
    select exists (select 1 from ${payments} where ${payments.accountId} = ${accountId})
        or exists (select 1 from ${providerEvents} where ${providerEvents.accountId} = ${accountId}) as referenced`);
  return row?.referenced === true;
}

// The invoice.overdue webhook: once per invoice, the first scheduled run after its due date has
// passed in the supplier's time zone while money is still due. Batches of rows claimed with
// SKIP LOCKED, so several workers share the work and none announces an invoice twice.
import { sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { publishWebhookEvent } from "~/features/webhooks/webhooks.server";

const BATCH = 500;

type OverdueRow = { id: string; supplier_id: string; customer_id: string; number: string; due_date: string; currency: string; amount_due: number };

/** Announces every invoice that became overdue since the last run; answers how many. */
export async function announceOverdueInvoices(db: Db, now: Date): Promise<number> {
  let announced = 0;
  for (;;) {
    const count = await db.transaction(async (tx) => {
      const rows = (await tx.execute(sql`
        with due as (
          select i.id from invoices i join suppliers s on s.id = i.supplier_id
          where i.overdue_announced_at is null and i.cancelled_at is null and i.paid_at is null
            and i.amount_paid < i.total and i.total > 0
            and i.due_date < (${now.toISOString()}::timestamptz at time zone s.time_zone)::date
          limit ${BATCH}
          for update of i skip locked
        )
        update invoices i set overdue_announced_at = ${now.toISOString()}::timestamptz from due where i.id = due.id
        returning i.id, i.supplier_id, i.customer_id, i.number, i.due_date::text as due_date, i.currency,
                  (i.total - i.amount_paid)::bigint as amount_due`)) as unknown as OverdueRow[];
      for (const row of rows) {
        await publishWebhookEvent(tx, {
          supplierId: row.supplier_id,
          type: "invoice.overdue",
          payload: {
            invoice: { id: row.id, number: row.number, customer_id: row.customer_id },
            due_date: row.due_date,
            amount_due: Number(row.amount_due),
            currency: row.currency,
          },
        });
      }
      return rows.length;
    });
    announced += count;
    if (count < BATCH) return announced;
  }
}

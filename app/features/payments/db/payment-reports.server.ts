// "I have paid" reports. Never money: they only pause the invoice's reminders. Scoped by supplier.
import { eq } from "drizzle-orm";
import { invoices, paymentReports } from "../../../../db/schema";
import type { Tx } from "../../../../db/client";

export type PaymentReportRow = typeof paymentReports.$inferSelect;

export async function insertPaymentReport(tx: Tx, row: typeof paymentReports.$inferInsert): Promise<PaymentReportRow> {
  const [inserted] = await tx.insert(paymentReports).values(row).returning();
  return inserted!;
}

/** Reminders skip the invoice until then (app/features/reminders/db/reminders.server.ts). The caller holds its lock. */
export async function pauseRemindersUntil(tx: Tx, invoiceId: string, until: Date, now: Date): Promise<void> {
  await tx.update(invoices).set({ paymentReportedUntil: until, updatedAt: now }).where(eq(invoices.id, invoiceId));
}

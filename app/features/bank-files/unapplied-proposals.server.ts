// Item 9 of issue #18: a payer's "I have paid" report is matched against the bank payments waiting
// in the queue — the same amount and currency, the bank's day from 3 days before to 10 days after
// the day the payer named — and a match is *proposed* (the invoice, with the reason in words),
// never booked: allocating it stays one call by a person. Both ways: a payment arriving in the
// queue looks for reports, a new report looks for queued payments. The payer's name, when the
// bank passed it on, is compared with the customer's and said in the reason.
import type { Tx } from "../../../db/client";
import { daysBetween } from "~/domain/invoice-status";
import { moneyText } from "~/features/bank-files/bank-file-booking.server";
import {
  findReportCandidate, findReportsFitting, findUnappliedFitting, insertProposals, type ReportCandidate, type UnappliedPaymentRow,
} from "~/features/bank-files/db/unapplied-payments.server";
import { appendEvent } from "~/platform/audit/db/events.server";

const SYSTEM = { actor: "system" as const, actorId: null };

const comparable = (name: string) => name.toLocaleLowerCase("sv").replace(/[^\p{L}\p{N}]+/gu, " ").trim();

/** The payer's name as the bank passed it on, compared with the customer's: one contains the other. */
export function namesAgree(payerName: string | null, customerName: string): boolean {
  if (!payerName) return false;
  const payer = comparable(payerName);
  const customer = comparable(customerName);
  return payer !== "" && customer !== "" && (payer.includes(customer) || customer.includes(payer));
}

/** Why the report fits the payment, in words a clerk checks against the bank statement. */
export function proposalReason(item: Pick<UnappliedPaymentRow, "paidOn" | "payerName" | "currency">, report: ReportCandidate): string {
  const days = daysBetween(report.paidOn, item.paidOn);
  const when = days === 0 ? "the same day" : days > 0 ? `${days} day${days === 1 ? "" : "s"} later` : `${-days} day${days === -1 ? "" : "s"} earlier`;
  const name = namesAgree(item.payerName, report.customerName) ? `; the payer's name "${item.payerName}" matches the customer ${report.customerName}` : "";
  return `${report.customerName} reported paying ${moneyText(report.amount, report.currency)} for invoice ${report.invoiceNumber} on ${report.paidOn}; ` +
    `this payment of the same amount arrived ${item.paidOn}, ${when}${name}.`;
}

async function propose(tx: Tx, item: UnappliedPaymentRow, reports: ReportCandidate[], now: Date): Promise<void> {
  if (reports.length === 0) return;
  await insertProposals(tx, reports.map((report) => ({
    unappliedId: item.id,
    reportId: report.reportId,
    supplierId: item.supplierId,
    invoiceId: report.invoiceId,
    reason: proposalReason(item, report),
    createdAt: now,
  })));
  for (const report of reports) {
    await appendEvent(tx, {
      supplierId: item.supplierId,
      invoiceId: report.invoiceId,
      type: "unapplied_payment.proposed",
      ...SYSTEM,
      data: { unapplied_payment_id: item.id, report_id: report.reportId, amount: item.remaining, currency: item.currency },
    });
  }
}

/** A payment that just arrived in the queue: the reports it fits. Over-payments are booked already, so never. */
export async function proposeReportsFor(tx: Tx, item: UnappliedPaymentRow, now: Date): Promise<void> {
  if (item.reason === "overpaid" || item.state !== "open") return;
  await propose(tx, item, await findReportsFitting(tx, item.supplierId, { paidOn: item.paidOn, amount: item.remaining, currency: item.currency }), now);
}

/** A report the payer just made: the queued payments it fits (called in the report's transaction). */
export async function proposeQueuedPaymentsFor(tx: Tx, params: { supplierId: string; reportId: string; now: Date }): Promise<void> {
  const report = await findReportCandidate(tx, params.supplierId, params.reportId);
  if (!report) return;
  for (const item of await findUnappliedFitting(tx, params.supplierId, report)) await propose(tx, item, [report], params.now);
}

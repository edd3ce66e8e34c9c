// What a bank-file import could not book goes to the queue of unapplied payments, in the batch's
// own transaction, read from the booking's report part (so the booking itself stays as it is):
// a payment booked nowhere (no reference, one that fits no or several invoices, another currency,
// a cancelled invoice, a bank id booked before for another amount) with its whole amount, and
// the excess of an over-payment (booked on its invoice, which now shows it) with that excess.
// Under-payments are booked in full and stay due on their invoice; deductions carry no money.
// One row per bank payment (supplier, bank id, amount): a re-import adds nothing (security P8).
import type { Tx } from "../../../db/client";
import type { BankFile, BankPayment } from "~/domain/bank-file";
import { newPublicId } from "~/domain/public-id";
import type { BankFileFlag, BankFileItem, BookingResult, FlagKind } from "~/features/bank-files/bank-file-booking.server";
import {
  insertUnappliedPayments, invoiceBalances, reportAmountsNear, type NewUnappliedPayment, type UnappliedPaymentRow,
} from "~/features/bank-files/db/unapplied-payments.server";
import { proposeReportsFor } from "~/features/bank-files/unapplied-proposals.server";
import { openInboxItems } from "~/features/inbox/open-inbox-item.server";
import { appendEvents } from "~/platform/audit/db/events.server";

type Reason = UnappliedPaymentRow["reason"];

const flagsOf = (part: BookingResult, item: BankFileItem, kinds: readonly FlagKind[]): BankFileFlag[] =>
  kinds.flatMap((kind) => part.flags[kind].filter((flag) => flag.transaction_id === item.transaction_id && flag.position === item.position));

/** Why a payment booked nowhere waits, from the booking's outcome and flags; null when nothing of it waits. */
function unbookedReason(part: BookingResult, item: BankFileItem): { reason: Reason; detail: string } | null {
  const words = (kinds: FlagKind[]) => flagsOf(part, item, kinds).map((flag) => flag.message).join(" ");
  switch (item.outcome) {
    case "unmatched": {
      const detail = words(["unmatched"]) || "No reference that names an invoice.";
      return { reason: /fits \d+ invoices/.test(detail) ? "ambiguous" : "unmatched", detail };
    }
    case "currency":
      return { reason: "currency", detail: words(["currency"]) };
    case "cancelled":
      return { reason: "cancelled", detail: words(["cancelled", "currency"]) };
    case "not_booked": {
      // Only a bank id booked before for another amount ends here with money (and a flag).
      const detail = words(["unmatched"]);
      return detail ? { reason: "bank_id_reused", detail } : null;
    }
    default:
      return null;
  }
}

/**
 * The excess of each over-payment in the batch: an overpaid invoice's excess after the batch
 * belongs to its latest payments, so it is handed out from the last payment back, each at most
 * what it put on the invoice (an excess older than the batch was queued by its own import).
 */
async function excesses(tx: Tx, supplierId: string, part: BookingResult): Promise<Map<BankFileItem, { invoiceId: string; amount: number; detail: string }>> {
  const overpaid = part.items.filter((item) => item.outcome === "booked" && item.flags.includes("overpaid"));
  const balances = await invoiceBalances(tx, supplierId, [...new Set(overpaid.flatMap((item) => flagsOf(part, item, ["overpaid"]).map((flag) => flag.invoice_id!)))]);
  const left = new Map([...balances].map(([id, balance]) => [id, Math.max(balance.amountPaid - balance.total, 0)]));
  const found = new Map<BankFileItem, { invoiceId: string; amount: number; detail: string }>();
  for (const item of [...overpaid].reverse()) {
    for (const flag of flagsOf(part, item, ["overpaid"])) {
      const put = item.invoices.find((invoice) => invoice.id === flag.invoice_id)?.amount ?? 0;
      const take = Math.min(put, left.get(flag.invoice_id!) ?? 0);
      if (take <= 0) continue;
      left.set(flag.invoice_id!, left.get(flag.invoice_id!)! - take);
      const known = found.get(item);
      found.set(item, { invoiceId: known?.invoiceId ?? flag.invoice_id!, amount: (known?.amount ?? 0) + take, detail: [known?.detail, flag.message].filter(Boolean).join(" ") });
    }
  }
  return found;
}

/**
 * Records the payments of one booked batch that wait for a person, then looks for "I have paid"
 * reports they fit. Answers the rows it added (none on a re-import).
 */
export async function queueUnbookedPayments(
  tx: Tx,
  params: {
    supplierId: string;
    importId: string | null;
    format: BankFile["format"];
    payments: readonly BankPayment[];
    part: BookingResult;
    now: Date;
    /** The batch's first payment's place in the file. */
    firstIndex: number;
  },
): Promise<UnappliedPaymentRow[]> {
  const { supplierId, part, now } = params;
  const byId = new Map(params.payments.map((payment) => [`${payment.transactionId}\u0000${payment.position}`, payment]));
  const over = await excesses(tx, supplierId, part);
  const rows: NewUnappliedPayment[] = [];
  for (const [index, item] of part.items.entries()) {
    if (item.kind !== "payment" || item.amount <= 0) continue;
    const unbooked = unbookedReason(part, item);
    const excess = over.get(item);
    if (!unbooked && !excess) continue;
    const payment = byId.get(`${item.transaction_id}\u0000${item.position}`);
    rows.push({
      id: newPublicId("upa"),
      supplierId,
      importId: params.importId,
      format: params.format,
      transactionId: item.transaction_id,
      position: item.position,
      amount: item.amount,
      currency: item.currency.toUpperCase(),
      paidOn: item.date,
      payerName: item.payer_name,
      payerAccount: payment?.payerAccount ?? null,
      payerOrgNumber: payment?.payerOrgNumber ?? null,
      references: item.references,
      freeText: payment?.freeText ?? null,
      reason: unbooked?.reason ?? "overpaid",
      reasonDetail: unbooked?.detail ?? excess!.detail,
      invoiceId: unbooked ? null : excess!.invoiceId,
      remaining: unbooked ? item.amount : excess!.amount,
      // A millisecond apart in file order: the queue (oldest first) lists an import's payments as the file has them.
      createdAt: new Date(now.getTime() + params.firstIndex + index),
      updatedAt: now,
    });
  }
  const added = await insertUnappliedPayments(tx, rows);
  if (added.length === 0) return added;
  await appendEvents(tx, added.map((row) => ({
    supplierId,
    invoiceId: row.invoiceId,
    type: "unapplied_payment.queued",
    actor: "system" as const,
    actorId: null,
    data: { unapplied_payment_id: row.id, import_id: row.importId, transaction_id: row.transactionId, reason: row.reason, amount: row.amount, remaining: row.remaining, currency: row.currency },
  })));
  // The console's inbox shows them to the team from the moment they wait (same transaction: no sweep).
  await openInboxItems(tx, added.map((row) => ({ supplierId, kind: "unapplied_payment" as const, sourceId: row.id, invoiceId: row.invoiceId, openedAt: now })));
  const dates = added.map((row) => row.paidOn).sort();
  const reported = await reportAmountsNear(tx, supplierId, { from: dates[0]!, to: dates[dates.length - 1]! });
  for (const row of added) {
    if (reported.has(`${row.remaining} ${row.currency}`)) await proposeReportsFor(tx, row, now);
  }
  return added;
}

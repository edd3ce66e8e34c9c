// "I have paid": what the payer says it paid (features/payments). The money itself arrives
// through the ledger; the item is for the team to check and close.
import { paymentReportsByIds } from "../db/source-rows.server";
import type { InboxSource } from "./source";

export const paymentReportSource: InboxSource = {
  kinds: ["payment_report"],
  async describe(db, supplierId, ids) {
    const rows = await paymentReportsByIds(db, supplierId, ids);
    return new Map(rows.map((row) => [row.id, { type: "payment_report", paidOn: row.paidOn, amount: row.amount, currency: row.currency, method: row.method }]));
  },
};

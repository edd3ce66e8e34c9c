// Unmatched bank payments: the queue of money a bank file brought that the import could not book
// (features/bank-files). Worked through allocateUnappliedPayment / markUnappliedPayment, the use
// cases the API calls; the item closes when the payment is placed to the öre or marked.
import { unappliedPaymentsByIds } from "~/features/bank-files/unapplied-payments.server";
import type { InboxSource } from "./source";

export const unappliedPaymentSource: InboxSource = {
  kinds: ["unapplied_payment"],
  async describe(db, supplierId, ids) {
    const payments = await unappliedPaymentsByIds(db, supplierId, ids);
    return new Map(
      [...payments.values()].map((payment) => [
        payment.id,
        {
          type: "unapplied_payment",
          state: payment.state,
          version: payment.version,
          reason: payment.reason,
          reasonDetail: payment.reason_detail,
          amount: payment.amount,
          remaining: payment.remaining,
          currency: payment.currency,
          paidOn: payment.paid_on,
          payerName: payment.payer.name,
          payerAccount: payment.payer.account,
          references: payment.payer.references,
          freeText: payment.payer.free_text,
          allocations: payment.allocations.map((allocation) => ({ invoiceNumber: allocation.invoice_number, amount: allocation.amount })),
          proposals: payment.proposals.map((proposal) => ({ invoiceId: proposal.invoice_id, invoiceNumber: proposal.invoice_number, reason: proposal.reason })),
          note: payment.note,
        },
      ]),
    );
  },
};

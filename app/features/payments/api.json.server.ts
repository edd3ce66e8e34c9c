// A payment as the API and the supplier's webhooks show it.
import type { PaymentRow } from "~/features/payments/db/payments.server";
import { settledAmount } from "~/domain/payment-state";

export type PaymentJson = {
  id: string;
  invoice_id: string;
  provider: PaymentRow["provider"];
  provider_reference: string | null;
  method: PaymentRow["method"];
  currency: string;
  amount: number;
  amount_refunded: number;
  /** What the payment counts towards the invoice: received, less refunds and chargebacks. */
  amount_settled: number;
  status: PaymentRow["status"];
  chargeback: PaymentRow["chargeback"];
  failure_reason: string | null;
  received_at: string | null;
  note: string | null;
  created_at: string;
  updated_at: string;
};

export function paymentJson(row: PaymentRow): PaymentJson {
  return {
    id: row.id,
    invoice_id: row.invoiceId,
    provider: row.provider,
    provider_reference: row.providerReference,
    method: row.method,
    currency: row.currency,
    amount: row.amount,
    amount_refunded: row.amountRefunded,
    amount_settled: settledAmount(row),
    status: row.status,
    chargeback: row.chargeback,
    failure_reason: row.failureReason,
    received_at: row.receivedAt?.toISOString() ?? null,
    note: row.note,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

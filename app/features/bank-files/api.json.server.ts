// An unapplied bank payment as the API (and the console's inbox) shows it.
import type { AllocationRow, ProposalRow, UnappliedPaymentRow } from "~/features/bank-files/db/unapplied-payments.server";
import type { UnappliedReason, UnappliedState } from "~/domain/unapplied-payments";

export type UnappliedPaymentJson = {
  id: string;
  state: UnappliedState;
  version: number;
  reason: UnappliedReason;
  reason_detail: string;
  amount: number;
  remaining: number;
  currency: string;
  paid_on: string;
  invoice_id: string | null;
  bank: { format: "bgmax" | "camt054"; transaction_id: string; position: string; import_id: string | null };
  payer: { name: string | null; account: string | null; org_number: string | null; references: string[]; free_text: string | null };
  allocations: { invoice_id: string; invoice_number: string; amount: number; overpayment: boolean; payment_id: string; created_at: string }[];
  proposals: { invoice_id: string; invoice_number: string; report_id: string; reason: string; created_at: string }[];
  note: string | null;
  created_at: string;
  updated_at: string;
  resolved_at: string | null;
  resolved_by: string | null;
};

export function unappliedPaymentJson(row: UnappliedPaymentRow, allocations: readonly AllocationRow[], proposals: readonly ProposalRow[]): UnappliedPaymentJson {
  return {
    id: row.id,
    state: row.state,
    version: row.version,
    reason: row.reason,
    reason_detail: row.reasonDetail,
    amount: row.amount,
    remaining: row.remaining,
    currency: row.currency,
    paid_on: row.paidOn,
    invoice_id: row.invoiceId,
    bank: { format: row.format, transaction_id: row.transactionId, position: row.position, import_id: row.importId },
    payer: { name: row.payerName, account: row.payerAccount, org_number: row.payerOrgNumber, references: row.references, free_text: row.freeText },
    allocations: allocations
      .filter((allocation) => allocation.unappliedId === row.id)
      .map((allocation) => ({
        invoice_id: allocation.invoiceId,
        invoice_number: allocation.invoiceNumber,
        amount: allocation.amount,
        overpayment: allocation.overpayment,
        payment_id: allocation.paymentId,
        created_at: allocation.createdAt.toISOString(),
      })),
    proposals: proposals
      .filter((proposal) => proposal.unappliedId === row.id)
      .map((proposal) => ({
        invoice_id: proposal.invoiceId,
        invoice_number: proposal.invoiceNumber,
        report_id: proposal.reportId,
        reason: proposal.reason,
        created_at: proposal.createdAt.toISOString(),
      })),
    note: row.note,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
    resolved_at: row.resolvedAt?.toISOString() ?? null,
    resolved_by: row.resolvedBy,
  };
}

// The queue of bank payments waiting for a person (unapplied payments): why one waits and where it
// stands. The table (db/schema/unapplied-payments.ts), the API and the console read these lists.

/**
 * unmatched: no reference names an invoice; ambiguous: a reference fits several; currency: paid in
 * another currency; cancelled: the invoice named is cancelled; bank_id_reused: the bank's id was
 * booked before for another amount; overpaid: booked on its invoice, the excess waits.
 */
export const UNAPPLIED_REASONS = ["unmatched", "ambiguous", "overpaid", "currency", "cancelled", "bank_id_reused"] as const;
export type UnappliedReason = (typeof UNAPPLIED_REASONS)[number];

/** open: waiting; allocated: every öre placed on invoices; refund_pending: to be paid back; not_ours: not the supplier's money. */
export const UNAPPLIED_STATES = ["open", "allocated", "refund_pending", "not_ours"] as const;
export type UnappliedState = (typeof UNAPPLIED_STATES)[number];

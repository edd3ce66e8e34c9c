// How facts about one payment combine when the provider's events arrive in any order (security
// P3): each fact only moves forward, so applying events in any permutation ends in the same
// state, the one the provider holds after the last of them.

export type PaymentStatus = "pending" | "failed" | "cancelled" | "succeeded";
export type ChargebackStatus = "open" | "lost" | "won";

export type PaymentFacts = {
  status: PaymentStatus;
  amount: number;
  /** Cumulative, as providers report it. */
  amountRefunded: number;
  chargeback: ChargebackStatus | null;
};

/**
 * Succeeded is final for money. A failed attempt may be followed by a successful one on the same
 * checkout, never the reverse; an expired (cancelled) checkout outranks an earlier decline.
 */
const STATUS_RANK: Record<PaymentStatus, number> = { pending: 0, failed: 1, cancelled: 2, succeeded: 3 };
/** A chargeback opens, then is lost, then may be reversed (won). */
const CHARGEBACK_RANK: Record<ChargebackStatus, number> = { open: 1, lost: 2, won: 3 };

export type PaymentFactsUpdate = Partial<Pick<PaymentFacts, "status" | "amountRefunded" | "chargeback">>;

export function mergePaymentFacts(current: PaymentFacts, update: PaymentFactsUpdate): PaymentFacts {
  const status = update.status && STATUS_RANK[update.status] > STATUS_RANK[current.status] ? update.status : current.status;
  const amountRefunded = Math.min(Math.max(current.amountRefunded, update.amountRefunded ?? 0), current.amount);
  const chargeback =
    update.chargeback && (current.chargeback === null || CHARGEBACK_RANK[update.chargeback] > CHARGEBACK_RANK[current.chargeback])
      ? update.chargeback
      : current.chargeback;
  return { status, amount: current.amount, amountRefunded, chargeback };
}

/** What a payment adds to its invoice's balance: received money less refunds and lost chargebacks. */
export function settledAmount(facts: PaymentFacts): number {
  if (facts.status !== "succeeded") return 0;
  if (facts.chargeback === "lost" || facts.chargeback === "open") return 0;
  return facts.amount - facts.amountRefunded;
}

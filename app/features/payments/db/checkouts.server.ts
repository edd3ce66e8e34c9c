// Pending card checkouts of an invoice: the one a payer's retry (or double submit) reuses, and
// the hosted page's address once the provider has created it.
import { and, desc, eq, gt, isNotNull, isNull, or } from "drizzle-orm";
import { payments } from "../../../../db/schema";
import type { DbOrTx, Tx } from "../../../../db/client";
import type { CheckoutMethod } from "~/domain/payment-methods";
import type { PaymentRow } from "~/features/payments/db/payments.server";

/**
 * A still-usable pending checkout of the same invoice, account, method and amount: one whose
 * hosted page is open until after `openUntil`, or one whose provider call has not succeeded yet
 * and that was created after `retryableSince` (its idempotency key is still worth retrying).
 */
export async function findReusableCheckout(
  tx: Tx,
  scope: { invoiceId: string; accountId: string; method: CheckoutMethod; amount: number; openUntil: Date; retryableSince: Date },
): Promise<PaymentRow | undefined> {
  const [row] = await tx
    .select()
    .from(payments)
    .where(
      and(
        eq(payments.invoiceId, scope.invoiceId),
        eq(payments.accountId, scope.accountId),
        eq(payments.method, scope.method),
        eq(payments.amount, scope.amount),
        eq(payments.status, "pending"),
        or(
          and(isNotNull(payments.checkoutUrl), gt(payments.checkoutExpiresAt, scope.openUntil)),
          and(isNull(payments.checkoutUrl), gt(payments.createdAt, scope.retryableSince)),
        ),
      ),
    )
    .orderBy(desc(payments.createdAt))
    .limit(1);
  return row;
}

/** Stores the hosted page of a checkout, unless an event already settled it. */
export async function recordCheckoutPage(
  db: DbOrTx,
  paymentId: string,
  page: { url: string; expiresAt: Date; providerReference?: string | null; now: Date },
): Promise<void> {
  await db
    .update(payments)
    .set({
      checkoutUrl: page.url,
      checkoutExpiresAt: page.expiresAt,
      ...(page.providerReference ? { providerReference: page.providerReference } : {}),
      updatedAt: page.now,
    })
    .where(and(eq(payments.id, paymentId), eq(payments.status, "pending")));
}

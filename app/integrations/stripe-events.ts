// What a verified Stripe event says about one of our payments, as a ledger update. Pure: the
// webhook route verifies, this maps, the ledger (services/payments.server.ts) applies.
//
// Finding our payment: Checkout Sessions and PaymentIntents carry our metadata (we set both).
// Stripe copies a PaymentIntent's metadata onto the Charge it creates, once, at confirmation;
// Disputes carry none, only the PaymentIntent's id. So every update also names the PaymentIntent
// (providerReference), which the ledger stores from the first event that knew it.
import type Stripe from "stripe";
import { methodFromStripeTypes } from "~/domain/payment-methods";
import type { PaymentUpdate } from "~/features/payments/payments.server";

export type StripeEventMapping =
  | { kind: "update"; update: PaymentUpdate }
  /** Not a ledger fact (another event type), or an object that is not one of our payments. */
  | { kind: "ignored"; reason: string };

type Metadata = Stripe.Metadata | null | undefined;

const PAYMENT_ID = /^pay_[0-9A-Za-z]{22}$/;

function idOf(value: string | { id: string } | null | undefined): string | null {
  if (!value) return null;
  return typeof value === "string" ? value : value.id;
}

type Common = Pick<PaymentUpdate, "paymentId" | "providerReference" | "currency" | "amount" | "method"> & {
  metadata: Metadata;
  /** The Checkout Session's client_reference_id, which is our payment id too. */
  reference?: string | null;
};

export function mapStripeEvent(event: Stripe.Event, supplierId: string): StripeEventMapping {
  const occurredAt = new Date(event.created * 1000);
  const update = (common: Common, facts: Pick<PaymentUpdate, "status" | "amountRefunded" | "chargeback" | "failureReason">): StripeEventMapping => {
    const { metadata, reference, ...rest } = common;
    // Another supplier's payment (or another system's object) on the same Stripe account.
    if (metadata?.supplier_id && metadata.supplier_id !== supplierId) return { kind: "ignored", reason: "other supplier" };
    const paymentId = [metadata?.payment_id, reference].find((value) => value && PAYMENT_ID.test(value)) ?? null;
    if (!paymentId && !rest.providerReference) return { kind: "ignored", reason: "not ours" };
    return {
      kind: "update",
      update: {
        supplierId,
        provider: "stripe",
        ...rest,
        paymentId,
        invoiceId: metadata?.invoice_id || null,
        occurredAt,
        ...facts,
      },
    };
  };

  switch (event.type) {
    case "checkout.session.completed":
    case "checkout.session.async_payment_succeeded":
    case "checkout.session.async_payment_failed":
    case "checkout.session.expired": {
      const session = event.data.object;
      if (session.mode !== "payment") return { kind: "ignored", reason: `session mode ${session.mode}` };
      const common: Common = {
        metadata: session.metadata,
        reference: session.client_reference_id,
        providerReference: idOf(session.payment_intent),
        currency: session.currency ?? "",
        amount: session.amount_total ?? 0,
        method: methodFromStripeTypes(session.payment_method_types),
      };
      if (event.type === "checkout.session.expired") return update(common, { status: "cancelled" });
      if (event.type === "checkout.session.async_payment_failed") {
        return update(common, { status: "failed", failureReason: "The payment did not go through." });
      }
      // A completed session with payment_status "unpaid" is an async method still under way.
      return update(common, { status: session.payment_status === "paid" ? "succeeded" : undefined });
    }
    case "payment_intent.succeeded":
    case "payment_intent.payment_failed": {
      const intent = event.data.object;
      const common: Common = {
        metadata: intent.metadata,
        providerReference: intent.id,
        currency: intent.currency,
        amount: event.type === "payment_intent.succeeded" && intent.amount_received > 0 ? intent.amount_received : intent.amount,
        method: methodFromStripeTypes(intent.payment_method_types),
      };
      if (event.type === "payment_intent.succeeded") return update(common, { status: "succeeded" });
      const error = intent.last_payment_error;
      return update(common, { status: "failed", failureReason: error?.message ?? error?.decline_code ?? error?.code ?? "payment_failed" });
    }
    case "charge.refunded": {
      const charge = event.data.object;
      return update(
        {
          metadata: charge.metadata,
          providerReference: idOf(charge.payment_intent),
          currency: charge.currency,
          amount: charge.amount,
          method: methodFromStripeTypes(charge.payment_method_details ? [charge.payment_method_details.type] : null),
        },
        // Cumulative, so refund events in any order end at the largest; a refunded charge was paid.
        { amountRefunded: charge.amount_refunded, status: charge.paid ? "succeeded" : undefined },
      );
    }
    case "charge.dispute.created":
    case "charge.dispute.closed": {
      const dispute = event.data.object;
      const chargeback = disputeOutcome(event.type, dispute.status);
      if (!chargeback) return { kind: "ignored", reason: `dispute ${dispute.status}` };
      return update(
        {
          metadata: dispute.metadata,
          providerReference: idOf(dispute.payment_intent),
          currency: dispute.currency,
          // A dispute may cover part of the payment; the payment keeps its own amount (0 = keep).
          amount: 0,
        },
        { chargeback },
      );
    }
    default:
      return { kind: "ignored", reason: "event type not used" };
  }
}

/** Inquiries ("warning_…") move no money; a dispute is open until Stripe closes it won or lost. */
function disputeOutcome(type: "charge.dispute.created" | "charge.dispute.closed", status: string): "open" | "won" | "lost" | null {
  if (status.startsWith("warning_")) return null;
  if (type === "charge.dispute.created") return "open";
  if (status === "won" || status === "lost") return status;
  return null;
}

// Stripe's webhooks for one supplier's payment account (`/webhooks/stripe/<pac_…>`): the
// account names the secret that verifies the signature on the raw body (security P1); the
// event is then applied exactly once (P2) and answered at once, since Stripe retries slow
// answers. Nothing but a verified event changes a payment.
import type { ActionFunctionArgs } from "@remix-run/node";
import { verifyStripeWebhook } from "~/integrations/stripe.server";
import { mapStripeEvent } from "~/integrations/stripe-events";
import {
  readWebhookBody, WEBHOOK_BODY_LIMITS, webhookMethodNotAllowed, webhookNotFound, webhookReceived, webhookRefused,
} from "~/platform/webhook-receiver.server";
import { stripeWebhookAccount } from "~/features/payments/payment-accounts.server";
import { receiveProviderEvent } from "~/features/payments/payments.server";

export const loader = webhookMethodNotAllowed;

export async function action({ request, params, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return webhookMethodNotAllowed();
  const { db, config, log } = context.app;
  const accountId = params.accountId ?? "";
  const account = await stripeWebhookAccount(db, config, accountId);
  if (!account) {
    log.info({ accountId }, "stripe webhook for an unknown account");
    return webhookNotFound();
  }
  const body = await readWebhookBody(request, WEBHOOK_BODY_LIMITS.stripe);
  if (!body.ok) return body.response;
  const { rawBody } = body;

  const verified = verifyStripeWebhook(rawBody, request.headers.get("stripe-signature"), account.credentials.webhookSecret, new Date());
  if (!verified.ok) {
    log.warn({ accountId, reason: verified.reason }, "stripe webhook refused");
    return webhookRefused(verified.reason);
  }
  const { event } = verified;
  const mapping = mapStripeEvent(event, account.supplierId);
  const result = await receiveProviderEvent(
    db,
    { provider: "stripe", accountId: account.id, supplierId: account.supplierId, eventId: event.id, type: event.type },
    mapping.kind === "update" ? mapping.update : null,
  );
  const logged = { accountId, eventId: event.id, type: event.type, outcome: result.outcome };
  if (result.outcome === "mismatch") log.warn({ ...logged, detail: result.detail }, "stripe event contradicts our payment");
  else log.info({ ...logged, ...(mapping.kind === "ignored" ? { ignored: mapping.reason } : {}), paymentId: "payment" in result ? result.payment.id : undefined }, "stripe event");
  return webhookReceived();
}

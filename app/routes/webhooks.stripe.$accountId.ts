// Stripe's webhooks for one supplier's payment account (`/webhooks/stripe/<pac_…>`): the
// account names the secret that verifies the signature on the raw body (security P1); the
// event is then applied exactly once (P2) and answered at once, since Stripe retries slow
// answers. Nothing but a verified event changes a payment.
import type { ActionFunctionArgs } from "@remix-run/node";
import { verifyStripeWebhook } from "~/integrations/stripe.server";
import { mapStripeEvent } from "~/integrations/stripe-events";
import { findPaymentAccount } from "~/models/payment-accounts.server";
import { receiveProviderEvent } from "~/services/payments.server";

/** Stripe's events are a few kilobytes; anything far larger is not from Stripe. */
const MAX_BODY_BYTES = 512 * 1024;

function text(status: number, body: string, headers: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", ...headers } });
}

export function loader() {
  return text(405, "Method Not Allowed", { Allow: "POST" });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return text(405, "Method Not Allowed", { Allow: "POST" });
  const { db, config, log } = context.app;
  const accountId = params.accountId ?? "";
  const account = await findPaymentAccount(db, config, "stripe", accountId);
  if (!account) {
    log.info({ accountId }, "stripe webhook for an unknown account");
    return text(404, "Not Found");
  }
  if (Number(request.headers.get("content-length") ?? "0") > MAX_BODY_BYTES) return text(413, "Payload Too Large");
  // The raw text, byte for byte as signed: a parsed and re-serialised body would not verify.
  const rawBody = await request.text();
  if (Buffer.byteLength(rawBody) > MAX_BODY_BYTES) return text(413, "Payload Too Large");

  const verified = verifyStripeWebhook(rawBody, request.headers.get("stripe-signature"), account.credentials.webhookSecret, new Date());
  if (!verified.ok) {
    log.warn({ accountId, reason: verified.reason }, "stripe webhook refused");
    return text(400, `Webhook not accepted (${verified.reason}).`);
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
  return new Response(JSON.stringify({ received: true }), { status: 200, headers: { "Content-Type": "application/json", "Cache-Control": "no-store" } });
}

// Stripe, through its own SDK: Checkout Sessions for the payer (card data stays on Stripe's
// page, security P7) and the verification of Stripe's webhooks (P1). Every call for a payment
// carries the payment's idempotency key, stored before the call (P4). Results are unions: the
// caller decides what the payer sees when Stripe is away.
import Stripe from "stripe";
import type { Config } from "~/platform/config.server";
import { stripeMethodType } from "~/domain/payment-methods";
import type { StripeCredentials, PaymentAccount } from "~/features/payments/db/payment-accounts.server";
import type { PaymentRow } from "~/features/payments/db/payments.server";

export type StripeClientSettings = { timeoutMs: number; maxNetworkRetries: number };

const DEFAULT_SETTINGS: StripeClientSettings = { timeoutMs: 10_000, maxNetworkRetries: 2 };
let settings: StripeClientSettings = { ...DEFAULT_SETTINGS };
const clients = new Map<string, Stripe>();

/** Tests shorten the timeout (a fake that never answers) or turn retries off; null restores the defaults. */
export function setStripeClientSettings(next: Partial<StripeClientSettings> | null): void {
  settings = next ? { ...settings, ...next } : { ...DEFAULT_SETTINGS };
  clients.clear();
}

/** One client per secret key (and API address), kept for the process: clients hold keep-alive agents. */
export function stripeClient(config: Pick<Config, "providerApiUrls">, credentials: Pick<StripeCredentials, "secretKey">): Stripe {
  const api = config.providerApiUrls.stripe;
  const cacheKey = `${api?.href ?? "stripe"}|${credentials.secretKey}`;
  let client = clients.get(cacheKey);
  if (!client) {
    client = new Stripe(credentials.secretKey, {
      maxNetworkRetries: settings.maxNetworkRetries,
      timeout: settings.timeoutMs,
      telemetry: false,
      ...(api
        ? { host: api.hostname, port: api.port || (api.protocol === "https:" ? 443 : 80), protocol: api.protocol === "https:" ? "https" : "http" }
        : {}),
    });
    clients.set(cacheKey, client);
  }
  return client;
}

/** How long a payer has on Stripe's page. Stripe accepts 30 minutes to 24 hours. */
export const CHECKOUT_LIFETIME_MS = 60 * 60 * 1000;

export type CheckoutResult =
  | { ok: true; url: string; sessionId: string; expiresAt: Date }
  /** "conflict": Stripe saw this idempotency key with other parameters; the checkout needs a new key. */
  | { ok: false; reason: "unavailable" | "rejected" | "conflict"; detail: string };

export type CheckoutRequest = {
  payment: Pick<PaymentRow, "id" | "invoiceId" | "supplierId" | "amount" | "currency" | "method" | "idempotencyKey" | "createdAt">;
  invoice: { number: string };
  successUrl: string;
  cancelUrl: string;
  locale: "sv" | "en";
};

/**
 * Creates the Checkout Session of a pending payment. Every parameter derives from the stored
 * payment, so a retry with the same idempotency key sends the same request (Stripe refuses a
 * key reused with other parameters): the expiry counts from the payment's creation.
 */
export async function createStripeCheckout(
  config: Pick<Config, "providerApiUrls">,
  account: PaymentAccount<"stripe">,
  request: CheckoutRequest,
): Promise<CheckoutResult> {
  const { payment } = request;
  const metadata = { payment_id: payment.id, invoice_id: payment.invoiceId, supplier_id: payment.supplierId };
  const expiresAt = Math.floor((payment.createdAt.getTime() + CHECKOUT_LIFETIME_MS) / 1000);
  try {
    const session = await stripeClient(config, account.credentials).checkout.sessions.create(
      {
        mode: "payment",
        line_items: [
          {
            quantity: 1,
            price_data: {
              currency: payment.currency.toLowerCase(),
              // Minor units, exactly as stored (P5): Stripe's amounts are in the same units.
              unit_amount: payment.amount,
              product_data: { name: `Invoice ${request.invoice.number}` },
            },
          },
        ],
        // The SDK's API version replaced payment_method_types with this filter; one method each.
        allowed_payment_method_types: [stripeMethodType(payment.method)],
        client_reference_id: payment.id,
        metadata,
        payment_intent_data: { metadata },
        locale: request.locale,
        expires_at: expiresAt,
        success_url: request.successUrl,
        cancel_url: request.cancelUrl,
      },
      { idempotencyKey: payment.idempotencyKey },
    );
    if (!session.url) return { ok: false, reason: "rejected", detail: `session ${session.id} has no URL` };
    return { ok: true, url: session.url, sessionId: session.id, expiresAt: new Date((session.expires_at ?? expiresAt) * 1000) };
  } catch (error) {
    if (error instanceof Stripe.errors.StripeIdempotencyError) return { ok: false, reason: "conflict", detail: error.message };
    if (error instanceof Stripe.errors.StripeInvalidRequestError || error instanceof Stripe.errors.StripeAuthenticationError || error instanceof Stripe.errors.StripePermissionError) {
      return { ok: false, reason: "rejected", detail: `${error.type}: ${error.message}` };
    }
    if (error instanceof Stripe.errors.StripeError) return { ok: false, reason: "unavailable", detail: `${error.type}: ${error.message}` };
    throw error;
  }
}

/** Stripe's own tolerance for old signatures, and ours for clocks running ahead. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

export type VerifiedWebhook = { ok: true; event: Stripe.Event } | { ok: false; reason: "signature" | "stale" | "future" | "malformed" };

/**
 * Verifies a webhook on its raw body (P1). The SDK rejects signatures older than the
 * tolerance; a timestamp further ahead is refused here, since a replayed or forged-clock header
 * must not outlive the window either.
 */
export function verifyStripeWebhook(rawBody: string, signature: string | null, webhookSecret: string, now: Date): VerifiedWebhook {
  if (!signature) return { ok: false, reason: "signature" };
  const timestamp = /(?:^|,)\s*t=(\d+)/.exec(signature)?.[1];
  if (timestamp && Number(timestamp) > now.getTime() / 1000 + WEBHOOK_TOLERANCE_SECONDS) return { ok: false, reason: "future" };
  try {
    const event = Stripe.webhooks.constructEvent(rawBody, signature, webhookSecret, WEBHOOK_TOLERANCE_SECONDS, undefined, now.getTime());
    return { ok: true, event };
  } catch (error) {
    if (error instanceof Stripe.errors.StripeSignatureVerificationError) {
      return { ok: false, reason: /tolerance/i.test(error.message) ? "stale" : "signature" };
    }
    return { ok: false, reason: "malformed" };
  }
}

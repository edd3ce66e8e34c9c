// "Pay by card" (or Swish through the card provider) from the portal page: a pending payment is
// written first, with the idempotency key every provider call for it sends (security P4); the
// provider is called after the commit, never holding the invoice's lock; the payer goes to the
// provider's hosted page (P7). Only the provider's verified webhook makes the payment succeed.
import type { Logger } from "pino";
import { peekForm } from "~/platform/forms/form-peek.server";
import type { Db } from "../../../db/client";
import { publicUrl, type Config } from "~/platform/config.server";
import { acceptsCurrency, DEFAULT_CHECKOUT_METHOD, isCheckoutMethod, type CheckoutMethod } from "~/domain/payment-methods";
import { negotiateLocale, type Locale, type MessageKey } from "~/i18n";
import { createAdyenCheckout } from "~/integrations/adyen.server";
import { CHECKOUT_LIFETIME_MS, createStripeCheckout } from "~/integrations/stripe.server";
import { findReusableCheckout, recordCheckoutPage } from "~/features/payments/db/checkouts.server";
import { listSupplierPaymentAccounts, type PaymentAccount } from "~/features/payments/db/payment-accounts.server";
import { lockInvoiceForPayer } from "~/features/portal/db/payer-invoices.server";
import type { PaymentRow } from "~/features/payments/db/payments.server";
import { resolveInvoiceToken } from "~/features/links/links.server";
import { isCrossSiteRequest } from "~/features/portal/payer-actions.server";
import { createPendingPayment } from "~/features/payments/payments.server";

export type CheckoutOutcome =
  | { kind: "redirect"; url: string }
  | { kind: "refused"; messageKey: MessageKey; status: 409 | 503 }
  | { kind: "not_found" }
  | { kind: "forbidden" };

/** A hosted page is reused only while the payer still has time on it. */
const REUSE_MARGIN_MS = 10 * 60 * 1000;
/**
 * A checkout whose provider call failed is retried with the same key only while the expiry it
 * sends (creation + lifetime) is still accepted by Stripe: at least 30 minutes ahead.
 */
const RETRY_WINDOW_MS = CHECKOUT_LIFETIME_MS - 35 * 60 * 1000;

/**
 * Where the provider sends the payer back: the portal page, told which checkout it was and in
 * the language the payer chose (the page and its notices stay in it after paying, failing or
 * cancelling).
 */
export function checkoutReturnUrl(
  config: Pick<Config, "publicBaseUrl">,
  token: string,
  paymentId: string,
  locale: Locale,
  cancelled = false,
): string {
  const query = new URLSearchParams({ checkout: paymentId });
  if (cancelled) query.set("cancelled", "1");
  query.set("lang", locale);
  return `${publicUrl(config, `/i/${token}`)}?${query}`;
}

/**
 * The hosted page's address as we redirect to it. A redirect without a fragment inherits the
 * fragment of the page that posted (`/i/…#pay`); an explicit empty one keeps it off the
 * provider's URL.
 */
export function checkoutRedirectUrl(url: string): string {
  return url.includes("#") ? url : `${url}#`;
}

/** Stripe first when both accounts offer the method. */
function chooseAccount(accounts: PaymentAccount[], method: CheckoutMethod): PaymentAccount | undefined {
  const offering = accounts.filter((account) => account.methods.includes(method));
  return offering.find((account) => account.provider === "stripe") ?? offering[0];
}

type Prepared =
  | { kind: "page"; url: string }
  | { kind: "call"; payment: PaymentRow; account: PaymentAccount; invoiceNumber: string; locale: Locale }
  | { kind: "refused"; messageKey: MessageKey };

type Services = { db: Db; config: Config; log?: Pick<Logger, "warn"> };

export async function startCardCheckout(
  app: Services,
  input: { token: string; request: Request; method: CheckoutMethod; now?: Date },
): Promise<CheckoutOutcome> {
  const { db, config } = app;
  // Before anything else: a cross-site POST learns nothing, not even whether the link works.
  if (isCrossSiteRequest(input.request, config)) return { kind: "forbidden" };
  const now = input.now ?? new Date();
  const resolved = await resolveInvoiceToken(db, config, input.token, now);
  if (!resolved.ok) return { kind: "not_found" };
  const { link } = resolved;

  const prepared = await db.transaction(async (tx): Promise<Prepared> => {
    // The invoice's lock queues concurrent submissions: the second finds the first's checkout.
    const locked = await lockInvoiceForPayer(tx, link);
    if (!locked) throw new Error(`invoice ${link.invoiceId} of a valid link is missing`);
    const { invoice, customer, supplier } = locked;
    if (invoice.cancelledAt) return { kind: "refused", messageKey: "portal.pay.cancelled" };
    const amountDue = invoice.total - invoice.amountPaid;
    if (amountDue <= 0) return { kind: "refused", messageKey: "portal.pay.nothingDue" };
    const account = chooseAccount(await listSupplierPaymentAccounts(tx, config, supplier.id), input.method);
    if (!supplier.paymentOptions.includes(input.method) || !account || !acceptsCurrency(input.method, invoice.currency)) {
      return { kind: "refused", messageKey: "pay.checkout.notOffered" };
    }
    const reusable = await findReusableCheckout(tx, {
      invoiceId: invoice.id,
      accountId: account.id,
      method: input.method,
      amount: amountDue,
      openUntil: new Date(now.getTime() + REUSE_MARGIN_MS),
      retryableSince: new Date(now.getTime() - RETRY_WINDOW_MS),
    });
    if (reusable?.checkoutUrl) return { kind: "page", url: reusable.checkoutUrl };
    const payment =
      reusable ??
      (await createPendingPayment(tx, {
        supplierId: invoice.supplierId,
        invoiceId: invoice.id,
        accountId: account.id,
        provider: account.provider,
        method: input.method,
        currency: invoice.currency,
        amount: amountDue,
      }));
    const locale = negotiateLocale(input.request, customer.language, supplier.language);
    return { kind: "call", payment, account, invoiceNumber: invoice.number, locale };
  });

  if (prepared.kind === "page") return { kind: "redirect", url: checkoutRedirectUrl(prepared.url) };
  if (prepared.kind === "refused") return { kind: "refused", messageKey: prepared.messageKey, status: 409 };

  const { account, invoiceNumber, locale } = prepared;
  let { payment } = prepared;
  let result = await callProvider(app, { token: input.token, payment, account, invoiceNumber, locale });
  if (!result.ok && result.reason === "conflict") {
    // The key was first sent with other parameters (the payer switched language): a new checkout.
    payment = await db.transaction(async (tx) => {
      await lockInvoiceForPayer(tx, link);
      const { supplierId, invoiceId, currency, amount } = payment;
      return createPendingPayment(tx, { supplierId, invoiceId, currency, amount, accountId: account.id, provider: account.provider, method: input.method });
    });
    result = await callProvider(app, { token: input.token, payment, account, invoiceNumber, locale });
  }
  if (!result.ok) {
    app.log?.warn({ paymentId: payment.id, accountId: account.id, provider: account.provider, reason: result.reason, detail: result.detail }, "checkout not created");
    return { kind: "refused", messageKey: "pay.checkout.unavailable", status: 503 };
  }
  await recordCheckoutPage(db, payment.id, { url: result.url, expiresAt: result.expiresAt, providerReference: result.providerReference, now: new Date() });
  return { kind: "redirect", url: checkoutRedirectUrl(result.url) };
}

type ProviderResult =
  | { ok: true; url: string; expiresAt: Date; providerReference?: string | null }
  | { ok: false; reason: string; detail?: string };

async function callProvider(
  app: Services,
  call: { token: string; payment: PaymentRow; account: PaymentAccount; invoiceNumber: string; locale: Locale },
): Promise<ProviderResult> {
  const { config } = app;
  const { payment, account } = call;
  const returnUrl = checkoutReturnUrl(config, call.token, payment.id, call.locale);
  const invoice = { id: payment.invoiceId, number: call.invoiceNumber };
  if (account.provider === "stripe") {
    return createStripeCheckout(config, account as PaymentAccount<"stripe">, {
      payment,
      invoice,
      successUrl: returnUrl,
      cancelUrl: checkoutReturnUrl(config, call.token, payment.id, call.locale, true),
      locale: call.locale,
    });
  }
  return createAdyenCheckout(config, account as PaymentAccount<"adyen">, {
    payment,
    invoice,
    returnUrl,
    locale: call.locale,
  });
}

const MAX_CHECKOUT_FORM_BYTES = 16 * 1024;

/**
 * The "pay by card" form, read from a copy of the request so that any other form is left whole
 * for the payer-actions dispatcher: null when the POST is not a pay-card form. `method` is null
 * when the form names no method we know.
 */
export async function readCheckoutForm(request: Request): Promise<{ method: CheckoutMethod | null } | null> {
  const fields = await peekForm(request, MAX_CHECKOUT_FORM_BYTES);
  if (fields?.get("intent") !== "pay-card") return null;
  const method = fields.get("method") ?? DEFAULT_CHECKOUT_METHOD;
  return { method: isCheckoutMethod(method) ? method : null };
}

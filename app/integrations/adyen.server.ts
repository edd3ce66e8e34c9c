// Adyen through its own SDK: a payment link (Adyen's hosted payment page, so card data never
// touches us — security P7) for one pending payment, created with the payment's idempotency key
// (P4). The result is a union: the page shows "try again" on failure, never a 500.
// The library is CommonJS: Node's ESM loader (the production build) sees only its default export.
import adyen, { type Types } from "@adyen/api-library";
import type ClientInterface from "@adyen/api-library/lib/src/httpClient/clientInterface";
import type AdyenConfig from "@adyen/api-library/lib/src/config";
import type { IRequest } from "@adyen/api-library/lib/src/typings/requestOptions";
import type { Config } from "~/platform/config.server";
import { adyenMethod } from "~/domain/payment-methods";
import type { PaymentAccount, AdyenCredentials } from "~/features/payments/db/payment-accounts.server";
import type { PaymentRow } from "~/features/payments/db/payments.server";
import { toAdyenValue } from "./adyen-money";

const { CheckoutAPI, Client, EnvironmentEnum, HttpClientException } = adyen;

const DEFAULT_TIMEOUT_MS = 10_000;
/** How long a payment link stays payable; a reused pending checkout keeps its first expiry. */
export const ADYEN_LINK_TTL_MS = 60 * 60 * 1000;

/**
 * Sends the SDK's calls to the local fake (config.providerApiUrls.adyen) over plain http, which
 * the SDK's own client refuses. The SDK still builds every request; only the host changes.
 */
class FakeTargetHttpClient implements ClientInterface {
  constructor(
    private readonly base: URL,
    private readonly timeoutMs: number,
  ) {}

  async request(endpoint: string, json: string | Buffer, config: AdyenConfig, _isApiKeyRequired: boolean, options: IRequest.Options = {}): Promise<string> {
    const original = new URL(endpoint);
    // Live Checkout URLs carry a /checkout prefix before the version; the fake serves /v72/… only.
    const path = original.pathname.replace(/^\/checkout(?=\/v\d+\/)/, "");
    const target = new URL(`${this.base.pathname.replace(/\/$/, "")}${path}`, this.base);
    if (options.params) target.search = new URLSearchParams(options.params as ConstructorParameters<typeof URLSearchParams>[0]).toString();
    const headers = new Headers({ "content-type": "application/json", accept: "application/json" });
    for (const [name, value] of Object.entries(options.headers ?? {})) if (value !== undefined) headers.set(name, String(value));
    if (config.apiKey) headers.set("x-api-key", config.apiKey);
    if (options.idempotencyKey) headers.set("idempotency-key", options.idempotencyKey);
    const method = options.method ?? "POST";
    const response = await fetch(target, {
      method,
      headers,
      body: method === "GET" || method === "DELETE" ? undefined : typeof json === "string" ? json : new Uint8Array(json),
      signal: AbortSignal.timeout(this.timeoutMs),
      redirect: "error",
    });
    const body = await response.text();
    if (!response.ok) {
      throw new HttpClientException({ message: `HTTP Exception: ${response.status}`, statusCode: response.status, responseBody: body });
    }
    return body;
  }
}

export function adyenClient(
  config: Pick<Config, "providerApiUrls">,
  credentials: AdyenCredentials,
  options: { timeoutMs?: number } = {},
): InstanceType<typeof Client> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const client = new Client({
    apiKey: credentials.apiKey,
    environment: credentials.environment === "live" ? EnvironmentEnum.LIVE : EnvironmentEnum.TEST,
    liveEndpointUrlPrefix: credentials.liveUrlPrefix ?? undefined,
    connectionTimeoutMillis: timeoutMs,
  });
  if (config.providerApiUrls.adyen) client.httpClient = new FakeTargetHttpClient(config.providerApiUrls.adyen, timeoutMs);
  return client;
}

export type AdyenCheckoutInput = {
  payment: Pick<PaymentRow, "id" | "supplierId" | "invoiceId" | "amount" | "currency" | "method" | "idempotencyKey" | "createdAt">;
  invoice: { id: string; number: string };
  /** Where Adyen sends the payer back: `<public base>/i/<token>?checkout=<pay id>`. */
  returnUrl: string;
  /** The payer's language ("sv", "en"). */
  locale: string;
  /** Defaults to the payment's creation plus ADYEN_LINK_TTL_MS, so a retry sends the same request. */
  expiresAt?: Date;
  timeoutMs?: number;
};

export type AdyenCheckoutResult =
  | { ok: true; url: string; linkId: string; providerReference: null; expiresAt: Date }
  | { ok: false; reason: "timeout" | "rejected" | "unavailable"; detail: string };

const SHOPPER_LOCALES: Record<string, string> = { sv: "sv-SE", en: "en-GB" };

/**
 * A payment link for the pending payment. The link id is not a pspReference (each attempt on the
 * link gets its own), so the payment is matched later by its merchant reference, our pay_… id.
 */
export async function createAdyenCheckout(
  config: Pick<Config, "providerApiUrls">,
  account: PaymentAccount<"adyen">,
  input: AdyenCheckoutInput,
): Promise<AdyenCheckoutResult> {
  const { payment, invoice } = input;
  const expiresAt = input.expiresAt ?? new Date(payment.createdAt.getTime() + ADYEN_LINK_TTL_MS);
  const method = adyenMethod(payment.method);
  const request: Types.checkout.PaymentLinkRequest = {
    amount: { currency: payment.currency, value: toAdyenValue(payment.amount, payment.currency) },
    reference: payment.id,
    merchantAccount: account.credentials.merchantAccount,
    returnUrl: input.returnUrl,
    shopperLocale: SHOPPER_LOCALES[input.locale] ?? input.locale,
    expiresAt,
    description: `Invoice ${invoice.number}`,
    metadata: { payment_id: payment.id, invoice_id: invoice.id, supplier_id: payment.supplierId },
    allowedPaymentMethods: [method.type],
    // Some methods are offered to one country's shoppers only (Swish: Sweden).
    ...(method.countryCode ? { countryCode: method.countryCode } : {}),
  };
  try {
    const checkout = new CheckoutAPI(adyenClient(config, account.credentials, { timeoutMs: input.timeoutMs }));
    const link = await checkout.PaymentLinksApi.paymentLinks(request, { idempotencyKey: payment.idempotencyKey });
    if (!link.url || !link.id) return { ok: false, reason: "unavailable", detail: "Adyen answered without a link" };
    return { ok: true, url: link.url, linkId: link.id, providerReference: null, expiresAt: link.expiresAt ? new Date(link.expiresAt) : expiresAt };
  } catch (error) {
    return { ok: false, ...describeFailure(error) };
  }
}

function describeFailure(error: unknown): { reason: "timeout" | "rejected" | "unavailable"; detail: string } {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return { reason: "timeout", detail: "Adyen did not answer in time" };
  }
  if (error instanceof HttpClientException && error.statusCode >= 400 && error.statusCode < 500) {
    return { reason: "rejected", detail: `Adyen refused the payment link (${error.statusCode}${error.errorCode ? ` ${error.errorCode}` : ""})` };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { reason: "unavailable", detail: message.slice(0, 200) };
}

// Suppliers' own Stripe and Adyen accounts, for the API and the operator CLI: validated, stored
// encrypted (app/platform/credentials.server.ts), shown only as hints, every change audited
// without its secrets.
import type { z } from "zod";
import type { Db } from "../../../db/client";
import type { PaymentProvider } from "../../../db/schema";
import { adyenAccountSchema, stripeAccountSchema, type AdyenAccountInput, type StripeAccountInput } from "~/features/payments/api.schemas";
import { type FieldError, fieldErrors } from "~/api/problem.server";
import { publicUrl, type Config } from "~/platform/config.server";
import { isAccountMethod, type ProviderMethod } from "~/domain/payment-methods";
import { newPublicId } from "~/domain/public-id";
import { actorColumns, appendEvent, type Actor } from "~/platform/audit/db/events.server";
import {
  deletePaymentAccount, findPaymentAccount, findSupplierPaymentAccountRow, insertPaymentAccount, listSupplierPaymentAccountRows,
  updatePaymentAccount, type AdyenCredentials, type PaymentAccountRow, type ProviderCredentials, type StripeCredentials,
} from "~/features/payments/db/payment-accounts.server";
import { isPaymentAccountReferenced } from "~/features/payments/db/payments.server";
import { getSupplierForUpdate } from "~/features/suppliers/db/suppliers.server";
import { decryptCredentials, encryptCredentials } from "~/platform/credentials.server";

type AccountConfig = Pick<Config, "credentialsKeys" | "publicBaseUrl">;

export const PROVIDERS: readonly PaymentProvider[] = ["stripe", "adyen"];

export function isPaymentProvider(value: string): value is PaymentProvider {
  return (PROVIDERS as readonly string[]).includes(value);
}

/** What an operator must do before credentials can be stored or shown. */
export const CREDENTIALS_KEYS_MISSING =
  "Provider credentials are encrypted at rest, and this server has no CREDENTIALS_KEYS: " +
  'set CREDENTIALS_KEYS to "kid:<32 bytes in base64>" (openssl rand -base64 32) and restart.';

export type StripeAccountJson = {
  secret_key_hint: string;
  mode: "test" | "live";
  webhook_secret_hint: string;
};

export type AdyenAccountJson = {
  api_key_hint: string;
  merchant_account: string;
  environment: "test" | "live";
  live_url_prefix: string | null;
  hmac_key_hint: string;
  notification_username: string;
};

export type PaymentAccountJson = {
  id: string;
  provider: PaymentProvider;
  methods: ProviderMethod[];
  /** Register this URL at the provider: its webhooks are verified with this account's secret. */
  webhook_url: string;
  credentials: StripeAccountJson | AdyenAccountJson;
  created_at: string;
  updated_at: string;
};

/** `sk_test_…4242`: enough to recognise a key, never enough to use it. */
export function secretHint(secret: string): string {
  const prefix = /^((?:sk|rk)_(?:test|live)_|whsec_)/.exec(secret)?.[1] ?? "";
  return `${prefix}…${secret.slice(-4)}`;
}

function credentialsJson(provider: PaymentProvider, credentials: ProviderCredentials[PaymentProvider]): StripeAccountJson | AdyenAccountJson {
  if (provider === "stripe") {
    const stripe = credentials as StripeCredentials;
    return {
      secret_key_hint: secretHint(stripe.secretKey),
      mode: stripe.secretKey.includes("_live_") ? "live" : "test",
      webhook_secret_hint: secretHint(stripe.webhookSecret),
    };
  }
  const adyen = credentials as AdyenCredentials;
  return {
    api_key_hint: secretHint(adyen.apiKey),
    merchant_account: adyen.merchantAccount,
    environment: adyen.environment,
    live_url_prefix: adyen.liveUrlPrefix,
    hmac_key_hint: secretHint(adyen.hmacKey),
    notification_username: adyen.notificationUsername,
  };
}

export function paymentAccountJson(config: AccountConfig, row: PaymentAccountRow): PaymentAccountJson {
  const credentials = decryptCredentials<ProviderCredentials[PaymentProvider]>(config, row.credentialsCiphertext);
  return {
    id: row.id,
    provider: row.provider,
    methods: row.methods.filter(isAccountMethod),
    webhook_url: publicUrl(config, `/webhooks/${row.provider}/${row.id}`),
    credentials: credentialsJson(row.provider, credentials),
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

type Parsed = { methods: ProviderMethod[]; credentials: ProviderCredentials[PaymentProvider] };

function toCredentials(provider: PaymentProvider, input: unknown): { ok: true; value: Parsed } | { ok: false; errors: FieldError[] } {
  const schema: z.ZodType<StripeAccountInput | AdyenAccountInput, z.ZodTypeDef, unknown> =
    provider === "stripe" ? stripeAccountSchema : adyenAccountSchema;
  const parsed = schema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  if (provider === "stripe") {
    const value = parsed.data as StripeAccountInput;
    const credentials: StripeCredentials = { secretKey: value.secret_key, webhookSecret: value.webhook_secret };
    return { ok: true, value: { methods: value.methods, credentials } };
  }
  const value = parsed.data as AdyenAccountInput;
  const credentials: AdyenCredentials = {
    apiKey: value.api_key,
    merchantAccount: value.merchant_account,
    environment: value.environment,
    liveUrlPrefix: value.environment === "live" ? (value.live_url_prefix ?? null) : null,
    hmacKey: value.hmac_key.toUpperCase(),
    notificationUsername: value.notification_username,
    notificationPassword: value.notification_password,
  };
  return { ok: true, value: { methods: value.methods, credentials } };
}

const FIELD_NAMES: Record<string, string> = {
  secretKey: "secret_key", webhookSecret: "webhook_secret", apiKey: "api_key", merchantAccount: "merchant_account",
  environment: "environment", liveUrlPrefix: "live_url_prefix", hmacKey: "hmac_key",
  notificationUsername: "notification_username", notificationPassword: "notification_password",
};

/** Names (never values) of the credentials that differ from the stored ones. */
function changedFields(config: AccountConfig, before: PaymentAccountRow, after: Parsed): string[] {
  let old: Record<string, unknown>;
  try {
    old = decryptCredentials<Record<string, unknown>>(config, before.credentialsCiphertext);
  } catch {
    old = {}; // sealed with a retired key: everything counts as replaced
  }
  const changed = Object.entries(after.credentials)
    .filter(([key, value]) => old[key] !== value)
    .map(([key]) => FIELD_NAMES[key] ?? key);
  if (before.methods.join(",") !== after.methods.join(",")) changed.push("methods");
  return changed;
}

export type NotConfigured = { ok: false; reason: "not_configured"; message: string };
type Invalid = { ok: false; reason: "invalid"; errors: FieldError[] };
type NotFound = { ok: false; reason: "not_found" };

const notConfigured: NotConfigured = { ok: false, reason: "not_configured", message: CREDENTIALS_KEYS_MISSING };

/**
 * Creates or replaces the supplier's account at the provider. The account keeps its id, so the
 * webhook URL registered at the provider stays valid when keys are rotated.
 */
export async function setPaymentAccount(
  db: Db,
  config: AccountConfig,
  params: { supplierId: string; provider: PaymentProvider; input: unknown; actor: Actor; now?: Date },
): Promise<{ ok: true; account: PaymentAccountJson; created: boolean } | Invalid | NotFound | NotConfigured> {
  const { supplierId, provider, actor } = params;
  const parsed = toCredentials(provider, params.input);
  if (!parsed.ok) return { ok: false, reason: "invalid", errors: parsed.errors };
  if (config.credentialsKeys.length === 0) return notConfigured;
  const now = params.now ?? new Date();
  const ciphertext = encryptCredentials(config, parsed.value.credentials);
  return db.transaction(async (tx) => {
    // The supplier's row serialises concurrent changes of its accounts (no duplicate insert).
    if (!(await getSupplierForUpdate(tx, supplierId))) return { ok: false, reason: "not_found" } as const;
    const before = await findSupplierPaymentAccountRow(tx, supplierId, provider, { forUpdate: true });
    const wasActive = before !== undefined && before.methods.length > 0;
    const changed = before && wasActive ? changedFields(config, before, parsed.value) : ["credentials", "methods"];
    const row = before
      ? await updatePaymentAccount(tx, before.id, { methods: parsed.value.methods, credentialsCiphertext: ciphertext, updatedAt: now })
      : await insertPaymentAccount(tx, {
          id: newPublicId("pac"),
          supplierId,
          provider,
          methods: parsed.value.methods,
          credentialsCiphertext: ciphertext,
          createdAt: now,
          updatedAt: now,
        });
    await appendEvent(tx, {
      supplierId,
      type: "payment_account.updated",
      ...actorColumns(actor),
      data: { account_id: row.id, provider, methods: row.methods, created: !wasActive, changed },
    });
    return { ok: true, account: paymentAccountJson(config, row), created: !wasActive } as const;
  });
}

/** The supplier's active accounts (a removed one that must stay for its webhooks is not listed). */
export async function listPaymentAccounts(
  db: Db,
  config: AccountConfig,
  supplierId: string,
): Promise<{ ok: true; accounts: PaymentAccountJson[] } | NotConfigured> {
  const rows = (await listSupplierPaymentAccountRows(db, supplierId)).filter((row) => row.methods.length > 0);
  if (rows.length > 0 && config.credentialsKeys.length === 0) return notConfigured;
  return { ok: true, accounts: rows.map((row) => paymentAccountJson(config, row)) };
}

export async function getPaymentAccount(
  db: Db,
  config: AccountConfig,
  supplierId: string,
  provider: PaymentProvider,
): Promise<{ ok: true; account: PaymentAccountJson } | NotFound | NotConfigured> {
  const row = await findSupplierPaymentAccountRow(db, supplierId, provider);
  if (!row || row.methods.length === 0) return { ok: false, reason: "not_found" };
  if (config.credentialsKeys.length === 0) return notConfigured;
  return { ok: true, account: paymentAccountJson(config, row) };
}

/**
 * Stops offering the provider at checkout. An account that payments or provider events already
 * name keeps its row with no methods: refunds and chargebacks of those payments still arrive at
 * its webhook URL and must still verify. An unused account is deleted outright.
 */
export async function removePaymentAccount(
  db: Db,
  params: { supplierId: string; provider: PaymentProvider; actor: Actor; now?: Date },
): Promise<{ ok: true; accountId: string; keptForWebhooks: boolean } | NotFound> {
  const { supplierId, provider, actor } = params;
  return db.transaction(async (tx) => {
    if (!(await getSupplierForUpdate(tx, supplierId))) return { ok: false, reason: "not_found" } as const;
    const row = await findSupplierPaymentAccountRow(tx, supplierId, provider, { forUpdate: true });
    if (!row || row.methods.length === 0) return { ok: false, reason: "not_found" } as const;
    const keptForWebhooks = await isPaymentAccountReferenced(tx, row.id);
    if (keptForWebhooks) await updatePaymentAccount(tx, row.id, { methods: [], updatedAt: params.now ?? new Date() });
    else await deletePaymentAccount(tx, row.id);
    await appendEvent(tx, {
      supplierId,
      type: "payment_account.removed",
      ...actorColumns(actor),
      data: { account_id: row.id, provider, kept_for_webhooks: keptForWebhooks },
    });
    return { ok: true, accountId: row.id, keptForWebhooks } as const;
  });
}

/** The Stripe account a webhook's URL names (`/webhooks/stripe/<account id>`), with its secrets. */
export async function stripeWebhookAccount(db: Db, config: Pick<Config, "credentialsKeys">, accountId: string) {
  return findPaymentAccount(db, config, "stripe", accountId);
}

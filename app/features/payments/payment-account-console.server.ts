// The console's payment accounts (/app/settings/payment-accounts): what the page shows of each
// provider (hints, never keys) and the form's fields turned into the API's input, its refusals
// into dictionary keys by field. The work is the API's own use cases (payment-accounts.server.ts:
// the same validation, encryption and audit events without secrets).
import type { Db } from "../../../db/client";
import type { PaymentProvider } from "../../../db/schema";
import type { Config } from "~/platform/config.server";
import type { MessageKey } from "~/i18n";
import type { Actor } from "~/platform/audit/db/events.server";
import { isAccountMethod, providerMethods, type ProviderMethod } from "~/domain/payment-methods";
import { publicUrl } from "~/platform/config.server";
import { listSupplierPaymentAccountRows } from "~/features/payments/db/payment-accounts.server";
import {
  paymentAccountJson, PROVIDERS, setPaymentAccount, type AdyenAccountJson, type StripeAccountJson,
} from "~/features/payments/payment-accounts.server";

type AccountConfig = Pick<Config, "credentialsKeys" | "publicBaseUrl">;

/** The form's fields of each provider, as the API's input names them (methods apart). */
export const ACCOUNT_FIELDS = {
  stripe: ["secret_key", "webhook_secret"],
  adyen: ["api_key", "merchant_account", "environment", "live_url_prefix", "hmac_key", "notification_username", "notification_password"],
} as const satisfies Record<PaymentProvider, readonly string[]>;

export type AccountField = (typeof ACCOUNT_FIELDS)[PaymentProvider][number] | "methods";

/** Typed again on every change, never shown, never sent back to the browser. */
export const SECRET_FIELDS: ReadonlySet<AccountField> = new Set(["secret_key", "webhook_secret", "api_key", "hmac_key", "notification_password"]);

const ERRORS: Record<AccountField, MessageKey> = {
  secret_key: "console.paymentAccounts.error.secret_key",
  webhook_secret: "console.paymentAccounts.error.webhook_secret",
  api_key: "console.paymentAccounts.error.api_key",
  merchant_account: "console.paymentAccounts.error.merchant_account",
  environment: "console.paymentAccounts.error.environment",
  live_url_prefix: "console.paymentAccounts.error.live_url_prefix",
  hmac_key: "console.paymentAccounts.error.hmac_key",
  notification_username: "console.paymentAccounts.error.notification_username",
  notification_password: "console.paymentAccounts.error.notification_password",
  methods: "console.paymentAccounts.error.methods",
};

export type ConsolePaymentAccount = {
  provider: PaymentProvider;
  /** Null: not connected. */
  account: {
    id: string;
    methods: ProviderMethod[];
    webhookUrl: string;
    updatedAt: string;
    /** Null when this server cannot decrypt them (no key, or a retired one): replace them. */
    credentials: StripeAccountJson | AdyenAccountJson | null;
  } | null;
};

/** Every provider, connected or not, in the table's order. */
export async function consolePaymentAccounts(
  db: Db,
  config: AccountConfig,
  supplierId: string,
): Promise<{ configured: boolean; accounts: ConsolePaymentAccount[] }> {
  const configured = config.credentialsKeys.length > 0;
  // A removed account kept for its payments' webhooks has no methods: it is not connected.
  const rows = (await listSupplierPaymentAccountRows(db, supplierId)).filter((row) => row.methods.length > 0);
  const accounts = PROVIDERS.map((provider): ConsolePaymentAccount => {
    const row = rows.find((candidate) => candidate.provider === provider);
    if (!row) return { provider, account: null };
    let credentials: StripeAccountJson | AdyenAccountJson | null = null;
    if (configured) {
      try {
        credentials = paymentAccountJson(config, row).credentials;
      } catch {
        credentials = null; // sealed with a key this server no longer has
      }
    }
    return {
      provider,
      account: {
        id: row.id,
        methods: row.methods.filter(isAccountMethod),
        webhookUrl: publicUrl(config, `/webhooks/${row.provider}/${row.id}`),
        updatedAt: row.updatedAt.toISOString(),
        credentials,
      },
    };
  });
  return { configured, accounts };
}

export type AccountFormRefusal = {
  provider: PaymentProvider;
  errors: Partial<Record<AccountField, MessageKey>>;
  /** What was typed, secrets left out. */
  values: Partial<Record<AccountField, string | string[]>>;
};

type FormFields = { get: (name: string) => string; getAll: (name: string) => string[] };

/** The form as the API's JSON body: every field as typed, an empty live URL prefix as none. */
function inputOf(provider: PaymentProvider, form: FormFields): Record<string, unknown> {
  const input: Record<string, unknown> = { methods: form.getAll("methods") };
  for (const name of ACCOUNT_FIELDS[provider]) input[name] = form.get(name);
  if (provider === "adyen" && (input.live_url_prefix as string).trim() === "") delete input.live_url_prefix;
  return input;
}

function errorField(provider: PaymentProvider, path: string): AccountField {
  const name = path.split(/[.[]/)[0] ?? "";
  return (ACCOUNT_FIELDS[provider] as readonly string[]).includes(name) || name === "methods" ? (name as AccountField) : "methods";
}

export async function setPaymentAccountFromForm(
  db: Db,
  config: AccountConfig,
  request: { supplierId: string; provider: PaymentProvider; actor: Actor; form: FormFields },
): Promise<{ ok: true; created: boolean } | { ok: false; reason: "invalid"; refusal: AccountFormRefusal } | { ok: false; reason: "not_configured" | "not_found" }> {
  const { provider, form } = request;
  const result = await setPaymentAccount(db, config, {
    supplierId: request.supplierId, provider, input: inputOf(provider, form), actor: request.actor,
  });
  if (result.ok) return { ok: true, created: result.created };
  if (result.reason !== "invalid") return { ok: false, reason: result.reason };
  const errors: AccountFormRefusal["errors"] = {};
  for (const error of result.errors) errors[errorField(provider, error.field)] = ERRORS[errorField(provider, error.field)];
  const values: AccountFormRefusal["values"] = {
    methods: form.getAll("methods").filter((method) => (providerMethods(provider) as readonly string[]).includes(method)),
  };
  for (const name of ACCOUNT_FIELDS[provider]) if (!SECRET_FIELDS.has(name)) values[name] = form.get(name).slice(0, 200);
  return { ok: false, reason: "invalid", refusal: { provider, errors, values } };
}

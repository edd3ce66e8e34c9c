// A supplier's Stripe and Adyen accounts (`npm run cli -- payment-account:…`): the same use cases as
// /api/v1/payment-accounts; credentials are encrypted with the server's keys and shown only as hints.
import { getSupplier } from "~/features/suppliers/db/suppliers.server";
import {
  isPaymentProvider, listPaymentAccounts, removePaymentAccount, setPaymentAccount, type PaymentAccountJson,
} from "~/features/payments/payment-accounts.server";
import { OPERATOR } from "~/features/suppliers/suppliers.server";
import { cliConfig, CliError, EXIT, fail, invalid, jsonOption as json, noSupplier, print, type Command, type Values } from "./support";

/** Flags of payment-account:set, named like the API's fields (`--secret-key` is `secret_key`). */
const ACCOUNT_FIELDS = [
  "secret_key", "webhook_secret", "api_key", "merchant_account", "environment", "live_url_prefix", "hmac_key",
  "notification_username", "notification_password",
] as const;
const accountOptions = Object.fromEntries(ACCOUNT_FIELDS.map((field) => [field.replace(/_/g, "-"), { type: "string" as const }]));

export const PAYMENT_ACCOUNT_COMMANDS: Record<string, Command> = {
  "payment-account:set": {
    args: [],
    options: { supplier: { type: "string" }, provider: { type: "string" }, methods: { type: "string" }, ...accountOptions, ...json },
    usage:
      "payment-account:set --supplier <id> --provider stripe --secret-key sk_… --webhook-secret whsec_… [--methods card,swish] [--json]\n" +
      "  payment-account:set --supplier <id> --provider adyen --api-key … --merchant-account … --environment test|live " +
      "[--live-url-prefix …] --hmac-key <64 hex> --notification-username … --notification-password … [--methods card,swish] [--json]",
    check: (values) => providerFrom(values, "payment-account:set"),
    run: async (db, values) => {
      const supplierId = String(values.supplier);
      const provider = providerFrom(values, "payment-account:set");
      const result = await setPaymentAccount(db, cliConfig(), { supplierId, provider, input: accountInputFrom(values), actor: OPERATOR });
      if (!result.ok) {
        if (result.reason === "not_found") return noSupplier(supplierId);
        if (result.reason === "not_configured") throw new CliError(result.message, EXIT.config);
        return invalid(result.errors.map((error) => ({ ...error, field: `--${error.field.replace(/_/g, "-")}` })));
      }
      if (values.json) return print(result.account);
      console.log(`${result.created ? "Added" : "Updated"} the ${provider} account ${result.account.id} of ${supplierId}: ${describeAccount(result.account)}.`);
      console.log(`Register this webhook URL at ${provider === "stripe" ? "Stripe" : "Adyen"}:\n${result.account.webhook_url}`);
      return EXIT.ok;
    },
  },
  "payment-account:list": {
    args: [],
    options: { supplier: { type: "string" }, ...json },
    usage: "payment-account:list --supplier <id> [--json]   (hints of the keys only)",
    check: (values) => {
      if (typeof values.supplier !== "string") throw new CliError("payment-account:list needs --supplier", EXIT.usage);
    },
    run: async (db, values) => {
      const supplierId = String(values.supplier);
      if (!(await getSupplier(db, supplierId))) return noSupplier(supplierId);
      const result = await listPaymentAccounts(db, cliConfig(), supplierId);
      if (!result.ok) throw new CliError(result.message, EXIT.config);
      if (values.json) return print(result.accounts);
      if (result.accounts.length === 0) console.log(`Supplier ${supplierId} has no payment accounts.`);
      for (const account of result.accounts) {
        console.log(`${account.id}  ${account.provider.padEnd(6)}  ${describeAccount(account)}  ${account.webhook_url}`);
      }
      return EXIT.ok;
    },
  },
  "payment-account:remove": {
    args: [],
    options: { supplier: { type: "string" }, provider: { type: "string" }, ...json },
    usage: "payment-account:remove --supplier <id> --provider stripe|adyen [--json]",
    check: (values) => providerFrom(values, "payment-account:remove"),
    run: async (db, values) => {
      const supplierId = String(values.supplier);
      const provider = providerFrom(values, "payment-account:remove");
      const result = await removePaymentAccount(db, { supplierId, provider, actor: OPERATOR });
      if (!result.ok) return fail(`Supplier ${supplierId} has no ${provider} account`);
      if (values.json) return print({ account_id: result.accountId, removed: true, kept_for_webhooks: result.keptForWebhooks });
      console.log(
        `Removed the ${provider} account ${result.accountId} of ${supplierId}` +
          (result.keptForWebhooks ? "; kept only to verify webhooks (refunds, chargebacks) of its past payments." : "."),
      );
      return EXIT.ok;
    },
  },
};

function providerFrom(values: Values, command: string) {
  if (typeof values.supplier !== "string") throw new CliError(`${command} needs --supplier`, EXIT.usage);
  const provider = values.provider;
  if (typeof provider !== "string" || !isPaymentProvider(provider)) {
    throw new CliError(`${command} needs --provider stripe or --provider adyen`, EXIT.usage);
  }
  return provider;
}

function accountInputFrom(values: Values): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const field of ACCOUNT_FIELDS) {
    const value = values[field.replace(/_/g, "-")];
    if (typeof value === "string") input[field] = value;
  }
  if (typeof values.methods === "string") input.methods = values.methods.split(",").map((method) => method.trim()).filter(Boolean);
  return input;
}

function describeAccount(account: PaymentAccountJson): string {
  const hints = Object.entries(account.credentials)
    .filter(([key]) => key.endsWith("_hint") || key === "environment" || key === "mode" || key === "merchant_account")
    .map(([, value]) => String(value));
  return `${hints.join(" ")}, methods ${account.methods.join(",")}`;
}

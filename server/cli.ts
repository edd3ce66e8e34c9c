// The operator CLI (`npm run cli -- <command>`): suppliers, their API keys, webhook endpoints and payment accounts,
// the reminder evaluation, bank-file imports (server/cli-bank-files.ts) and contact-update campaigns (server/cli-campaigns.ts), through the same services and
// validation as the API. Exit codes: 0 ok, 1 invalid or not found, 64 usage, 78 config.
import { parseArgs } from "node:util";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { connect, isDatabaseReady } from "../db/client";
import { startEmbeddedPostgres, databaseUrl, type EmbeddedDatabase } from "../db/embedded";
import { ensureDatabase, runMigrations } from "../db/migrate";
import "./jobs"; // registers every job before the queue migrates, drains or runs them
import { SETTINGS_FIELDS, supplierResource, type SettingsField } from "~/api/supplier-schemas";
import type { FieldError } from "~/api/problem.server";
import { getSupplier, listSuppliers } from "~/models/suppliers.server";
import { listApiKeys } from "~/models/api-keys.server";
import {
  createSupplierApiKey, createSupplierWithApiKey, OPERATOR, revokeSupplierApiKey, updateSupplierSettings,
} from "~/services/suppliers.server";
import {
  createWebhookEndpoint, findWebhookEndpoint, listWebhookEndpoints, removeWebhookEndpoint,
} from "~/services/webhooks.server";
import { evaluateReminders } from "~/services/reminders.server";
import { importInvoices, type ImportReport } from "~/services/invoice-import.server";
import {
  isPaymentProvider, listPaymentAccounts, removePaymentAccount, setPaymentAccount, type PaymentAccountJson,
} from "~/services/payment-accounts.server";
import { BANK_FILE_COMMANDS } from "./cli-bank-files";
import { CAMPAIGN_COMMANDS } from "./cli-campaigns";
import {
  cliConfig, CliError, EXIT, fail, jsonOption as json, noSupplier, print, progressReporter, type Command, type Values,
} from "./cli-support";

const flagOf = (field: SettingsField) => field.replace(/_/g, "-");
const settingOptions = Object.fromEntries(SETTINGS_FIELDS.map((field) => [flagOf(field), { type: "string" as const }]));

const SETTINGS_USAGE =
  "[--name …] [--org-number …] [--vat-number …] [--bankgiro …] [--plusgiro …] [--iban …] [--bic …] " +
  "[--swish-number …] [--time-zone …] [--language sv|en] [--brand-color #rrggbb] [--logo-url https://…] " +
  "[--notification-email …] [--reminder-policy '{\"before_due\":-3,\"first\":5,…}'|default] " +
  "[--reminder-fee-agreed yes|no] [--reminder-fee <öre, at most 6000>] " +
  "[--payment-options card,bank_transfer,swish,bank_qr] [--payment-report-pause-days <1–60>]";

/** Flags of payment-account:set, named like the API's fields (`--secret-key` is `secret_key`). */
const ACCOUNT_FIELDS = [
  "secret_key", "webhook_secret", "api_key", "merchant_account", "environment", "live_url_prefix", "hmac_key",
  "notification_username", "notification_password",
] as const;
const accountOptions = Object.fromEntries(ACCOUNT_FIELDS.map((field) => [field.replace(/_/g, "-"), { type: "string" as const }]));

const COMMANDS: Record<string, Command> = {
  "supplier:create": {
    args: [],
    options: { ...settingOptions, ...json },
    usage: `supplier:create --name "…" [--org-number …] [other settings as for supplier:update] [--json]`,
    check: (values) => {
      if (typeof values.name !== "string") throw new CliError("supplier:create needs --name", EXIT.usage);
    },
    run: async (db, values) => {
      const result = await createSupplierWithApiKey(db, settingsFrom(values), OPERATOR);
      if (!result.ok) return invalid(result.errors);
      if (values.json) return print({ supplier_id: result.supplier.id, api_key: result.apiKey.key });
      console.log(`Created supplier ${result.supplier.id} (${result.supplier.name}).`);
      console.log(`API key ${result.apiKey.id}, shown only this once, store it now:\n${result.apiKey.key}`);
      return EXIT.ok;
    },
  },
  "supplier:update": {
    args: ["supplier_id"],
    options: { ...settingOptions, ...json },
    usage: `supplier:update <supplier_id> ${SETTINGS_USAGE} [--json]   (an empty value clears a field)`,
    check: (values) => {
      if (Object.keys(settingsFrom(values)).length === 0) {
        throw new CliError("supplier:update needs at least one setting to change, e.g. --bankgiro 991-2346", EXIT.usage);
      }
    },
    run: async (db, values, [supplierId]) => {
      const result = await updateSupplierSettings(db, supplierId!, settingsFrom(values), OPERATOR);
      if (!result.ok) return result.reason === "not_found" ? noSupplier(supplierId!) : invalid(result.errors);
      if (values.json) return print(supplierResource(result.supplier));
      console.log(
        result.changed.length > 0
          ? `Updated supplier ${supplierId}: ${result.changed.join(", ")}.`
          : `Supplier ${supplierId} already had these settings; nothing changed.`,
      );
      return EXIT.ok;
    },
  },
  "supplier:show": {
    args: ["supplier_id"],
    options: json,
    usage: "supplier:show <supplier_id> [--json]",
    run: async (db, values, [supplierId]) => {
      const supplier = await getSupplier(db, supplierId!);
      if (!supplier) return noSupplier(supplierId!);
      const resource = supplierResource(supplier);
      if (values.json) return print(resource);
      for (const [key, value] of Object.entries(resource)) {
        console.log(`${key.padEnd(18)} ${typeof value === "object" && value !== null ? JSON.stringify(value) : (value ?? "-")}`);
      }
      return EXIT.ok;
    },
  },
  "supplier:list": {
    args: [],
    options: json,
    usage: "supplier:list [--json]",
    run: async (db, values) => {
      const suppliers = await listSuppliers(db);
      if (values.json) return print(suppliers.map(supplierResource));
      if (suppliers.length === 0) console.log("No suppliers yet: create one with supplier:create --name \"…\".");
      for (const supplier of suppliers) console.log(`${supplier.id}  ${supplier.orgNumber ?? "-          "}  ${supplier.name}`);
      return EXIT.ok;
    },
  },
  "apikey:create": {
    args: ["supplier_id"],
    options: { name: { type: "string" }, ...json },
    usage: "apikey:create <supplier_id> [--name …] [--json]",
    run: async (db, values, [supplierId]) => {
      const name = typeof values.name === "string" ? values.name : "default";
      const result = await createSupplierApiKey(db, supplierId!, name, OPERATOR);
      if (!result.ok) return result.reason === "not_found" ? noSupplier(supplierId!) : invalid(result.errors);
      const { apiKey } = result;
      if (values.json) return print({ api_key_id: apiKey.id, prefix: apiKey.prefix, api_key: apiKey.key });
      console.log(`Created API key ${apiKey.id} (${apiKey.prefix}…) for ${supplierId}, shown only this once:\n${apiKey.key}`);
      return EXIT.ok;
    },
  },
  "apikey:list": {
    args: ["supplier_id"],
    options: json,
    usage: "apikey:list <supplier_id> [--json]   (prefixes only; keys are never stored)",
    run: async (db, values, [supplierId]) => {
      if (!(await getSupplier(db, supplierId!))) return noSupplier(supplierId!);
      const keys = await listApiKeys(db, supplierId!);
      if (values.json) {
        return print(keys.map((key) => ({
          id: key.id, name: key.name, prefix: key.prefix, created_at: key.createdAt.toISOString(),
          last_used_at: key.lastUsedAt?.toISOString() ?? null, revoked_at: key.revokedAt?.toISOString() ?? null,
        })));
      }
      if (keys.length === 0) console.log(`Supplier ${supplierId} has no API keys.`);
      for (const key of keys) {
        const state = key.revokedAt ? `revoked ${key.revokedAt.toISOString()}` : "active";
        console.log(`${key.id}  ${key.prefix}…  ${key.createdAt.toISOString()}  ${state}  ${key.name}`);
      }
      return EXIT.ok;
    },
  },
  "apikey:revoke": {
    args: ["key_id or prefix"],
    options: json,
    usage: "apikey:revoke <key_id or prefix> [--json]",
    run: async (db, values, [keyIdOrPrefix]) => {
      const result = await revokeSupplierApiKey(db, keyIdOrPrefix!, OPERATOR);
      if (!result.ok && result.reason === "ambiguous") {
        return fail(`${keyIdOrPrefix} matches ${result.keyIds.length} active keys (${result.keyIds.join(", ")}): revoke by key id`);
      }
      if (!result.ok) return fail(`No active API key with id or prefix ${keyIdOrPrefix}`);
      if (values.json) return print({ api_key_id: result.key.id, supplier_id: result.key.supplierId, revoked: true });
      console.log(`Revoked API key ${result.key.id} (${result.key.prefix}…) of supplier ${result.key.supplierId}.`);
      return EXIT.ok;
    },
  },
  "webhook:add": {
    args: ["supplier_id"],
    options: { url: { type: "string" }, events: { type: "string" }, ...json },
    usage: "webhook:add <supplier_id> --url https://… [--events invoice.confirmed,…] [--json]   (prints the signing secret once)",
    check: (values) => {
      if (typeof values.url !== "string") throw new CliError("webhook:add needs --url", EXIT.usage);
    },
    run: async (db, values, [supplierId]) => {
      const events = typeof values.events === "string" ? values.events.split(",").map((type) => type.trim()) : undefined;
      const input = { url: values.url, ...(events ? { event_types: events } : {}) };
      const result = await createWebhookEndpoint(db, webhookUrlRules(), supplierId!, input, OPERATOR);
      if (!result.ok) {
        if (result.reason === "not_found") return noSupplier(supplierId!);
        return invalid(result.errors.map((error) => ({ ...error, field: error.field.replace(/^url/, "--url").replace(/^event_types/, "--events") })));
      }
      const { endpoint } = result;
      if (values.json) return print(endpoint);
      console.log(`Created webhook endpoint ${endpoint.id} for ${supplierId}: ${endpoint.url} (${endpoint.event_types?.join(", ") ?? "all events"}).`);
      console.log(`Signing secret, shown only this once, store it now:\n${endpoint.secret}`);
      return EXIT.ok;
    },
  },
  "webhook:list": {
    args: ["supplier_id"],
    options: json,
    usage: "webhook:list <supplier_id> [--json]   (secrets are never shown again)",
    run: async (db, values, [supplierId]) => {
      if (!(await getSupplier(db, supplierId!))) return noSupplier(supplierId!);
      const endpoints = await listWebhookEndpoints(db, supplierId!);
      if (values.json) return print(endpoints);
      if (endpoints.length === 0) console.log(`Supplier ${supplierId} has no webhook endpoints.`);
      for (const endpoint of endpoints) {
        const state = endpoint.enabled ? "enabled " : "disabled";
        console.log(`${endpoint.id}  ${state}  ${endpoint.url}  ${endpoint.event_types?.join(",") ?? "all events"}`);
      }
      return EXIT.ok;
    },
  },
  "webhook:remove": {
    args: ["endpoint_id"],
    options: json,
    usage: "webhook:remove <endpoint_id> [--json]   (also removes its delivery log)",
    run: async (db, values, [endpointId]) => {
      const endpoint = await findWebhookEndpoint(db, endpointId!);
      if (!endpoint || !(await removeWebhookEndpoint(db, endpoint.supplier_id, endpoint.id, OPERATOR))) {
        return fail(`No webhook endpoint with id ${endpointId}`);
      }
      if (values.json) return print({ endpoint_id: endpoint.id, supplier_id: endpoint.supplier_id, removed: true });
      console.log(`Removed webhook endpoint ${endpoint.id} (${endpoint.url}) of supplier ${endpoint.supplier_id}.`);
      return EXIT.ok;
    },
  },
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
  "invoices:import": {
    args: ["file.csv"],
    options: { supplier: { type: "string" }, "all-or-nothing": { type: "boolean" }, "dry-run": { type: "boolean" }, ...json },
    usage: "invoices:import <file.csv> --supplier <id> [--all-or-nothing] [--dry-run] [--json]   (exit 1 when a row is bad; see README for the format)",
    check: (values) => {
      if (typeof values.supplier !== "string") throw new CliError("invoices:import needs --supplier", EXIT.usage);
    },
    run: async (db, values, [file]) => {
      const supplierId = String(values.supplier);
      if (!(await getSupplier(db, supplierId))) return noSupplier(supplierId);
      let csv: Buffer;
      try {
        csv = readFileSync(file!);
      } catch (error) {
        return fail(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
      const progress = progressReporter();
      const report = await importInvoices(db, cliConfig(), {
        supplierId, apiKeyId: null, csv, allOrNothing: values["all-or-nothing"] === true, dryRun: values["dry-run"] === true,
        onProgress: progress.update,
      });
      progress.done();
      if (values.json) print(report);
      else printImportReport(file!, report);
      return report.errors.length > 0 ? EXIT.failed : EXIT.ok;
    },
  },
  "reminders:run": {
    args: [],
    options: { now: { type: "string" }, ...json },
    usage: "reminders:run [--now <ISO time, e.g. 2026-03-30T09:00:00+02:00>] [--json]   (queues the reminders due then; default: now)",
    check: (values) => {
      if (values.now !== undefined && instantFrom(values.now) === undefined) {
        throw new CliError("--now must be an ISO time with an offset, e.g. 2026-03-30T09:00:00+02:00 or 2026-03-30T07:00:00Z", EXIT.usage);
      }
    },
    run: async (db, values) => {
      const now = instantFrom(values.now) ?? new Date();
      const { queued } = await evaluateReminders(db, { now });
      if (values.json) {
        return print({
          now: now.toISOString(),
          queued: queued.map((reminder) => ({
            reminder_id: reminder.reminderId, supplier_id: reminder.supplierId, invoice_id: reminder.invoiceId,
            invoice_number: reminder.invoiceNumber, due_date: reminder.dueDate, step: reminder.step,
          })),
        });
      }
      console.log(`Queued ${queued.length} reminder${queued.length === 1 ? "" : "s"} at ${now.toISOString()}; the worker sends each to the billing contacts.`);
      if (queued.length > 0) console.log(`${"step".padEnd(10)}  ${"due date".padEnd(10)}  ${"invoice".padEnd(12)}  ${"invoice id".padEnd(26)}  supplier`);
      for (const reminder of queued) {
        console.log(`${reminder.step.padEnd(10)}  ${reminder.dueDate}  ${reminder.invoiceNumber.padEnd(12)}  ${reminder.invoiceId}  ${reminder.supplierId}`);
      }
      return EXIT.ok;
    },
  },
  ...BANK_FILE_COMMANDS,
  ...CAMPAIGN_COMMANDS,
};


function printImportReport(file: string, report: ImportReport) {
  const mode = [report.dry_run ? "dry run" : "", report.all_or_nothing ? "all or nothing" : ""].filter(Boolean).join(", ");
  console.log(`${file}: ${report.invoices} invoice${report.invoices === 1 ? "" : "s"} in the file${mode ? ` (${mode})` : ""}`);
  const rows: [string, number, string][] = [
    [report.dry_run ? "would create" : "created", report.dry_run ? report.would_create.length : report.created.length, ""],
    ["skipped", report.skipped.length, "their number already exists"],
    ["bad rows", new Set(report.errors.map((error) => error.line)).size, report.errors.length > 0 && report.all_or_nothing ? "so nothing was created" : ""],
  ];
  for (const [label, count, note] of rows) console.log(`  ${label.padEnd(12)} ${String(count).padStart(6)}  ${note}`.trimEnd());
  if (report.errors.length > 0) {
    console.log(`\n  ${"line".padStart(6)}  ${"field".padEnd(20)}  message`);
    for (const error of report.errors) console.log(`  ${String(error.line).padStart(6)}  ${error.field.padEnd(20)}  ${error.message}`);
  }
  for (const skipped of report.skipped) console.log(`  line ${skipped.line}: ${skipped.number} exists already (${skipped.id ?? "id unknown"})`);
}

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


/** An ISO time with an explicit offset: without one, the CLI's own time zone would silently decide. */
function instantFrom(value: Values[string]): Date | undefined {
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

const USAGE = [
  "Usage: npm run cli -- <command> [options]",
  "",
  "Commands:",
  ...Object.values(COMMANDS).map((command) => `  ${command.usage}`),
  "  help",
  "",
  "Uses DATABASE_URL; without it, the embedded PostgreSQL of `npm run dev` (DATA_DIR/pg).",
  "Exit codes: 0 ok, 1 invalid input or not found, 64 usage error, 78 configuration error.",
].join("\n");

/**
 * Flags as API fields; an empty value clears the field, as `null` does in the API. Flags that are
 * not strings in the API are converted here; what cannot be converted is passed on as text, so the
 * API's validation reports it with the same message.
 */
function settingsFrom(values: Values): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const field of SETTINGS_FIELDS) {
    const value = values[flagOf(field)];
    if (typeof value !== "string") continue;
    const converted = value === "" ? null : FLAG_VALUES[field] ? FLAG_VALUES[field](value) : value;
    settings[field] = converted === undefined ? value : converted;
  }
  return settings;
}

const YES_NO = new Map([["yes", true], ["no", false], ["true", true], ["false", false]]);

const FLAG_VALUES: Partial<Record<SettingsField, (value: string) => unknown>> = {
  reminder_policy: (value) => {
    if (value === "default") return null; // back to the product's default policy
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value; // not JSON: rejected as "must be an object"
    }
  },
  reminder_fee_agreed: (value) => YES_NO.get(value.trim().toLowerCase()),
  reminder_fee: (value) => (/^\s*\d+\s*$/.test(value) ? Number(value) : undefined),
  payment_options: (value) => value.split(",").map((option) => option.trim()).filter(Boolean),
  payment_report_pause_days: (value) => (/^\s*\d+\s*$/.test(value) ? Number(value) : undefined),
};

/** The API's URL rules, from the same variables as the server's configuration. */
function webhookUrlRules() {
  const isProduction = process.env.NODE_ENV === "production";
  const allowPrivate = /^(true|1)$/.test(process.env.WEBHOOK_ALLOW_PRIVATE_TARGETS ?? "");
  return { isProduction, allowPrivateTargets: allowPrivate && !isProduction };
}


function invalid(errors: FieldError[]): number {
  for (const error of errors) {
    // "reminder_policy.first" is the step `first` of --reminder-policy.
    const [field, ...path] = error.field.split(".");
    const isFlag = SETTINGS_FIELDS.includes(field as SettingsField);
    const name = isFlag ? [`--${flagOf(field as SettingsField)}`, ...path].join(" ") : error.field;
    console.error(`error: ${name}: ${error.message}`);
  }
  console.error("Nothing was changed.");
  return EXIT.failed;
}

/** host:port/database, never the password. */
function describe(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
}

async function answers(url: string): Promise<boolean> {
  let sql: postgres.Sql;
  try {
    sql = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
  } catch {
    return false; // not a URL at all: a stale or damaged file
  }
  try {
    return await isDatabaseReady(sql);
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/** The PostgreSQL that owns the data folder, read from postmaster.pid, if its process is alive. */
function runningPostmaster(pgDir: string): { pid: number; port: string } | undefined {
  const pidFile = path.join(pgDir, "postmaster.pid");
  if (!existsSync(pidFile)) return undefined;
  const lines = readFileSync(pidFile, "utf8").split("\n");
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return undefined;
  }
  return { pid, port: lines[3]?.trim() ?? "?" };
}

/**
 * DATABASE_URL when set; otherwise the embedded PostgreSQL of `npm run dev` (whose URL
 * server/run.ts leaves in DATA_DIR/pg-url), or one started here for this command only.
 */
async function resolveDatabase(): Promise<{ url: string; embedded?: EmbeddedDatabase }> {
  const configured = process.env.DATABASE_URL;
  if (configured) {
    if (!/^postgres(ql)?:\/\//.test(configured)) throw new CliError("DATABASE_URL must be a postgres:// URL", EXIT.config);
    return { url: configured };
  }
  const dataDir = process.env.DATA_DIR ?? ".data";
  const pgDir = path.join(dataDir, "pg");
  const urlFile = path.join(dataDir, "pg-url");
  if (existsSync(urlFile)) {
    const url = readFileSync(urlFile, "utf8").trim();
    if (await answers(url)) return { url };
  }
  const running = runningPostmaster(pgDir);
  if (running) {
    throw new CliError(
      `The embedded PostgreSQL in ${pgDir} is in use by process ${running.pid} (probably \`npm run dev\`) ` +
        `and ${urlFile} does not say how to reach it. Point the CLI at it: ` +
        `DATABASE_URL=postgres://postgres:postgres@127.0.0.1:${running.port}/payer_portal npm run cli -- …`,
      EXIT.config,
    );
  }
  console.error(`No DATABASE_URL: starting the embedded PostgreSQL in ${pgDir} for this command …`);
  try {
    const embedded = await startEmbeddedPostgres({ dataDir: pgDir });
    return { url: databaseUrl(embedded.url, "payer_portal"), embedded };
  } catch (error) {
    throw new CliError(`${(error as Error).message}. Set DATABASE_URL to use another PostgreSQL.`, EXIT.config);
  }
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === "help" || name === "--help" || name === "-h") {
    console.log(USAGE);
    return EXIT.ok;
  }
  const command = name === undefined ? undefined : COMMANDS[name];
  if (!command) {
    console.error(name === undefined ? "error: no command given" : `error: unknown command "${name}"`);
    console.error(USAGE);
    return EXIT.usage;
  }
  let values: Values;
  let args: string[];
  try {
    ({ values, positionals: args } = parseArgs({ args: rest, options: command.options, strict: true, allowPositionals: true }));
  } catch (error) {
    throw new CliError(`${(error as Error).message.split("\n")[0]}\nusage: ${command.usage}`, EXIT.usage);
  }
  if (args.length !== command.args.length) {
    const expected = command.args.length === 0 ? "no arguments" : command.args.map((arg) => `<${arg}>`).join(" ");
    throw new CliError(`${name} takes ${expected}, got ${args.length}\nusage: ${command.usage}`, EXIT.usage);
  }
  command.check?.(values);

  const { url, embedded } = await resolveDatabase();
  try {
    try {
      await ensureDatabase(url);
      await runMigrations(url);
    } catch (error) {
      throw new CliError(`Cannot use the database at ${describe(url)}: ${(error as Error).message}`, EXIT.config);
    }
    const database = connect(url, { max: 2 });
    try {
      return await command.run(database.db, values, args);
    } finally {
      await database.close();
    }
  } finally {
    await embedded?.stop();
  }
}

let exitCode: number;
try {
  exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof CliError)) throw error;
  console.error(`error: ${error.message}`);
  exitCode = error.exitCode;
}
process.exit(exitCode);

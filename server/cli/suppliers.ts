// Suppliers and their API keys (`npm run cli -- supplier:…`, `apikey:…`): the same use cases and
// validation as /api/v1/supplier, with each setting as a flag named like its API field.
import { SETTINGS_FIELDS, supplierResource, type SettingsField } from "~/features/suppliers/api.schemas";
import type { FieldError } from "~/api/problem.server";
import { getSupplier, listSuppliers } from "~/features/suppliers/db/suppliers.server";
import { listApiKeys } from "~/api/db/api-keys.server";
import {
  createSupplierApiKey, createSupplierWithApiKey, OPERATOR, revokeSupplierApiKey, updateSupplierSettings,
} from "~/features/suppliers/suppliers.server";
import { CliError, EXIT, fail, invalid as invalidFields, jsonOption as json, noSupplier, print, type Command, type Values } from "./support";

const flagOf = (field: SettingsField) => field.replace(/_/g, "-");
const settingOptions = Object.fromEntries(SETTINGS_FIELDS.map((field) => [flagOf(field), { type: "string" as const }]));

const SETTINGS_USAGE =
  "[--name …] [--org-number …] [--vat-number …] [--bankgiro …] [--plusgiro …] [--iban …] [--bic …] " +
  "[--swish-number …] [--time-zone …] [--language sv|en] [--brand-color #rrggbb] [--logo-url https://…] " +
  "[--notification-email …] [--reminder-policy '{\"before_due\":-3,\"first\":5,…}'|default] " +
  "[--reminder-fee-agreed yes|no] [--reminder-fee <öre, at most 6000>] " +
  "[--payment-options card,bank_transfer,swish,bank_qr] [--payment-report-pause-days <1–60>] " +
  "[--pay-box-position <corner>,<x mm>,<y mm>,<width mm>|auto]";

export const SUPPLIER_COMMANDS: Record<string, Command> = {
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
};

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
  // "bottom-right,10,12,90": corner, x and y mm from it, width mm; "auto": a free corner.
  pay_box_position: (value) => {
    if (value.trim() === "auto") return null;
    const [corner, x, y, width] = value.split(",").map((part) => part.trim());
    const mm = (part: string | undefined) => (part !== undefined && /^\d+(\.\d+)?$/.test(part) ? Number(part) : part);
    return { corner, x_mm: mm(x), y_mm: mm(y), width_mm: mm(width) };
  },
};

/** Field errors with each setting named as its flag: "reminder_policy.first" is the step `first` of --reminder-policy. */
function invalid(errors: FieldError[]): number {
  return invalidFields(errors, (field) => {
    const [name, ...path] = field.split(".");
    const isFlag = SETTINGS_FIELDS.includes(name as SettingsField);
    return isFlag ? [`--${flagOf(name as SettingsField)}`, ...path].join(" ") : field;
  });
}

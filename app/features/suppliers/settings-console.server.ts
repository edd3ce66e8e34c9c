// The console's settings forms (/app/settings/company, /app/settings/reminders): a form's fields
// turned into the API's change set and the service's refusals into dictionary keys by field. The
// work is updateSupplierSettings (one validation, the audit event with what changed, nothing
// written when nothing changed); the rules live in api.schemas.ts and the domain, never here.
import { redirect } from "@remix-run/node";
import type { Db } from "../../../db/client";
import { json } from "~/api/problem.server";
import { NO_STORE } from "~/platform/forms/form-action.server";
import { notFound, type ConsoleIntent } from "~/features/console/console-route.server";
import type { MessageKey } from "~/i18n";
import { parseAmountInput } from "~/domain/amount-input";
import { toMajorUnitString } from "~/domain/money";
import { STATUTORY_REMINDER_FEE_CAP_SEK } from "~/domain/late-payment";
import { PAYMENT_OPTIONS } from "~/domain/payment-methods";
import { DEFAULT_REMINDER_POLICY, REMINDER_STEP_LIMITS, REMINDER_STEPS, type ReminderPolicy, type ReminderStep } from "~/domain/reminder-policy";
import { PAYMENT_REPORT_PAUSE_DAYS } from "~/features/suppliers/api.schemas";
import type { Supplier } from "~/features/suppliers/db/suppliers.server";
import { updateSupplierSettings, type Actor } from "~/features/suppliers/suppliers.server";

/** A field's error in the user's language: a message key and its values, the service's text only when nothing better fits. */
export type FieldProblem = { key: MessageKey; params?: Record<string, string | number>; detail?: string };
/** The refused form: errors by the form's field name, and what was typed, to show again. */
export type SettingsRefusal = { errors: Record<string, FieldProblem>; values: Record<string, string | string[]> };
export type SettingsSave = { ok: true; changed: string[] } | { ok: false; refusal: SettingsRefusal } | { ok: false; refusal?: undefined };

export const COMPANY_TEXT_FIELDS = [
  "name", "org_number", "vat_number", "bankgiro", "plusgiro", "iban", "bic", "swish_number",
  "brand_color", "logo_url", "contact_email", "contact_phone", "notification_email",
] as const;
type CompanyTextField = (typeof COMPANY_TEXT_FIELDS)[number];
/** The only fields that cannot be left empty. */
const REQUIRED = new Set<string>(["name", "time_zone", "language"]);

const SUPPLIER_COLUMN = {
  name: "name", org_number: "orgNumber", vat_number: "vatNumber", bankgiro: "bankgiro", plusgiro: "plusgiro", iban: "iban",
  bic: "bic", swish_number: "swishNumber", brand_color: "brandColor", logo_url: "logoUrl", contact_email: "contactEmail",
  contact_phone: "contactPhone", notification_email: "notificationEmail",
} as const satisfies Record<CompanyTextField, keyof Supplier>;

const text = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
};
const kept = (value: string) => value.slice(0, 2000);

/** The company form's values as stored. */
export function companyValues(supplier: Supplier) {
  const values = Object.fromEntries(COMPANY_TEXT_FIELDS.map((name) => [name, supplier[SUPPLIER_COLUMN[name]] ?? ""])) as Record<CompanyTextField, string>;
  return { ...values, time_zone: supplier.timeZone, language: supplier.language, payment_options: PAYMENT_OPTIONS.filter((option) => supplier.paymentOptions.includes(option)) as string[] };
}

export async function saveCompanySettings(db: Db, supplierId: string, form: FormData, actor: Actor): Promise<SettingsSave> {
  const input: Record<string, unknown> = {};
  const values: SettingsRefusal["values"] = {};
  for (const name of [...COMPANY_TEXT_FIELDS, "time_zone", "language"]) {
    const value = text(form, name);
    values[name] = kept(value);
    // An empty optional field clears it; an empty required one is the service's to refuse.
    input[name] = value.trim() === "" && !REQUIRED.has(name) ? null : value;
  }
  const options = form.getAll("payment_options").filter((value): value is string => typeof value === "string");
  values.payment_options = options.slice(0, 20);
  input.payment_options = options;
  return save(db, supplierId, input, actor, values, (field) => field);
}

/** The reminders form's values as stored: the policy in force, the fee in kronor. */
export function reminderValues(supplier: Supplier, locale: "sv" | "en") {
  const policy = (supplier.reminderPolicy ?? DEFAULT_REMINDER_POLICY) as ReminderPolicy;
  const steps = Object.fromEntries(REMINDER_STEPS.map((step) => [step, { on: policy[step] !== undefined, days: policy[step] === undefined ? "" : String(Math.abs(policy[step]!)) }]));
  return {
    policy: supplier.reminderPolicy === null ? "default" : "custom",
    steps: steps as Record<ReminderStep, { on: boolean; days: string }>,
    reminder_fee_agreed: supplier.reminderFeeAgreed,
    reminder_fee: supplier.reminderFee === null ? "" : krText(supplier.reminderFee, locale),
    payment_report_pause_days: String(supplier.paymentReportPauseDays),
  };
}

/** "60" for 6000 öre, "45,50" (sv) or "45.50" (en) for 4550. */
export function krText(ore: number, locale: "sv" | "en"): string {
  const major = toMajorUnitString(ore, "SEK").replace(/\.00$/, "");
  return locale === "sv" ? major.replace(".", ",") : major;
}

/** A whole number as typed, or the text itself for the service to refuse with its own rule. */
const wholeOr = (value: string): number | string => (/^\s*-?\d{1,9}\s*$/.test(value) ? Number(value) : value);

export async function saveReminderSettings(db: Db, supplierId: string, form: FormData, actor: Actor): Promise<SettingsSave> {
  const values: SettingsRefusal["values"] = {};
  const policy: Record<string, number | string> = {};
  const mode = text(form, "policy") === "default" ? "default" : "custom";
  values.policy = mode;
  for (const step of REMINDER_STEPS) {
    const on = text(form, `${step}_on`) === "yes";
    const days = text(form, `${step}_days`);
    values[`${step}_on`] = on ? "yes" : "";
    values[`${step}_days`] = kept(days);
    if (!on) continue;
    const typed = wholeOr(days);
    // Before the due date the form asks for days before it; the policy counts them negative.
    policy[step] = step === "before_due" && typeof typed === "number" ? -typed : typed;
  }
  const agreed = text(form, "reminder_fee_agreed") === "yes";
  const fee = text(form, "reminder_fee");
  const pause = text(form, "payment_report_pause_days");
  Object.assign(values, { reminder_fee_agreed: agreed ? "yes" : "", reminder_fee: kept(fee), payment_report_pause_days: kept(pause) });
  const input = {
    reminder_policy: mode === "default" ? null : policy,
    reminder_fee_agreed: agreed,
    reminder_fee: fee.trim() === "" ? null : (parseAmountInput(fee, "SEK") ?? fee),
    payment_report_pause_days: wholeOr(pause),
  };
  return save(db, supplierId, input, actor, values, (field) => {
    const step = /^reminder_policy\.(\w+)$/.exec(field)?.[1];
    return step ? `${step}_days` : field;
  });
}

async function save(
  db: Db,
  supplierId: string,
  input: Record<string, unknown>,
  actor: Actor,
  values: SettingsRefusal["values"],
  formName: (field: string) => string,
): Promise<SettingsSave> {
  const result = await updateSupplierSettings(db, supplierId, input, actor);
  if (result.ok) return { ok: true, changed: result.changed };
  if (result.reason === "not_found") return { ok: false };
  const errors: SettingsRefusal["errors"] = {};
  for (const error of result.errors) {
    const name = formName(error.field);
    errors[name] ??= problemFor(error.field, error.message);
  }
  return { ok: false, refusal: { errors, values } };
}

const FIELD_MESSAGES: Partial<Record<string, MessageKey>> = {
  name: "console.settings.error.name",
  org_number: "console.settings.error.org_number",
  vat_number: "console.settings.error.vat_number",
  bankgiro: "console.settings.error.bankgiro",
  plusgiro: "console.settings.error.plusgiro",
  iban: "console.settings.error.iban",
  bic: "console.settings.error.bic",
  swish_number: "console.settings.error.swish_number",
  time_zone: "console.settings.error.time_zone",
  language: "console.settings.error.language",
  brand_color: "console.settings.error.brand_color",
  logo_url: "console.settings.error.logo_url",
  contact_email: "console.settings.error.email",
  notification_email: "console.settings.error.email",
  contact_phone: "console.settings.error.contact_phone",
  payment_options: "console.settings.error.payment_options",
};

/** The service's refusal of one field, in our words: by the field, and by the kind of mistake where it tells. */
export function problemFor(field: string, message: string): FieldProblem {
  const step = /^reminder_policy\.(\w+)$/.exec(field)?.[1];
  if (step && (REMINDER_STEPS as readonly string[]).includes(step)) {
    const previous = /must come after (\w+)/.exec(message)?.[1];
    if (previous && (REMINDER_STEPS as readonly string[]).includes(previous)) return { key: `console.settings.error.stepOrder.${previous}` as MessageKey };
    const { min, max } = REMINDER_STEP_LIMITS[step as ReminderStep];
    return step === "before_due"
      ? { key: "console.settings.error.stepDaysBefore", params: { min: -max, max: -min } }
      : { key: "console.settings.error.stepDaysAfter", params: { min, max } };
  }
  if (field === "reminder_fee") {
    return /cap/.test(message)
      ? { key: "console.settings.error.feeCap", params: { cap: STATUTORY_REMINDER_FEE_CAP_SEK / 100 } }
      : { key: "console.settings.error.fee" };
  }
  if (field === "payment_report_pause_days") return { key: "console.settings.error.pauseDays", params: { ...PAYMENT_REPORT_PAUSE_DAYS } };
  if (message === "Must not be empty" || message === "This field cannot be cleared") return { key: "console.settings.error.required" };
  if (message.startsWith("Must be one line")) return { key: "console.settings.error.oneLine" };
  if (/check digit/.test(message)) return { key: "console.settings.error.checkDigit" };
  if (field === "payment_options" && /at least one/i.test(message)) return { key: "console.settings.error.paymentOptionsNone" };
  const key = FIELD_MESSAGES[field];
  return key ? { key } : { key: "console.settings.error.invalid", detail: message };
}

/**
 * A settings page's one form (`intent=save`, settings.edit): saved through `save` for the session's
 * supplier (never a field of the form), then back to the page with `?saved=1` (or `0` when nothing
 * changed), or the form again (422) with each field's error and what was typed.
 */
export function saveSettingsIntent(path: string, save: typeof saveCompanySettings): ConsoleIntent {
  return {
    permission: "settings.edit",
    run: async (call, form) => {
      const result = await save(call.app.db, call.supplier.id, form, {
        actor: "user", actorId: call.user.id, ip: call.actor.ip || null, userAgent: call.actor.userAgent || null,
      });
      if (result.ok) return redirect(`${path}?saved=${result.changed.length > 0 ? "1" : "0"}`, { status: 303, headers: NO_STORE });
      if (!result.refusal) throw notFound();
      return json(result.refusal, 422, NO_STORE);
    },
  };
}

// Supplier settings as the API and the CLI see them: snake_case fields, validated and normalised
// with the domain validators, so `991 2346` and `991-2346` are stored as the same bankgiro.
import { z } from "zod";
import {
  validateBankgiro, validateBic, validateIban, validateOrgNumber, validatePlusgiro,
  validateSwishNumber, validateTimeZone, validateVatNumber, type IdentifierResult,
} from "~/domain/identifiers";
import { STATUTORY_REMINDER_FEE_CAP_SEK } from "~/domain/late-payment";
import { PAYMENT_OPTIONS, type PaymentOption } from "~/domain/payment-methods";
import { validatePayBoxPosition, type PayBoxPosition } from "~/domain/pay-box-position";
import { isSingleLine } from "~/domain/text";
import {
  DEFAULT_REMINDER_POLICY, policySteps, validateReminderPolicy, type ReminderPolicy,
} from "~/domain/reminder-policy";
import type { FieldError } from "~/api/problem.server";
import type { Supplier } from "~/features/suppliers/db/suppliers.server";

const ok = (value: string): IdentifierResult => ({ ok: true, value });
const fail = (message: string): IdentifierResult => ({ ok: false, message });

function checkName(input: string): IdentifierResult {
  const name = input.trim().replace(/\s+/g, " ");
  if (name.length > 200) return fail("Name may have at most 200 characters");
  return ok(name);
}

function checkLanguage(input: string): IdentifierResult {
  return input === "sv" || input === "en" ? ok(input) : fail('Language must be "sv" or "en"');
}

function checkBrandColor(input: string): IdentifierResult {
  const value = input.trim();
  return /^#[0-9a-f]{6}$/i.test(value) ? ok(value.toLowerCase()) : fail("Brand colour must be a hex colour like #1a5fb4");
}

/** The logo is shown on payers' pages: only https, and no credentials that would leak to them. */
function checkLogoUrl(input: string): IdentifierResult {
  const value = input.trim();
  if (value.length > 2048) return fail("Logo URL may have at most 2048 characters");
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return fail("Logo URL must be an absolute https:// URL");
  }
  if (url.protocol !== "https:") return fail("Logo URL must use https://");
  if (url.username || url.password) return fail("Logo URL must not contain a user name or password");
  return ok(url.href);
}

const EMAIL = z.string().email();

/** Where problems and confirmations are mailed: one plain address. */
function checkNotificationEmail(input: string): IdentifierResult {
  const value = input.trim();
  if (value.length > 254) return fail("Notification email may have at most 254 characters");
  return EMAIL.safeParse(value).success ? ok(value) : fail("Notification email must be an email address like ekonomi@example.com");
}

function checkContactEmail(input: string): IdentifierResult {
  const value = input.trim();
  if (value.length > 254) return fail("Contact email may have at most 254 characters");
  return EMAIL.safeParse(value).success ? ok(value) : fail("Contact email must be an email address like fakturor@example.com");
}

/** A phone number as people write it: digits with an optional leading +, spaces, dashes, parentheses. */
function checkContactPhone(input: string): IdentifierResult {
  const value = input.trim().replace(/\s+/g, " ");
  const digits = value.replace(/\D/g, "").length;
  if (!/^\+?[\d ()-]+$/.test(value) || digits < 5 || digits > 15) {
    return fail("Contact phone must be a phone number like +46 8 123 456 78 or 08-123 456 78");
  }
  return ok(value);
}

type Check = (input: string) => IdentifierResult;

function stringSetting(check: Check, ctx: z.RefinementCtx, value: unknown, typeMessage: string): string {
  if (typeof value !== "string") {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: typeMessage });
    return z.NEVER;
  }
  if (value.trim() === "") {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: "Must not be empty" });
    return z.NEVER;
  }
  if (!isSingleLine(value.trim())) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: "Must be one line without control characters (no line breaks, tabs or NUL)" });
    return z.NEVER;
  }
  const result = check(value);
  if (!result.ok) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: result.message });
    return z.NEVER;
  }
  return result.value;
}

const required = (check: Check) =>
  z
    .unknown()
    .transform((value, ctx): string => {
      if (value === null) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: "This field cannot be cleared" });
        return z.NEVER;
      }
      return stringSetting(check, ctx, value, "Expected a string");
    })
    .optional();

const optional = (check: Check) =>
  z
    .unknown()
    .transform((value, ctx): string | null =>
      value === null ? null : stringSetting(check, ctx, value, "Expected a string, or null to clear the field"),
    )
    .optional();

/** Steps in sending order, so a stored policy reads the same however it was sent. */
const ordered = (policy: ReminderPolicy): ReminderPolicy =>
  Object.fromEntries(policySteps(policy).map(({ step, days }) => [step, days]));

/** `null` returns the supplier to the product's default policy; each bad step is its own field error. */
const reminderPolicy = z
  .unknown()
  .transform((value, ctx): ReminderPolicy | null => {
    if (value === null) return null;
    const result = validateReminderPolicy(value);
    if (result.ok) return ordered(result.policy);
    for (const error of result.errors) {
      const step = error.field.replace(/^reminder_policy\.?/, "");
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: error.message, path: step === "" ? [] : [step] });
    }
    return z.NEVER;
  })
  .optional();

const reminderFeeAgreed = z
  .unknown()
  .transform((value, ctx): boolean => {
    if (typeof value === "boolean") return value;
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: "Expected true or false" });
    return z.NEVER;
  })
  .optional();

const CAP_KR = STATUTORY_REMINDER_FEE_CAP_SEK / 100;

/** Öre; the fee a reminder carries is capped by law, so a higher setting could never be charged. */
const reminderFee = z
  .unknown()
  .transform((value, ctx): number | null => {
    if (value === null) return null;
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: "Expected a whole number of öre (minor units), e.g. 6000 for 60 kr, or null" });
      return z.NEVER;
    }
    if (value > STATUTORY_REMINDER_FEE_CAP_SEK) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `May be at most ${STATUTORY_REMINDER_FEE_CAP_SEK} öre: the statutory cap for a reminder fee is ${CAP_KR} kr (lag om ersättning för inkassokostnader 4 §)`,
      });
      return z.NEVER;
    }
    return value;
  })
  .optional();

/** The ways to pay switched on, at least one; stored once each in a fixed order (the page decides the order shown). */
const paymentOptions = z
  .unknown()
  .transform((value, ctx): PaymentOption[] => {
    const valid = Array.isArray(value) && value.every((option) => (PAYMENT_OPTIONS as readonly unknown[]).includes(option));
    if (!valid) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `Expected a list of ${PAYMENT_OPTIONS.join(", ")}` });
      return z.NEVER;
    }
    if (value.length === 0) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: "At least one way to pay must stay switched on" });
      return z.NEVER;
    }
    return PAYMENT_OPTIONS.filter((option) => value.includes(option));
  })
  .optional();

/** How many days "I have paid" pauses reminders while the transfer reaches the bank. */
export const PAYMENT_REPORT_PAUSE_DAYS = { min: 1, max: 60 } as const;
const paymentReportPauseDays = z
  .unknown()
  .transform((value, ctx): number => {
    const { min, max } = PAYMENT_REPORT_PAUSE_DAYS;
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `Expected a whole number of days from ${min} to ${max}` });
      return z.NEVER;
    }
    return value;
  })
  .optional();

/** Where the pay-now box is stamped on the supplier's own PDFs; null: in a free corner it finds. */
const payBoxPosition = z
  .unknown()
  .transform((value, ctx): PayBoxPosition | null => {
    if (value === null) return null;
    const result = validatePayBoxPosition(value);
    if (result.ok) return result.value;
    for (const error of result.errors) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: error.message, path: error.field === "" ? [] : [error.field] });
    }
    return z.NEVER;
  })
  .optional();

export const settingsSchema = z
  .object({
    name: required(checkName),
    org_number: optional(validateOrgNumber),
    vat_number: optional(validateVatNumber),
    bankgiro: optional(validateBankgiro),
    plusgiro: optional(validatePlusgiro),
    iban: optional(validateIban),
    bic: optional(validateBic),
    swish_number: optional(validateSwishNumber),
    time_zone: required(validateTimeZone),
    language: required(checkLanguage),
    brand_color: optional(checkBrandColor),
    logo_url: optional(checkLogoUrl),
    notification_email: optional(checkNotificationEmail),
    contact_email: optional(checkContactEmail),
    contact_phone: optional(checkContactPhone),
    reminder_policy: reminderPolicy,
    reminder_fee_agreed: reminderFeeAgreed,
    reminder_fee: reminderFee,
    payment_options: paymentOptions,
    payment_report_pause_days: paymentReportPauseDays,
    pay_box_position: payBoxPosition,
  })
  .strict();

export type SupplierSettings = z.output<typeof settingsSchema>;
export type SettingsField = keyof SupplierSettings;
export const SETTINGS_FIELDS = Object.keys(settingsSchema.shape) as SettingsField[];

/** The column behind each field; the settings and the table share one source of truth. */
export const SETTINGS_COLUMNS = {
  name: "name",
  org_number: "orgNumber",
  vat_number: "vatNumber",
  bankgiro: "bankgiro",
  plusgiro: "plusgiro",
  iban: "iban",
  bic: "bic",
  swish_number: "swishNumber",
  time_zone: "timeZone",
  language: "language",
  brand_color: "brandColor",
  logo_url: "logoUrl",
  notification_email: "notificationEmail",
  contact_email: "contactEmail",
  contact_phone: "contactPhone",
  reminder_policy: "reminderPolicy",
  reminder_fee_agreed: "reminderFeeAgreed",
  reminder_fee: "reminderFee",
  payment_options: "paymentOptions",
  payment_report_pause_days: "paymentReportPauseDays",
  pay_box_position: "payBoxPosition",
} as const satisfies Record<SettingsField, keyof Supplier>;

export type SettingsParse = { ok: true; settings: SupplierSettings } | { ok: false; errors: FieldError[] };

/** Validates a change set; every wrong or unknown field is reported at once. */
export function parseSupplierSettings(input: unknown): SettingsParse {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return { ok: false, errors: [{ field: "(body)", message: "Expected a JSON object with the fields to change" }] };
  }
  if (Object.keys(input).length === 0) {
    return {
      ok: false,
      errors: [{ field: "(body)", message: `Send at least one field to change: ${SETTINGS_FIELDS.join(", ")}` }],
    };
  }
  const parsed = settingsSchema.safeParse(input);
  if (parsed.success) return { ok: true, settings: parsed.data };
  const errors = parsed.error.issues.flatMap((issue): FieldError[] =>
    issue.code === z.ZodIssueCode.unrecognized_keys
      ? issue.keys.map((key) => ({ field: key, message: `Unknown field; the fields are ${SETTINGS_FIELDS.join(", ")}` }))
      : [{ field: issue.path.join(".") || "(body)", message: issue.message }],
  );
  return { ok: false, errors };
}

export type SupplierResource = {
  id: string;
  name: string;
  org_number: string | null;
  vat_number: string | null;
  bankgiro: string | null;
  plusgiro: string | null;
  iban: string | null;
  bic: string | null;
  swish_number: string | null;
  time_zone: string;
  language: "sv" | "en";
  brand_color: string | null;
  logo_url: string | null;
  notification_email: string | null;
  /** Shown to payers on the invoice page. */
  contact_email: string | null;
  contact_phone: string | null;
  /** The policy in force: the supplier's own, or the default when none is set. */
  reminder_policy: ReminderPolicy;
  /** True when the supplier follows the product's default (stored null), which may change. */
  reminder_policy_is_default: boolean;
  reminder_fee_agreed: boolean;
  reminder_fee: number | null;
  payment_options: PaymentOption[];
  payment_report_pause_days: number;
  pay_box_position: PayBoxPosition | null;
  created_at: string;
  updated_at: string;
};

export function supplierResource(supplier: Supplier): SupplierResource {
  return {
    id: supplier.id,
    name: supplier.name,
    org_number: supplier.orgNumber,
    vat_number: supplier.vatNumber,
    bankgiro: supplier.bankgiro,
    plusgiro: supplier.plusgiro,
    iban: supplier.iban,
    bic: supplier.bic,
    swish_number: supplier.swishNumber,
    time_zone: supplier.timeZone,
    language: supplier.language,
    brand_color: supplier.brandColor,
    logo_url: supplier.logoUrl,
    notification_email: supplier.notificationEmail,
    contact_email: supplier.contactEmail,
    contact_phone: supplier.contactPhone,
    reminder_policy: ordered((supplier.reminderPolicy ?? DEFAULT_REMINDER_POLICY) as ReminderPolicy),
    reminder_policy_is_default: supplier.reminderPolicy === null,
    reminder_fee_agreed: supplier.reminderFeeAgreed,
    reminder_fee: supplier.reminderFee,
    payment_options: PAYMENT_OPTIONS.filter((option) => supplier.paymentOptions.includes(option)),
    payment_report_pause_days: supplier.paymentReportPauseDays,
    pay_box_position: supplier.payBoxPosition,
    created_at: supplier.createdAt.toISOString(),
    updated_at: supplier.updatedAt.toISOString(),
  };
}

// What every email template is: a props schema (checked when the email is queued, so a bad call
// fails in the caller's request, not later in the worker), a translated subject, a React body
// and preview props that double as the test fixture.
import type { ReactElement } from "react";
import { z } from "zod";
import type { CurrencyCode } from "~/domain/money";
import type { Locale } from "~/i18n";

/** The supplier's branding: payers should see who writes to them, not us. */
export type EmailBrand = {
  name: string;
  brandColor?: string | null;
  logoUrl?: string | null;
  /** Instants (reported at, changed at) are shown in the supplier's time zone. */
  timeZone?: string;
};

/**
 * What the payer needs to pay an invoice, as of sending (not as of queueing: a reminder queued
 * before a part payment must ask for what is left). Amounts in minor units.
 */
export type EmailInvoice = {
  number: string;
  currency: CurrencyCode;
  total: number;
  amountDue: number;
  /** YYYY-MM-DD */
  dueDate: string;
  ocr: string;
  bankgiro: string | null;
  plusgiro: string | null;
  iban: string | null;
  /** The RF reference as printed, for payments to the IBAN. */
  rf: string | null;
};

export type EmailContext = {
  locale: Locale;
  brand: EmailBrand;
  /**
   * The invoice's portal page, filled by the email job at render time for payer emails (never
   * stored in props: a stored email must not hold a working link). Only http(s) is ever shown.
   */
  portalUrl?: string | null;
  /** The payment facts every payer email about an invoice shows (emails/components/payer-invoice.tsx). */
  invoice?: EmailInvoice | null;
};

export type EmailTemplate<S extends z.ZodTypeAny> = {
  /** Payer emails carry the portal link and are sent in the supplier's name. */
  audience: "payer" | "supplier";
  /**
   * False for a payer email that must not carry the portal link although it is about an invoice:
   * one that goes to an address someone just typed in (the link is a bearer token).
   */
  portalLink?: boolean;
  schema: S;
  // Method syntax on purpose: it lets the registry hold templates of different props as one type.
  subject(props: z.output<S>, context: EmailContext): string;
  render(props: z.output<S>, context: EmailContext): ReactElement;
  previewProps: z.input<S>;
  /** For payer emails: how the sample invoice of the preview and tests differs (e.g. paid). */
  previewInvoice?: Partial<EmailInvoice>;
};

export function defineEmail<S extends z.ZodTypeAny>(template: EmailTemplate<S>): EmailTemplate<S> {
  return template;
}

/**
 * The context a template is rendered with: a supplier email never gets the payer's link or the
 * invoice block, whatever the caller passed (the link is the payer's bearer token).
 */
export function contextFor(audience: "payer" | "supplier", context: EmailContext): EmailContext {
  if (audience === "payer") return context;
  return { locale: context.locale, brand: context.brand };
}

// Field schemas shared by the templates. Outputs are JSON-safe: props are stored in the emails row.

export const text = (max = 200) => z.string().trim().min(1).max(max);

export const optionalText = (max = 200) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((value) => (value ? value : null));

/** Only http(s): a link in an email must never be javascript: or data:. */
export const webUrl = z
  .string()
  .url()
  .refine((value) => /^https?:\/\//i.test(value), "must be an http(s) URL");

export const optionalWebUrl = webUrl.nullish().transform((value) => value ?? null);

/** A moment in time, given as a Date or an ISO 8601 string with offset; stored as ISO. */
export const instant = z
  .union([z.date(), z.string().datetime({ offset: true })])
  .transform((value) => new Date(value).toISOString());

export const problemKind = z.enum(["invoice", "delivery"]);

/** A reason code such as `wrong_amount`; known codes are translated, others shown as given. */
export const reasonCode = z.string().trim().min(1).max(100);

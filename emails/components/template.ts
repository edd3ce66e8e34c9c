// What every email template is: a props schema (checked when the email is queued, so a bad call
// fails in the caller's request, not later in the worker), a translated subject, a React body
// and preview props that double as the test fixture.
import type { ReactElement } from "react";
import { z } from "zod";
import type { Locale } from "~/i18n";

/** The supplier's branding: payers should see who writes to them, not us. */
export type EmailBrand = {
  name: string;
  brandColor?: string | null;
  logoUrl?: string | null;
  /** Instants (reported at, changed at) are shown in the supplier's time zone. */
  timeZone?: string;
};

export type EmailContext = { locale: Locale; brand: EmailBrand };

export type EmailTemplate<S extends z.ZodTypeAny> = {
  /** Payer emails carry the portal link and are sent in the supplier's name. */
  audience: "payer" | "supplier";
  schema: S;
  // Method syntax on purpose: it lets the registry hold templates of different props as one type.
  subject(props: z.output<S>, context: EmailContext): string;
  render(props: z.output<S>, context: EmailContext): ReactElement;
  previewProps: z.input<S>;
};

export function defineEmail<S extends z.ZodTypeAny>(template: EmailTemplate<S>): EmailTemplate<S> {
  return template;
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

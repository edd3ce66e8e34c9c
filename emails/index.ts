// Every email the product sends, by name. Adding one: a template module beside this file (whose
// default export is emailPreview(template), for `npm run email`), one line here.
import { render, toPlainText } from "@react-email/render";
import type { z } from "zod";
import { oneLine } from "~/domain/text";
import { contextFor, type EmailContext, type EmailTemplate } from "./components/template";
import { campaignClosed } from "./campaign-closed";
import { campaignRequest } from "./campaign-request";
import { consoleAccountLocked } from "./console-account-locked";
import { consoleSignInLink } from "./console-sign-in-link";
import { contactChanged } from "./contact-changed";
import { disputeAnswered } from "./dispute-answered";
import { emailFailing } from "./email-failing";
import { invoiceConfirmed } from "./invoice-confirmed";
import { invoiceNotice } from "./invoice-notice";
import { newLink } from "./new-link";
import { newProblem } from "./new-problem";
import { paymentReminder } from "./payment-reminder";
import { paymentReceipt } from "./payment-receipt";
import { paymentReported } from "./payment-reported";
import { paymentReportedSupplier } from "./payment-reported-supplier";
import { problemReceived } from "./problem-received";

export const emailTemplates = {
  "problem-received": problemReceived,
  "new-problem": newProblem,
  "dispute-answered": disputeAnswered,
  "contact-changed": contactChanged,
  "invoice-confirmed": invoiceConfirmed,
  "payment-receipt": paymentReceipt,
  "payment-reported": paymentReported,
  "payment-reported-supplier": paymentReportedSupplier,
  "invoice-notice": invoiceNotice,
  "payment-reminder": paymentReminder,
  "new-link": newLink,
  "email-failing": emailFailing,
  "campaign-request": campaignRequest,
  "campaign-closed": campaignClosed,
  "console-sign-in-link": consoleSignInLink,
  "console-account-locked": consoleAccountLocked,
} satisfies Record<string, EmailTemplate<z.ZodTypeAny>>;

export type EmailTemplateName = keyof typeof emailTemplates;
/** The props a caller passes for a template (before defaults and normalisation). */
export type EmailPropsInput<N extends EmailTemplateName> = z.input<(typeof emailTemplates)[N]["schema"]>;
export type { EmailBrand, EmailContext, EmailInvoice } from "./components/template";

export const EMAIL_TEMPLATE_NAMES = Object.keys(emailTemplates) as EmailTemplateName[];

export function isEmailTemplateName(value: unknown): value is EmailTemplateName {
  return typeof value === "string" && Object.hasOwn(emailTemplates, value);
}

export class EmailPropsError extends Error {
  readonly code = "email_props_invalid";
  constructor(readonly template: string, readonly issues: string[]) {
    super(`Invalid props for email "${template}": ${issues.join("; ")}`);
    this.name = "EmailPropsError";
  }
}

function template(name: string): EmailTemplate<z.ZodTypeAny> {
  if (!isEmailTemplateName(name)) throw new EmailPropsError(name, ["unknown template"]);
  return emailTemplates[name];
}

/** Validates and normalises props (JSON-safe, ready to store); throws EmailPropsError. */
export function parseEmailProps(name: string, props: unknown): Record<string, unknown> {
  const parsed = template(name).schema.safeParse(props);
  if (!parsed.success) {
    throw new EmailPropsError(
      name,
      parsed.error.issues.map((issue) => `${issue.path.join(".") || "(props)"}: ${issue.message}`),
    );
  }
  return parsed.data as Record<string, unknown>;
}

export function emailAudience(name: string): "payer" | "supplier" {
  return template(name).audience;
}

/** Whether the email job gives this email the invoice's portal link (payer emails, unless the template says no). */
export function carriesPortalLink(name: string): boolean {
  const definition = template(name);
  return definition.audience === "payer" && definition.portalLink !== false;
}

export type RenderedEmail = { subject: string; html: string; text: string };

/**
 * Subject, HTML and the plain-text part, in the context's language. A supplier email is rendered
 * without the context's portal link and invoice, whatever the caller passed.
 */
export async function renderEmail(name: string, props: unknown, context: EmailContext): Promise<RenderedEmail> {
  const definition = template(name);
  const data = parseEmailProps(name, props);
  const scoped = contextFor(definition.audience, context);
  const html = await render(definition.render(data, scoped));
  // The text part is converted from this HTML, as render(…, { plainText: true }) would do after
  // rendering the tree a second time: same selectors, half the React work (see bench/emails.ts).
  // A subject is one header line (security D5): a line break from a name could start a header.
  return { subject: oneLine(definition.subject(data, scoped)).trim(), html, text: toPlainText(html) };
}

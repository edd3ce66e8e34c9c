// The samples every email is previewed, tested and benchmarked with, and the adapter for the
// react-email preview (`npm run email`). That preview wants one file per email whose default
// export is a component with `PreviewProps`, so each template module ends by default-exporting
// emailPreview(template). (This comment avoids spelling that statement out: the preview lists
// every file containing it as an email.) The preview props are the template's own fixture plus
// the language and, for payer emails, the invoice and link the email job would add: all editable
// in the preview's props panel (set "locale" to "en" for English).
import type { ReactElement } from "react";
import type { z } from "zod";
import { isLocale, type Locale } from "~/i18n";
import { contextFor, type EmailBrand, type EmailContext, type EmailInvoice, type EmailTemplate } from "./template";

export const SAMPLE_BRAND: EmailBrand = { name: "Nordljus Konsult AB", brandColor: "#1a5fb4", timeZone: "Europe/Stockholm" };

/** A token-shaped path on a reserved domain: never a working link. */
export const SAMPLE_PORTAL_URL = "https://pay.example.test/i/preview-token";

/** Bankgirot's published test account and a valid OCR number (Luhn and length digits). */
export const SAMPLE_INVOICE: EmailInvoice = {
  number: "2026-1001",
  currency: "SEK",
  total: 1250000,
  amountDue: 1250000,
  dueDate: "2026-11-20",
  ocr: "2026100103",
  bankgiro: "5050-1055",
  plusgiro: null,
  iban: null,
  rf: null,
};

/** The context a real send of this template gets in the sample: supplier emails get neither link nor invoice. */
export function previewContext(template: Pick<EmailTemplate<z.ZodTypeAny>, "audience" | "previewInvoice">, locale: Locale): EmailContext {
  return contextFor(template.audience, {
    locale,
    brand: SAMPLE_BRAND,
    portalUrl: SAMPLE_PORTAL_URL,
    invoice: { ...SAMPLE_INVOICE, ...template.previewInvoice },
  });
}

export type EmailPreviewProps<P> = {
  locale: Locale;
  brand: EmailBrand;
  portalUrl?: string | null;
  invoice?: EmailInvoice | null;
  props: P;
};

/** The default export of a template module, for the react-email preview. */
export function emailPreview<S extends z.ZodTypeAny>(template: EmailTemplate<S>) {
  function EmailPreview(input: EmailPreviewProps<z.input<S>>): ReactElement {
    // Props edited in the preview go through the same schema as a queued email's.
    const props = template.schema.parse(input.props) as z.output<S>;
    const locale = isLocale(input.locale) ? input.locale : "sv";
    const context = contextFor(template.audience, { locale, brand: input.brand, portalUrl: input.portalUrl, invoice: input.invoice });
    return template.render(props, context);
  }
  const sample = previewContext(template, "sv");
  EmailPreview.PreviewProps = {
    locale: sample.locale,
    brand: sample.brand,
    ...(template.audience === "payer" ? { portalUrl: sample.portalUrl, invoice: sample.invoice } : {}),
    props: template.previewProps,
  } satisfies EmailPreviewProps<z.input<S>>;
  return EmailPreview;
}

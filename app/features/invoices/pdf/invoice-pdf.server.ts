// The invoice copy as a PDF, for its three readers: the reminder email's attachment (the email.send
// job), the payer's download on the portal (/i/<token>/invoice.pdf) and the supplier's API
// (/api/v1/invoices/:id/pdf). Rendered from the invoice data each time, never stored: a copy always
// shows what is paid and due as of now.
import type { DbOrTx } from "../../../../db/client";
import type { Config } from "~/platform/config.server";
import { isPublicId } from "~/domain/public-id";
import { negotiateLocale, t, type Locale } from "~/i18n";
import { findInvoiceDocument, type InvoiceDocument } from "~/features/invoices/db/invoice-document.server";
import { resolveInvoiceToken, type LinkRejection } from "~/features/links/links.server";
import { renderInvoicePdf } from "./invoice-pdf-render.server";

export { renderInvoicePdf } from "./invoice-pdf-render.server";
export { winAnsiText } from "./pdf-canvas.server";

export type InvoicePdf = { filename: string; content: Buffer };

/**
 * `faktura-2026-1001.pdf` / `invoice-2026-1001.pdf`: ASCII letters, digits, `.`, `_` and `-` only,
 * so the name needs no quoting in a Content-Disposition header or a MIME part.
 */
export function invoicePdfFilename(number: string, locale: Locale): string {
  const safe = fileNamePart(number);
  return `${t(locale, "pdf.filename")}${safe === "" ? "" : `-${safe}`}.pdf`;
}

/** An invoice number as part of a file name: ASCII letters, digits, `.`, `_` and `-`, at most 80. */
export function fileNamePart(number: string): string {
  return number
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .slice(0, 80)
    .replace(/^[-._]+|[-._]+$/g, "");
}

async function render(document: InvoiceDocument, locale: Locale): Promise<InvoicePdf> {
  return { filename: invoicePdfFilename(document.invoice.number, locale), content: await renderInvoicePdf(document, locale) };
}

/** For the email job: the copy attached to a reminder, or null when the invoice is not the supplier's. */
export async function invoicePdfAttachment(
  db: DbOrTx,
  params: { supplierId: string; invoiceId: string; locale: Locale },
): Promise<InvoicePdf | null> {
  if (!isPublicId("inv", params.invoiceId)) return null;
  const document = await findInvoiceDocument(db, params);
  return document ? render(document, params.locale) : null;
}

/**
 * For the supplier's API: its own invoice only (another supplier's id is unknown here), in the
 * language asked for, else the customer's, else the supplier's.
 */
export async function invoicePdfForSupplier(
  db: DbOrTx,
  params: { supplierId: string; invoiceId: string; locale?: Locale },
): Promise<InvoicePdf | null> {
  if (!isPublicId("inv", params.invoiceId)) return null;
  const document = await findInvoiceDocument(db, params);
  if (!document) return null;
  return render(document, params.locale ?? document.customer.language ?? document.supplier.language);
}

export type PortalPdfResult = { ok: true; pdf: InvoicePdf } | { ok: false; reason: LinkRejection };

/**
 * For the payer's download: the page's link checks (the signature before any query) and the page's
 * choice of language (?lang=, then the customer's, the browser's, the supplier's). It records no
 * event: a download changes nothing (security L3), and the page already recorded the visit.
 */
export async function invoicePdfForToken(
  db: DbOrTx,
  config: Pick<Config, "linkKeys" | "linkGraceDays">,
  input: { token: string; request: Request; now?: Date },
): Promise<PortalPdfResult> {
  const resolved = await resolveInvoiceToken(db, config, input.token, input.now);
  if (!resolved.ok) return resolved;
  const document = await findInvoiceDocument(db, resolved.link);
  if (!document) return { ok: false, reason: "unknown" };
  const locale = negotiateLocale(input.request, document.customer.language, document.supplier.language);
  return { ok: true, pdf: await render(document, locale) };
}

/** A download: never cached by anyone (it holds invoice data behind a link or a key). */
export function invoicePdfResponse(pdf: InvoicePdf): Response {
  return new Response(new Uint8Array(pdf.content), {
    status: 200,
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${pdf.filename}"`,
      "Content-Length": String(pdf.content.length),
      "Cache-Control": "private, no-store",
    },
  });
}

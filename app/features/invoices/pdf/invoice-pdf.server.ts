// The invoice as a PDF, for its three readers: the notice's and reminders' attachment (the email.send
// job), the payer's download on the portal (/i/<token>/invoice.pdf) and the supplier's API
// (/api/v1/invoices/:id/pdf). Our copy is rendered from the invoice data each time, never stored: it
// always shows what is paid and due as of now. Once the supplier uploaded its own PDF (issue #21),
// the email and the payer get that one instead, stamped with the pay-now box; the API's /pdf stays
// our copy (the upload is at /document). Every copy carries the pay link, unless the invoice has
// none (a credit note, a cancelled invoice).
import type { DbOrTx } from "../../../../db/client";
import type { Config } from "~/platform/config.server";
import { isPublicId } from "~/domain/public-id";
import { negotiateLocale, t, type Locale } from "~/i18n";
import { findInvoiceDocument, type InvoiceDocument } from "~/features/invoices/db/invoice-document.server";
import { findSupplierPdf } from "~/features/invoices/db/supplier-pdfs.server";
import { resolveInvoiceToken, type LinkRejection } from "~/features/links/links.server";
import { documentPayLinkUrl, recordedPayLinkUrl } from "~/features/links/pay-links.server";
import { supplierPdfFile, type SupplierPdfFile } from "../supplier-pdf/supplier-pdf.server";
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

type PdfConfig = Pick<Config, "linkKeys" | "publicBaseUrl">;

async function render(document: InvoiceDocument, locale: Locale, payLinkUrl: string | null): Promise<InvoicePdf> {
  const { number } = document.invoice;
  return { filename: invoicePdfFilename(number, locale), content: await renderInvoicePdf(document, locale, payLinkUrl) };
}

/** The supplier's own PDF stamped with the pay-now box when it uploaded one, else our copy. */
async function payerPdf(
  db: DbOrTx,
  scope: { supplierId: string; invoiceId: string },
  document: InvoiceDocument,
  locale: Locale,
  payLinkUrl: string | null,
): Promise<InvoicePdf> {
  const own = await findSupplierPdf(db, scope);
  if (!own) return render(document, locale, payLinkUrl);
  const { content } = await supplierPdfFile(own, { payLinkUrl, locale });
  return { filename: invoicePdfFilename(document.invoice.number, locale), content };
}

/**
 * For the email job: the PDF the notice and reminders attach, or null when the invoice is not the
 * supplier's. Its pay link is recorded here if it was not yet (a job may write).
 */
export async function invoicePdfAttachment(
  db: DbOrTx,
  config: PdfConfig,
  params: { supplierId: string; invoiceId: string; locale: Locale },
): Promise<InvoicePdf | null> {
  if (!isPublicId("inv", params.invoiceId)) return null;
  const document = await findInvoiceDocument(db, params);
  if (!document) return null;
  return payerPdf(db, params, document, params.locale, await documentPayLinkUrl(db, config, params));
}

/**
 * For the supplier's API: its own invoice only (another supplier's id is unknown here), in the
 * language asked for, else the customer's, else the supplier's.
 */
export async function invoicePdfForSupplier(
  db: DbOrTx,
  config: PdfConfig,
  params: { supplierId: string; invoiceId: string; locale?: Locale },
): Promise<InvoicePdf | null> {
  if (!isPublicId("inv", params.invoiceId)) return null;
  const document = await findInvoiceDocument(db, params);
  if (!document) return null;
  const locale = params.locale ?? document.customer.language ?? document.supplier.language;
  return render(document, locale, await documentPayLinkUrl(db, config, params));
}

export type SupplierDocumentResult = { ok: true; pdf: InvoicePdf; placement: SupplierPdfFile["placement"] } | { ok: false; reason: "not_found" | "no_document" };

/**
 * For the supplier's API: the PDF it uploaded, as uploaded or `stamped` with the pay-now box (its
 * pay link recorded if it was not yet) in the language asked for, else the customer's, else the supplier's.
 */
export async function supplierDocumentForSupplier(
  db: DbOrTx,
  config: PdfConfig,
  params: { supplierId: string; invoiceId: string; stamped: boolean; locale?: Locale },
): Promise<SupplierDocumentResult> {
  if (!isPublicId("inv", params.invoiceId)) return { ok: false, reason: "not_found" };
  const document = await findInvoiceDocument(db, params);
  if (!document) return { ok: false, reason: "not_found" };
  const own = await findSupplierPdf(db, params);
  if (!own) return { ok: false, reason: "no_document" };
  const locale = params.locale ?? document.customer.language ?? document.supplier.language;
  const stamp = params.stamped ? { payLinkUrl: await documentPayLinkUrl(db, config, params), locale } : null;
  const file = await supplierPdfFile(own, stamp);
  return { ok: true, pdf: { filename: invoicePdfFilename(document.invoice.number, locale), content: file.content }, placement: file.placement };
}

export type PortalPdfResult = { ok: true; pdf: InvoicePdf } | { ok: false; reason: LinkRejection };

/**
 * For the payer's download: the page's link checks (the signature before any query) and the page's
 * choice of language (?lang=, then the customer's, the browser's, the supplier's). It records no
 * event and no pay link: a download changes nothing (security L3), and the page already recorded
 * the visit. The supplier's own PDF comes stamped, like the emails' copy: a downloaded file is
 * forwarded and printed, and whoever holds it later needs the way back to the page.
 */
export async function invoicePdfForToken(
  db: DbOrTx,
  config: Pick<Config, "linkKeys" | "linkGraceDays" | "publicBaseUrl">,
  input: { token: string; request: Request; now?: Date },
): Promise<PortalPdfResult> {
  const resolved = await resolveInvoiceToken(db, config, input.token, input.now);
  if (!resolved.ok) return resolved;
  const scope = { supplierId: resolved.link.supplierId, invoiceId: resolved.link.invoiceId };
  const document = await findInvoiceDocument(db, scope);
  if (!document) return { ok: false, reason: "unknown" };
  const locale = negotiateLocale(input.request, document.customer.language, document.supplier.language);
  return { ok: true, pdf: await payerPdf(db, scope, document, locale, await recordedPayLinkUrl(db, config, scope)) };
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

// A payment's receipt as a PDF, for its two readers: the payer's download from the page
// (/i/<token>/receipts/<payment id>.pdf) and the supplier's API (/api/v1/payments/:id/receipt.pdf).
// Rendered from the ledger each time, never stored; only a payment that arrived has a receipt. It
// carries the invoice's pay-now box (issue #21) while the invoice has a pay link.
import type { DbOrTx } from "../../../../db/client";
import type { Config } from "~/platform/config.server";
import { isPublicId } from "~/domain/public-id";
import { negotiateLocale, t, type Locale } from "~/i18n";
import { findReceiptDocument, type ReceiptDocument } from "~/features/payments/db/receipt-document.server";
import type { InvoicePdf } from "~/features/invoices/pdf/invoice-pdf.server";
import { resolveInvoiceToken, type LinkRejection } from "~/features/links/links.server";
import { documentPayLinkUrl, recordedPayLinkUrl } from "~/features/links/pay-links.server";
import { renderReceiptPdf } from "./receipt-pdf-render.server";

export { renderReceiptPdf } from "./receipt-pdf-render.server";

/** `kvitto-pay_….pdf` / `receipt-pay_….pdf`: a payment id needs no quoting in a header. */
export function receiptPdfFilename(paymentId: string, locale: Locale): string {
  return `${t(locale, "receiptPdf.filename")}-${paymentId}.pdf`;
}

type PdfConfig = Pick<Config, "linkKeys" | "publicBaseUrl">;

async function render(receipt: ReceiptDocument, locale: Locale, payLinkUrl: string | null): Promise<InvoicePdf> {
  return { filename: receiptPdfFilename(receipt.payment.id, locale), content: await renderReceiptPdf(receipt, locale, payLinkUrl) };
}

/**
 * For the supplier's API: its own succeeded payment only (another supplier's id, or a payment that
 * did not arrive, is unknown here), in the language asked for, else the customer's, else the supplier's.
 */
export async function receiptPdfForSupplier(
  db: DbOrTx,
  config: PdfConfig,
  params: { supplierId: string; paymentId: string; locale?: Locale },
): Promise<InvoicePdf | null> {
  if (!isPublicId("pay", params.paymentId)) return null;
  const receipt = await findReceiptDocument(db, params);
  if (!receipt) return null;
  const payLinkUrl = await documentPayLinkUrl(db, config, { supplierId: params.supplierId, invoiceId: receipt.invoice.id });
  return render(receipt, params.locale ?? receipt.customer.language ?? receipt.supplier.language, payLinkUrl);
}

export type PortalReceiptResult = { ok: true; pdf: InvoicePdf } | { ok: false; reason: LinkRejection | "no_receipt" };

/**
 * For the payer's download: the page's link checks (the signature before any query), then a
 * payment of that link's invoice only, in the page's language. Records nothing (security L3).
 */
export async function receiptPdfForToken(
  db: DbOrTx,
  config: Pick<Config, "linkKeys" | "linkGraceDays" | "publicBaseUrl">,
  input: { token: string; paymentId: string; request: Request; now?: Date },
): Promise<PortalReceiptResult> {
  const resolved = await resolveInvoiceToken(db, config, input.token, input.now);
  if (!resolved.ok) return resolved;
  if (!isPublicId("pay", input.paymentId)) return { ok: false, reason: "no_receipt" };
  const { supplierId, invoiceId } = resolved.link;
  const receipt = await findReceiptDocument(db, { supplierId, invoiceId, paymentId: input.paymentId });
  if (!receipt) return { ok: false, reason: "no_receipt" };
  const locale = negotiateLocale(input.request, receipt.customer.language, receipt.supplier.language);
  // Only a pay link already recorded: the download writes nothing (security L3).
  return { ok: true, pdf: await render(receipt, locale, await recordedPayLinkUrl(db, config, { supplierId, invoiceId })) };
}

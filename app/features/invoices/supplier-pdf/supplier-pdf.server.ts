// The invoice PDF the supplier's ERP made (issue #21): uploaded through the API or the CLI, checked
// to be a PDF that opens, stored in PostgreSQL (never on a local disk), and from then on the
// document the payer downloads and the notice and reminders attach, stamped with the pay-now box.
import { createHash } from "node:crypto";
import type { Db } from "../../../../db/client";
import { isPublicId } from "~/domain/public-id";
import type { Locale } from "~/i18n";
import { appendEvent, actorColumns, type Actor } from "~/platform/audit/db/events.server";
import {
  findSupplierPdf, isSupplierInvoice, saveSupplierPdf, type SupplierPdfFacts, type SupplierPdfRow,
} from "~/features/invoices/db/supplier-pdfs.server";
import type { PayBoxPosition } from "~/domain/pay-box-position";
import { checkPdf, stampPayBox, type Placement } from "./pdf-stamp.server";

export const MAX_SUPPLIER_PDF_BYTES = 10 * 1024 * 1024;

/** The 422's message for each refused upload. */
export const SUPPLIER_PDF_REFUSED = {
  not_pdf: "The file is not a PDF that opens: send the invoice as application/pdf, as your ERP made it.",
  encrypted: "The PDF is encrypted (password-protected or with permissions set): send it without encryption, so it can be stamped and opened by every payer.",
  no_pages: "The PDF has no pages.",
  empty: "The body is empty: send the PDF file as the request body.",
  too_large: `The PDF may be at most ${MAX_SUPPLIER_PDF_BYTES} bytes (10 MB).`,
} as const;

export type SupplierPdfJson = { invoice_id: string; byte_size: number; page_count: number; sha256: string; uploaded_at: string };

export const supplierPdfJson = (facts: SupplierPdfFacts): SupplierPdfJson => ({
  invoice_id: facts.invoiceId,
  byte_size: facts.byteSize,
  page_count: facts.pageCount,
  sha256: facts.sha256,
  uploaded_at: facts.uploadedAt.toISOString(),
});

export type UploadResult =
  | { ok: true; document: SupplierPdfJson; replaced: boolean }
  | { ok: false; reason: "not_found" }
  | { ok: false; reason: keyof typeof SUPPLIER_PDF_REFUSED };

/** Stores the supplier's PDF for its invoice, replacing an earlier one; nothing is stored when it is refused. */
export async function uploadSupplierPdf(
  db: Db,
  params: { supplierId: string; invoiceId: string; bytes: Uint8Array; actor: Actor; now?: Date },
): Promise<UploadResult> {
  const { supplierId, invoiceId, bytes } = params;
  if (!isPublicId("inv", invoiceId) || !(await isSupplierInvoice(db, { supplierId, invoiceId }))) return { ok: false, reason: "not_found" };
  if (bytes.byteLength === 0) return { ok: false, reason: "empty" };
  if (bytes.byteLength > MAX_SUPPLIER_PDF_BYTES) return { ok: false, reason: "too_large" };
  const check = await checkPdf(bytes);
  if (!check.ok) return { ok: false, reason: check.reason };
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  return db.transaction(async (tx) => {
    const replaced = (await findSupplierPdf(tx, { supplierId, invoiceId })) !== undefined;
    const content = Buffer.from(bytes);
    const saved = await saveSupplierPdf(tx, { invoiceId, supplierId, content, byteSize: content.length, pageCount: check.pageCount, sha256 }, params.now ?? new Date());
    await appendEvent(tx, {
      ...actorColumns(params.actor), supplierId, invoiceId, type: "invoice.document_uploaded",
      data: { byte_size: saved.byteSize, page_count: saved.pageCount, sha256, replaced },
    });
    return { ok: true, document: supplierPdfJson(saved), replaced } as const;
  });
}

export type SupplierPdfFile = { content: Buffer; placement: Placement | "none" };

/**
 * The stored PDF as is, or with the pay-now box on its first page when `payLinkUrl` is given
 * (null for a credit note or a cancelled invoice: no box, the document as uploaded).
 */
export async function supplierPdfFile(
  stored: SupplierPdfRow & { payBoxPosition: PayBoxPosition | null },
  stamp: { payLinkUrl: string | null; locale: Locale } | null,
): Promise<SupplierPdfFile> {
  if (!stamp || stamp.payLinkUrl === null) return { content: stored.content, placement: "none" };
  const stamped = await stampPayBox(stored.content, { url: stamp.payLinkUrl, locale: stamp.locale, position: stored.payBoxPosition });
  return { content: stamped.content, placement: stamped.placement };
}

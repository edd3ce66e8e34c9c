// Draws a payment receipt with pdfkit: one A4 page saying who received how much from whom, for
// which invoice, how and when, under its receipt number. Built from the same primitives as the
// invoice copy (pdf-canvas.server.ts); the same payment always gives the same bytes.
import { todayIn } from "~/domain/invoice-status";
import { isSupportedCurrency } from "~/domain/money";
import { t, type Locale, type MessageKey } from "~/i18n";
import { formatAmount, formatDate, methodName } from "~/i18n/format";
import type { ReceiptDocument } from "~/features/payments/db/receipt-document.server";
import {
  Canvas, COLORS, drawPayBox, drawSupplierHeading, FOOTER_Y, layoutPdfkitPayBox, lineHeight, MARGIN, openPdf, WIDTH,
} from "../../invoices/pdf/pdf-canvas.server";

const LABEL_WIDTH = 150;

/**
 * Renders the receipt in one language, with the invoice's pay-now box when it has a pay link (what
 * is still due, the invoice's page). Throws only for data that cannot be a payment (an unknown currency).
 */
export async function renderReceiptPdf(receipt: ReceiptDocument, locale: Locale, payLinkUrl: string | null = null): Promise<Buffer> {
  const { payment, invoice, supplier, customer } = receipt;
  const currency = payment.currency;
  if (!isSupportedCurrency(currency)) throw new Error(`unsupported currency ${currency}`);
  const text = (key: MessageKey, params?: Record<string, string | number>) => t(locale, key, params);
  const money = (minor: number) => formatAmount(minor, currency, locale);
  const received = payment.receivedAt ?? payment.createdAt;

  const title = text("receiptPdf.meta.title", { number: payment.id, invoice: invoice.number, supplier: supplier.name });
  // Created when the payment arrived: the same receipt gives the same bytes.
  const { doc, done } = openPdf({ title, author: supplier.name, locale, createdAt: received });
  const canvas = new Canvas(doc);

  // The supplier at the top left, "RECEIPT" and its number at the top right.
  let y = drawSupplierHeading(canvas, supplier, { orgNumber: text("portal.orgNumber"), vatNumber: text("portal.vatNumber") });
  canvas.cell(text("receiptPdf.title").toUpperCase(), MARGIN + 320, MARGIN, { size: 22, bold: true, width: WIDTH - 320, align: "right" });
  canvas.cell(payment.id, MARGIN + 260, MARGIN + 30, { size: 9, color: COLORS.muted, width: WIDTH - 260, align: "right" });
  y = Math.max(y, MARGIN + 48) + 24;

  for (const line of canvas.wrap(text("receiptPdf.confirm", { supplier: supplier.name }), WIDTH, { size: 11 })) {
    canvas.cell(line, MARGIN, y, { size: 11 });
    y += lineHeight(11);
  }
  y += 14;

  // From and payer, side by side.
  const half = WIDTH / 2;
  const party = (label: string, name: string, orgNumber: string | null, x: number) => {
    let at = y;
    canvas.cell(label, x, at, { size: 8, bold: true, color: COLORS.muted });
    at += lineHeight(8) + 2;
    for (const line of canvas.wrap(name, half - 16, { size: 10, bold: true })) {
      canvas.cell(line, x, at, { size: 10, bold: true });
      at += lineHeight(10);
    }
    if (orgNumber) {
      canvas.cell(`${text("portal.orgNumber")} ${orgNumber}`, x, at, { size: 9, width: half - 16 });
      at += lineHeight(9);
    }
    return at;
  };
  y = Math.max(party(text("receiptPdf.from"), supplier.name, supplier.orgNumber, MARGIN), party(text("receiptPdf.payer"), customer.name, customer.orgNumber, MARGIN + half)) + 18;

  // The facts, one "label | value" row each.
  canvas.rule(y - 6);
  const rows: [MessageKey, string][] = [
    ["receipt.number", payment.id],
    ["receiptPdf.invoice", invoice.number],
    ["receiptPdf.amount", money(payment.amount)],
    ["receiptPdf.method", methodName(payment.method, locale)],
    ...(payment.providerReference ? [["receiptPdf.reference", payment.providerReference] as [MessageKey, string]] : []),
    ["receiptPdf.date", formatDate(todayIn(supplier.timeZone, received), locale)],
  ];
  for (const [label, value] of rows) {
    canvas.cell(text(label), MARGIN, y, { size: 10, color: COLORS.muted, width: LABEL_WIDTH - 8 });
    canvas.cell(value, MARGIN + LABEL_WIDTH, y, { size: 10, bold: label === "receiptPdf.amount", width: WIDTH - LABEL_WIDTH });
    y += lineHeight(10) + 6;
  }
  canvas.rule(y - 2);
  y += 12;

  const notes = [
    payment.amountRefunded > 0 ? text("payments.receipts.refunded", { amount: money(payment.amountRefunded) }) : null,
    payment.chargeback === "lost" ? text("payments.receipts.reversed") : null,
  ];
  for (const note of notes) {
    if (!note) continue;
    for (const line of canvas.wrap(note, WIDTH, { size: 9 })) {
      canvas.cell(line, MARGIN, y, { size: 9 });
      y += lineHeight(9);
    }
  }

  if (payLinkUrl !== null) drawPayBox(doc, layoutPdfkitPayBox(doc, WIDTH, locale, payLinkUrl), MARGIN, y + 12, payLinkUrl);

  canvas.rule(FOOTER_Y - 6);
  canvas.cell(text("receiptPdf.footer", { number: payment.id }), MARGIN, FOOTER_Y, { size: 8, color: COLORS.muted, width: WIDTH });
  return done();
}

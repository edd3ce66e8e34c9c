// Draws the invoice copy with pdfkit: one A4 document rendered from the invoice data, marked as a
// copy, with the lines, the totals as the supplier sent them (security P6) and how to pay. The same
// data always gives the same bytes: the email job attaches it on every try of one message, and
// Resend's idempotency key expects the same request each time.
import { formatIban } from "~/domain/identifiers";
import { isSupportedCurrency, type CurrencyCode } from "~/domain/money";
import { t, type Locale, type MessageKey } from "~/i18n";
import { formatAmount, formatDate, formatPercent, formatQuantity } from "~/i18n/format";
import type { InvoiceDocument } from "~/features/invoices/db/invoice-document.server";
import { buildPaymentInstructions, type PaymentInstructions } from "~/features/payments/payment-instructions.server";
import { groupVatByRate } from "~/domain/vat-groups";
import {
  BOTTOM, Canvas, COLORS, drawPayBox, drawQr, drawSupplierHeading, FOOTER_Y, layoutPdfkitPayBox, lineHeight, MARGIN, openPdf,
  qrModuleRuns, WIDTH, type QrRuns,
} from "./pdf-canvas.server";

type Layout = {
  canvas: Canvas;
  document: InvoiceDocument;
  locale: Locale;
  currency: CurrencyCode;
  text: (key: MessageKey, params?: Record<string, string | number>) => string;
  money: (minor: number) => string;
};

/**
 * Renders the copy in one language, with the pay-now box when the invoice has a pay link (none for
 * a credit note or a cancelled invoice). Throws only for data that cannot be an invoice (an unknown currency).
 */
export async function renderInvoicePdf(document: InvoiceDocument, locale: Locale, payLinkUrl: string | null = null): Promise<Buffer> {
  const { invoice, supplier } = document;
  const currency = invoice.currency;
  if (!isSupportedCurrency(currency)) throw new Error(`unsupported currency ${currency}`);
  const instructions = buildPaymentInstructions({ invoice, supplier });
  const qrPayload = instructions.uqr?.payload ?? instructions.epc?.payload ?? null;
  const qr = qrPayload === null ? null : qrModuleRuns(qrPayload);

  const title = t(locale, "pdf.meta.title", { number: invoice.number, supplier: supplier.name });
  // The creation date is the issue date: the same invoice data gives the same bytes.
  const { doc, done } = openPdf({
    title, author: supplier.name, locale, createdAt: new Date(`${invoice.issueDate}T00:00:00.000Z`),
  });

  const layout: Layout = {
    canvas: new Canvas(doc),
    document,
    locale,
    currency,
    text: (key, params) => t(locale, key, params),
    money: (minor) => formatAmount(minor, currency, locale),
  };
  drawHeader(layout);
  drawParties(layout, instructions);
  drawLines(layout);
  drawTotals(layout);
  drawPayment(layout, instructions, qr);
  if (payLinkUrl !== null && invoice.cancelledAt === null && invoice.total > 0) drawPayLinkBox(layout, payLinkUrl);
  drawFooters(layout);
  return done();
}

function newPage(layout: Layout) {
  const { canvas, document, text } = layout;
  canvas.doc.addPage();
  canvas.cell(`${document.supplier.name} \u2013 ${text("pdf.title")} ${document.invoice.number} (${text("pdf.copy").toLowerCase()})`, MARGIN, MARGIN, {
    size: 8, color: COLORS.muted, width: WIDTH,
  });
  canvas.y = MARGIN + 22;
}

function ensureSpace(layout: Layout, height: number) {
  if (layout.canvas.y + height > BOTTOM) newPage(layout);
}

function drawHeader(layout: Layout) {
  const { canvas, document, text } = layout;
  const { supplier } = document;
  const left = drawSupplierHeading(canvas, supplier, { orgNumber: text("portal.orgNumber"), vatNumber: text("portal.vatNumber") });

  // "INVOICE" and a stamp-like "COPY" at the top right.
  const right = MARGIN + WIDTH;
  canvas.cell(text("pdf.title").toUpperCase(), MARGIN + 320, MARGIN, { size: 22, bold: true, width: WIDTH - 320, align: "right" });
  const stamp = text("pdf.copy").toUpperCase();
  const stampWidth = canvas.width(stamp, { size: 11, bold: true }) + 16;
  canvas.doc.rect(right - stampWidth, MARGIN + 32, stampWidth, 20).lineWidth(1.2).strokeColor(COLORS.stamp).stroke();
  canvas.cell(stamp, right - stampWidth + 8, MARGIN + 37, { size: 11, bold: true, color: COLORS.stamp });
  canvas.y = Math.max(left, MARGIN + 56) + 22;
}

function drawParties(layout: Layout, instructions: PaymentInstructions) {
  const { canvas, document, text, locale } = layout;
  const { customer, billingContact: contact, invoice } = document;
  const top = canvas.y;

  let y = top;
  canvas.cell(text("pdf.billTo"), MARGIN, y, { size: 8, color: COLORS.muted });
  y += lineHeight(8) + 1;
  for (const line of canvas.wrap(customer.name, 250, { size: 10, bold: true })) {
    canvas.cell(line, MARGIN, y, { size: 10, bold: true });
    y += lineHeight(10);
  }
  const postal = [contact?.postalCode, contact?.city].filter(Boolean).join(" ");
  const reference = invoice.confirmedReference ?? contact?.invoiceReference ?? null;
  const rows = [
    customer.orgNumber && `${text("portal.orgNumber")} ${customer.orgNumber}`,
    contact?.name && `${text("pdf.attention")} ${contact.name}`,
    contact?.addressLine1,
    contact?.addressLine2,
    postal,
    contact?.country,
    reference && `${text("pdf.yourReference")}: ${reference}`,
  ];
  for (const row of rows) {
    if (!row) continue;
    for (const line of canvas.wrap(row, 250, { size: 9 })) {
      canvas.cell(line, MARGIN, y, { size: 9 });
      y += lineHeight(9);
    }
  }

  // The facts the payer needs to find and pay this invoice, label left and value right.
  const x = MARGIN + 290;
  const width = WIDTH - 290;
  let right = top;
  const facts: [string, string, boolean][] = [
    [text("portal.invoiceNumber"), invoice.number, false],
    [text("portal.issueDate"), formatDate(invoice.issueDate, locale), false],
    [text("portal.dueDate"), formatDate(invoice.dueDate, locale), false],
    [text("portal.pay.ocr"), invoice.ocr, false],
    [text("portal.amountDue"), layout.money(instructions.amountDue), true],
  ];
  for (const [label, value, bold] of facts) {
    canvas.cell(label, x, right, { size: 9, color: COLORS.muted, width: 95 });
    canvas.cell(value, x + 95, right, { size: 9, bold, width: width - 95, align: "right" });
    right += lineHeight(9) + 3;
  }
  canvas.y = Math.max(y, right) + 22;
}

const COLUMNS = (() => {
  const amount = 82;
  const vat = 50;
  const price = 78;
  const quantity = 64;
  const description = WIDTH - amount - vat - price - quantity;
  const at = (offset: number, width: number) => ({ x: MARGIN + offset, width });
  return {
    description: at(0, description - 8),
    quantity: at(description, quantity),
    price: at(description + quantity, price),
    vat: at(description + quantity + price, vat),
    amount: at(description + quantity + price + vat, amount),
  };
})();

const BODY = 9;
const ROW_PADDING = 5;

function drawTableHeader(layout: Layout) {
  const { canvas, text } = layout;
  const y = canvas.y;
  const style = { size: 8, bold: true };
  canvas.cell(text("portal.lines.description"), COLUMNS.description.x, y, { ...style, width: COLUMNS.description.width });
  canvas.cell(text("portal.lines.quantity"), COLUMNS.quantity.x, y, { ...style, width: COLUMNS.quantity.width, align: "right" });
  canvas.cell(text("portal.lines.unitPrice"), COLUMNS.price.x, y, { ...style, width: COLUMNS.price.width, align: "right" });
  canvas.cell(text("portal.lines.vatRate"), COLUMNS.vat.x, y, { ...style, width: COLUMNS.vat.width, align: "right" });
  canvas.cell(text("portal.lines.net"), COLUMNS.amount.x, y, { ...style, width: COLUMNS.amount.width, align: "right" });
  canvas.rule(y + lineHeight(8) + 2, COLORS.text);
  canvas.y = y + lineHeight(8) + 2 + ROW_PADDING;
}

/**
 * The lines table. A row moves whole to the next page when it does not fit; only a row taller
 * than a page (a very long description) is split, its amounts on its first part.
 */
function drawLines(layout: Layout) {
  const { canvas, document, locale, money } = layout;
  ensureSpace(layout, 60);
  drawTableHeader(layout);
  const step = lineHeight(BODY);
  const perPage = Math.floor((BOTTOM - (MARGIN + 22) - lineHeight(8) - 2 - 2 * ROW_PADDING) / step);
  for (const line of document.lines) {
    let rest = canvas.wrap(line.description, COLUMNS.description.width, { size: BODY });
    let first = true;
    while (rest.length > 0) {
      const room = Math.floor((BOTTOM - canvas.y - ROW_PADDING) / step);
      if (rest.length > room && (rest.length <= perPage || room < 1)) {
        newPage(layout);
        drawTableHeader(layout);
        continue;
      }
      const part = rest.slice(0, room);
      rest = rest.slice(part.length);
      const y = canvas.y;
      part.forEach((text, index) => canvas.cell(text, COLUMNS.description.x, y + index * step, { size: BODY }));
      if (first) {
        const quantity = `${formatQuantity(line.quantity, locale)}${line.unit ? ` ${line.unit}` : ""}`;
        canvas.cell(quantity, COLUMNS.quantity.x, y, { size: BODY, width: COLUMNS.quantity.width, align: "right" });
        canvas.cell(money(line.unitPrice), COLUMNS.price.x, y, { size: BODY, width: COLUMNS.price.width, align: "right" });
        canvas.cell(formatPercent(line.vatRate, locale), COLUMNS.vat.x, y, { size: BODY, width: COLUMNS.vat.width, align: "right" });
        canvas.cell(money(line.net), COLUMNS.amount.x, y, { size: BODY, width: COLUMNS.amount.width, align: "right" });
        first = false;
      }
      canvas.y = y + part.length * step + ROW_PADDING;
      if (rest.length === 0) canvas.rule(canvas.y - ROW_PADDING / 2);
      canvas.y += ROW_PADDING / 2;
    }
  }
  canvas.y += 10;
}

/** VAT per rate on the left; net, VAT, rounding, total, paid and due on the right, as sent. */
function drawTotals(layout: Layout) {
  const { canvas, document, text, money, locale } = layout;
  const { invoice } = document;
  const groups = groupVatByRate(document.lines);
  const amountDue = invoice.cancelledAt === null ? Math.max(invoice.total - invoice.amountPaid, 0) : 0;
  const sums: [string, string, boolean][] = [
    [text("portal.totals.net"), money(invoice.totalNet), false],
    [text("portal.totals.vat"), money(invoice.totalVat), false],
    ...(invoice.rounding !== 0 ? [[text("portal.totals.rounding"), money(invoice.rounding), false] as [string, string, boolean]] : []),
    [text("portal.totals.total"), money(invoice.total), true],
    ...(invoice.amountPaid > 0 ? [[text("portal.totals.paid"), money(-invoice.amountPaid), false] as [string, string, boolean]] : []),
    [text("portal.amountDue"), money(amountDue), true],
  ];
  const step = lineHeight(BODY) + 3;
  ensureSpace(layout, Math.max(sums.length, groups.length + 1) * step + 8);
  const top = canvas.y;

  const vat = { rate: MARGIN, base: MARGIN + 60, amount: MARGIN + 150, width: 80 };
  canvas.cell(text("portal.vat.rate"), vat.rate, top, { size: 8, bold: true });
  canvas.cell(text("portal.vat.base"), vat.base, top, { size: 8, bold: true, width: vat.width, align: "right" });
  canvas.cell(text("portal.vat.amount"), vat.amount, top, { size: 8, bold: true, width: vat.width, align: "right" });
  groups.forEach((group, index) => {
    const y = top + (index + 1) * step;
    canvas.cell(formatPercent(group.rate, locale), vat.rate, y, { size: BODY });
    canvas.cell(money(group.net), vat.base, y, { size: BODY, width: vat.width, align: "right" });
    canvas.cell(money(group.vat), vat.amount, y, { size: BODY, width: vat.width, align: "right" });
  });

  const x = MARGIN + WIDTH - 250;
  sums.forEach(([label, value, bold], index) => {
    const y = top + index * step;
    if (index === sums.length - 1) canvas.rule(y - 3, COLORS.text, x, 250);
    canvas.cell(label, x, y, { size: BODY, bold, width: 140 });
    canvas.cell(value, x + 140, y, { size: BODY, bold, width: 110, align: "right" });
  });
  canvas.y = top + Math.max(sums.length, groups.length + 1) * step + 18;
}

type PayRow = { kind: "heading" | "fact" | "note"; label?: string; value: string };

function paymentRows(layout: Layout, instructions: PaymentInstructions): PayRow[] {
  const { document, text, locale, money } = layout;
  const { invoice, supplier } = document;
  if (invoice.cancelledAt !== null) return [{ kind: "note", value: text("portal.pay.cancelled") }];
  if (instructions.amountDue === 0) return [{ kind: "note", value: text("portal.pay.nothingDue") }];
  const domestic = instructions.bankgiro !== null || instructions.plusgiro !== null;
  if (!domestic && instructions.iban === null) return [{ kind: "note", value: text("portal.pay.noDetails", { supplier: supplier.name }) }];

  const rows: PayRow[] = [
    { kind: "heading", value: text("pdf.payBy", { amount: money(instructions.amountDue), date: formatDate(instructions.dueDate, locale) }) },
  ];
  if (domestic) {
    if (instructions.bankgiro !== null) rows.push({ kind: "fact", label: text("portal.pay.bankgiro"), value: instructions.bankgiro });
    if (instructions.plusgiro !== null) rows.push({ kind: "fact", label: text("portal.pay.plusgiro"), value: instructions.plusgiro });
    rows.push({ kind: "fact", label: text("portal.pay.ocr"), value: instructions.ocr });
    rows.push({ kind: "note", value: text("portal.pay.ocrHint") });
  }
  if (instructions.iban !== null) {
    if (domestic) rows.push({ kind: "heading", value: text("portal.pay.international") });
    rows.push({ kind: "fact", label: text("portal.pay.iban"), value: formatIban(instructions.iban) });
    if (instructions.bic !== null) rows.push({ kind: "fact", label: text("portal.pay.bic"), value: instructions.bic });
    // The RF reference travels through foreign banks intact; an OCR number may not.
    rows.push(
      instructions.rfPrinted
        ? { kind: "fact", label: text("pay.rf"), value: instructions.rfPrinted }
        : { kind: "fact", label: text("portal.pay.reference"), value: instructions.ocr },
    );
    if (instructions.rfPrinted) rows.push({ kind: "note", value: text("pay.rfHint") });
  }
  return rows;
}

/** How to pay, in a box, with the bank apps' QR code at its right when there is one. */
function drawPayment(layout: Layout, instructions: PaymentInstructions, qr: QrRuns | null) {
  const { canvas, text } = layout;
  const padding = 12;
  const qrImage = qr !== null;
  const qrSize = qrImage ? 124 : 0;
  const textWidth = WIDTH - 2 * padding - (qrImage ? qrSize + 8 : 0);
  const rows = paymentRows(layout, instructions);
  // A heading after the first (payment from abroad) gets some air above it.
  const heightOf = (row: PayRow, index: number) =>
    row.kind === "note"
      ? canvas.wrap(row.value, textWidth, { size: 8 }).length * lineHeight(8) + 4
      : row.kind === "heading"
        ? lineHeight(10) + 4 + (index > 0 ? 8 : 0)
        : lineHeight(BODY) + 4;
  // The quiet zone is inside the square: the code's top left lines up with the heading.
  const caption = qrImage ? canvas.wrap(text("pdf.scan"), qrSize - 12, { size: 7.5 }) : [];
  const contentHeight = Math.max(
    lineHeight(12) + 6 + rows.reduce((sum, row, index) => sum + heightOf(row, index), 0),
    qrImage ? qrSize - 6 + caption.length * lineHeight(7.5) : 0,
  );
  ensureSpace(layout, contentHeight + 2 * padding);
  const top = canvas.y;
  canvas.doc.rect(MARGIN, top, WIDTH, contentHeight + 2 * padding).lineWidth(0.8).strokeColor(COLORS.rule).stroke();

  const x = MARGIN + padding;
  let y = top + padding;
  canvas.cell(text("portal.pay.heading"), x, y, { size: 12, bold: true, width: textWidth });
  y += lineHeight(12) + 6;
  rows.forEach((row, index) => {
    if (row.kind === "heading") canvas.cell(row.value, x, y + (index > 0 ? 8 : 0), { size: 10, bold: true, width: textWidth });
    else if (row.kind === "fact") {
      canvas.cell(row.label ?? "", x, y, { size: BODY, color: COLORS.muted, width: 110 });
      canvas.cell(row.value, x + 110, y, { size: BODY, bold: true, width: textWidth - 110 });
    } else {
      canvas.wrap(row.value, textWidth, { size: 8 }).forEach((line, index) => {
        canvas.cell(line, x, y + index * lineHeight(8), { size: 8, color: COLORS.muted });
      });
    }
    y += heightOf(row, index);
  });

  if (qr) {
    const qrX = MARGIN + WIDTH - padding - qrSize;
    drawQr(canvas.doc, qr, qrX, top + padding - 6, qrSize);
    caption.forEach((line, index) => {
      canvas.cell(line, qrX + 6, top + padding + qrSize - 6 + index * lineHeight(7.5), { size: 7.5, color: COLORS.muted });
    });
  }
  canvas.y = top + contentHeight + 2 * padding + 12;
}

/** The pay-now box below how to pay, apart from the bank apps' QR so nobody scans the wrong one. */
function drawPayLinkBox(layout: Layout, url: string) {
  const { canvas, locale } = layout;
  const box = layoutPdfkitPayBox(canvas.doc, WIDTH, locale, url);
  ensureSpace(layout, box.height);
  drawPayBox(canvas.doc, box, MARGIN, canvas.y, url);
  canvas.y += box.height + 12;
}

/** "Copy of invoice 2026-1001, page 1 of 3" on every page: pages are buffered until their count is known. */
function drawFooters(layout: Layout) {
  const { canvas, document, text } = layout;
  const { start, count } = canvas.doc.bufferedPageRange();
  for (let index = start; index < start + count; index++) {
    canvas.doc.switchToPage(index);
    canvas.rule(FOOTER_Y - 6);
    const label = text("pdf.page", { number: document.invoice.number, page: index - start + 1, pages: count });
    canvas.cell(label, MARGIN, FOOTER_Y, { size: 8, color: COLORS.muted, width: WIDTH });
  }
}

// What a payer (on the portal) or a supplier's PDF needs to pay one invoice: the accounts, the
// references (OCR for Bankgiro/Plusgiro, RF for IBAN) and the QR payloads. Computed from the
// invoice and supplier rows already loaded, so it costs no query of its own on the portal.
import type { Db } from "../../../db/client";
import { publicUrl, type Config } from "~/platform/config.server";
import { epcQrPayload, EpcQrError } from "~/domain/epc-qr";
import { invoiceQrPayload, InvoiceQrError, type InvoiceQrPaymentType } from "~/domain/invoice-qr";
import { isSupportedCurrency, type CurrencyCode } from "~/domain/money";
import { isPublicId } from "~/domain/public-id";
import { formatRf, rfForInvoice } from "~/domain/rf";
import { formatSwishNumber, swishAppLink, swishQrPayload, SwishQrError } from "~/domain/swish-qr";
import { findApiInvoice } from "~/features/invoices/db/invoices.server";
import { findPortalInvoiceByLink } from "~/features/portal/db/portal.server";
import { getSupplier } from "~/features/suppliers/db/suppliers.server";
import { checkInvoiceLink, verifyInvoiceToken } from "~/features/links/links.server";

/** The codes a payer can scan; also the last path segment of their image URLs (`swish.svg`). */
export const QR_KINDS = ["swish", "uqr", "epc"] as const;
export type QrKind = (typeof QR_KINDS)[number];

export function isQrKind(value: string): value is QrKind {
  return (QR_KINDS as readonly string[]).includes(value);
}

export type PaymentSource = {
  invoice: {
    number: string;
    currency: string;
    issueDate: string;
    dueDate: string;
    total: number;
    amountPaid: number;
    ocr: string;
    cancelledAt: Date | string | null;
  };
  supplier: {
    name: string;
    orgNumber: string | null;
    bankgiro: string | null;
    plusgiro: string | null;
    iban: string | null;
    bic: string | null;
    swishNumber: string | null;
  };
};

/** Plain JSON (the portal page ships it to the browser). Payloads are null where they do not apply. */
export type PaymentInstructions = {
  currency: CurrencyCode;
  /** Minor units; 0 when paid or cancelled, and then no QR code is offered. */
  amountDue: number;
  dueDate: string;
  bankgiro: string | null;
  plusgiro: string | null;
  iban: string | null;
  bic: string | null;
  /** The reference for Bankgiro and Plusgiro payments. */
  ocr: string;
  /** The ISO 11649 reference for IBAN payments, compact ("RF71655969") and printed ("RF71 6559 69"). */
  rf: string | null;
  rfPrinted: string | null;
  /** SEK only, when the supplier has a Swish number. */
  swish: { number: string; numberPrinted: string; message: string; payload: string; appLink: string } | null;
  /** The bank apps' invoice QR (UsingQR), SEK only. */
  uqr: { payload: string; paymentType: InvoiceQrPaymentType; account: string } | null;
  /** The EPC (SEPA) QR, EUR invoices to an IBAN only. */
  epc: { payload: string } | null;
};

/** A stored value the domain refuses (e.g. a name too long for the EPC code) drops that one code, not the page. */
function unlessRefused<T>(build: () => T): T | null {
  try {
    return build();
  } catch (error) {
    if (error instanceof SwishQrError || error instanceof InvoiceQrError || error instanceof EpcQrError) return null;
    throw error;
  }
}

export function buildPaymentInstructions({ invoice, supplier }: PaymentSource): PaymentInstructions {
  const currency = invoice.currency;
  if (!isSupportedCurrency(currency)) throw new Error(`unsupported currency ${currency}`);
  const amountDue = invoice.cancelledAt === null ? Math.max(invoice.total - invoice.amountPaid, 0) : 0;
  const rf = rfForInvoice(invoice);
  const payable = amountDue > 0;
  const sek = payable && currency === "SEK";

  const swishNumber = supplier.swishNumber;
  const swish =
    sek && swishNumber
      ? unlessRefused(() => ({
          number: swishNumber,
          numberPrinted: formatSwishNumber(swishNumber),
          message: invoice.ocr,
          payload: swishQrPayload({ payee: swishNumber, amount: amountDue, message: invoice.ocr }),
          appLink: swishAppLink({ payee: swishNumber, amount: amountDue, message: invoice.ocr }),
        }))
      : null;

  // Bankgiro first: it is what Swedish bank apps pay invoices with, and the OCR is matched on it.
  const account: { paymentType: InvoiceQrPaymentType; account: string; bankCode?: string } | null = supplier.bankgiro
    ? { paymentType: "BG", account: supplier.bankgiro }
    : supplier.plusgiro
      ? { paymentType: "PG", account: supplier.plusgiro }
      : supplier.iban
        ? { paymentType: "IBAN", account: supplier.iban, ...(supplier.bic ? { bankCode: supplier.bic } : {}) }
        : null;
  const uqr =
    sek && account
      ? unlessRefused(() => ({
          paymentType: account.paymentType,
          account: account.account,
          payload: invoiceQrPayload({
            payeeName: supplier.name,
            companyId: supplier.orgNumber,
            reference: invoice.ocr,
            invoiceDate: invoice.issueDate,
            dueDate: invoice.dueDate,
            amount: amountDue,
            currency: "SEK",
            ...account,
          }),
        }))
      : null;

  const iban = supplier.iban;
  const epc =
    payable && currency === "EUR" && iban
      ? unlessRefused(() => ({
          payload: epcQrPayload({
            bic: supplier.bic,
            name: supplier.name,
            iban,
            amount: amountDue,
            ...(rf ? { reference: rf } : { text: `Invoice ${invoice.number}` }),
          }),
        }))
      : null;

  return {
    currency,
    amountDue,
    dueDate: invoice.dueDate,
    bankgiro: supplier.bankgiro,
    plusgiro: supplier.plusgiro,
    iban: supplier.iban,
    bic: supplier.bic,
    ocr: invoice.ocr,
    rf,
    rfPrinted: rf && formatRf(rf),
    swish,
    uqr,
    epc,
  };
}

export function qrPayload(instructions: PaymentInstructions, kind: QrKind): string | null {
  return instructions[kind]?.payload ?? null;
}

/** For the supplier's API: one invoice of that supplier, or undefined (unknown and foreign ids alike). */
export async function paymentInstructionsForInvoice(
  db: Db,
  params: { supplierId: string; invoiceId: string },
): Promise<PaymentInstructions | undefined> {
  if (!isPublicId("inv", params.invoiceId)) return undefined;
  const [supplier, invoice] = await Promise.all([
    getSupplier(db, params.supplierId),
    findApiInvoice(db, params.supplierId, params.invoiceId),
  ]);
  return supplier && invoice ? buildPaymentInstructions({ invoice, supplier }) : undefined;
}

/**
 * For the payer's QR images: the same link checks as the page (signature first, then the link's
 * state in the page's own one query) but no view event, since an image is not a visit.
 */
export async function paymentInstructionsForToken(
  db: Db,
  config: Pick<Config, "linkKeys" | "linkGraceDays">,
  token: string,
  now = new Date(),
): Promise<{ ok: true; instructions: PaymentInstructions } | { ok: false }> {
  const verified = verifyInvoiceToken(config, token, now);
  if (!verified.ok) return { ok: false };
  const row = await findPortalInvoiceByLink(db, verified.idHash);
  if (!row || !checkInvoiceLink(row.link, verified.version, config, now).ok) return { ok: false };
  return { ok: true, instructions: buildPaymentInstructions(row) };
}

type ImageUrls = { svg: string; png: string };

export type PaymentInstructionsJson = {
  invoice_id: string;
  currency: CurrencyCode;
  amount_due: number;
  due_date: string;
  bank_accounts: { bankgiro: string | null; plusgiro: string | null; iban: string | null; bic: string | null };
  ocr: string;
  rf: string | null;
  rf_printed: string | null;
  swish: { number: string; payload: string; image_urls: ImageUrls } | null;
  invoice_qr: { payload: string; payment_type: InvoiceQrPaymentType; image_urls: ImageUrls } | null;
  epc_qr: { payload: string; image_urls: ImageUrls } | null;
};

/** The API's shape; image URLs are absolute (from PUBLIC_BASE_URL) and need the same API key. */
export function paymentInstructionsJson(
  config: Pick<Config, "publicBaseUrl">,
  invoiceId: string,
  instructions: PaymentInstructions,
): PaymentInstructionsJson {
  const urls = (kind: QrKind): ImageUrls => ({
    svg: publicUrl(config, `/api/v1/invoices/${invoiceId}/qr/${kind}.svg`),
    png: publicUrl(config, `/api/v1/invoices/${invoiceId}/qr/${kind}.png`),
  });
  const { swish, uqr, epc } = instructions;
  return {
    invoice_id: invoiceId,
    currency: instructions.currency,
    amount_due: instructions.amountDue,
    due_date: instructions.dueDate,
    bank_accounts: { bankgiro: instructions.bankgiro, plusgiro: instructions.plusgiro, iban: instructions.iban, bic: instructions.bic },
    ocr: instructions.ocr,
    rf: instructions.rf,
    rf_printed: instructions.rfPrinted,
    swish: swish && { number: swish.number, payload: swish.payload, image_urls: urls("swish") },
    invoice_qr: uqr && { payload: uqr.payload, payment_type: uqr.paymentType, image_urls: urls("uqr") },
    epc_qr: epc && { payload: epc.payload, image_urls: urls("epc") },
  };
}

/** Phones get Swish first and an "Open Swish" link; the Swish app exists only on iOS and Android. */
export function isPhone(userAgent: string): boolean {
  return /\b(iPhone|iPod|Android)\b/i.test(userAgent);
}

// The payer's portal page: resolve the signed link, load what the page shows, record the view.
// A GET does nothing else (security L3): mail scanners pre-fetch links, so a view is only ever an
// event, flagged as possibly automated.
import { isbot } from "isbot";
import type { Db } from "../../../db/client";
import type { Config } from "~/platform/config.server";
import { isSupportedCurrency, type CurrencyCode } from "~/domain/money";
import { invoiceStatus, todayIn, type InvoiceStatus } from "~/domain/invoice-status";
import { groupVatByRate, type VatGroup } from "~/domain/vat-groups";
import { negotiateLocale, type Locale } from "~/i18n";
import { appendViewEvent } from "~/platform/audit/db/events.server";
import { findPortalInvoiceByLink, type PortalLineRow } from "~/features/portal/db/portal.server";
import type { PayerViewRow } from "~/features/portal/db/payer-invoices.server";
import { checkInvoiceLink, verifyInvoiceToken, type LinkRejection } from "~/features/links/links.server";
import { buildPaymentInstructions, isPhone, type PaymentInstructions } from "~/features/payments/payment-instructions.server";
import { portalPayments, type PortalPayments } from "~/features/portal/portal-payments.server";
import { publishWebhookEvent } from "~/features/webhooks/webhooks.server";

export type PortalLine = PortalLineRow;


/** Everything the page renders, as plain JSON (no Dates), so server and browser render alike. */
export type PortalPage = {
  locale: Locale;
  supplier: {
    name: string;
    orgNumber: string | null;
    vatNumber: string | null;
    /** Only https URLs: the CSP allows no other remote images. */
    logoUrl: string | null;
    /** "#rrggbb" or null. */
    brandColor: string | null;
    /** Whom the payer may ask about the invoice (the supplier's public contact), if set. */
    contactEmail?: string | null;
    contactPhone?: string | null;
  };
  customer: {
    name: string;
    /** When the customer last confirmed its billing contacts (a campaign's answer), in the supplier's time zone. */
    contactsConfirmedOn?: string | null;
  };
  invoice: {
    number: string;
    currency: CurrencyCode;
    issueDate: string;
    dueDate: string;
    totalNet: number;
    totalVat: number;
    rounding: number;
    total: number;
    amountPaid: number;
    amountDue: number;
    ocr: string;
  };
  lines: PortalLine[];
  vatGroups: VatGroup[];
  status: InvoiceStatus;
  payment: { bankgiro: string | null; plusgiro: string | null; iban: string | null; bic: string | null };
  /** References and QR payloads, computed from the rows above (no query of their own). */
  instructions?: PaymentInstructions;
  /** The visitor's device runs the Swish app (iOS or Android): Swish comes first, with an "Open Swish" link. */
  phone?: boolean;
  /** Ways to pay offered, receipts, a checkout in progress or failed, "I have paid". */
  pay?: PortalPayments;
};

export type PortalRequest = {
  token: string;
  request: Request;
  ip: string;
  userAgent: string;
  now?: Date;
};

export type PortalResult =
  | { ok: true; page: PortalPage; view: PayerViewRow; linkId: string }
  | { ok: false; reason: LinkRejection };

/**
 * True when the fetch is probably not a person: HEAD, a known bot or link scanner, or a request
 * without the hints every browser navigation carries (Sec-Fetch-Mode: navigate or an HTML Accept).
 */
export function isAutomatedView(request: Request, userAgent: string): boolean {
  if (request.method === "HEAD") return true;
  if (userAgent.trim() === "" || isbot(userAgent)) return true;
  const navigates = request.headers.get("sec-fetch-mode") === "navigate";
  const wantsHtml = (request.headers.get("accept") ?? "").toLowerCase().includes("text/html");
  return !navigates && !wantsHtml;
}

const HEX_COLOR = /^#[0-9a-f]{6}$/i;

/** A brand colour as "#rrggbb", or null for anything else (it never reaches the page as is). */
export function hexColor(value: string | null): string | null {
  return value !== null && HEX_COLOR.test(value) ? value : null;
}

/** A supplier's logo URL when it is https (the CSP allows no other remote images), else null. */
export function httpsUrl(value: string | null): string | null {
  if (value === null) return null;
  try {
    return new URL(value).protocol === "https:" ? value : null;
  } catch {
    return null;
  }
}

/**
 * Verifies the token's signature (no query for a forged one), then loads link state, invoice,
 * lines, supplier and customer in one query; only when the link is still valid does it append
 * the view event. Two round trips per view.
 */
export async function loadPortalPage(
  db: Db,
  config: Pick<Config, "linkKeys" | "linkGraceDays">,
  input: PortalRequest,
): Promise<PortalResult> {
  const now = input.now ?? new Date();
  const verified = verifyInvoiceToken(config, input.token, now);
  if (!verified.ok) return verified;
  const row = await findPortalInvoiceByLink(db, verified.idHash);
  const checked = checkInvoiceLink(row?.link, verified.version, config, now);
  if (!checked.ok) return checked;
  if (!row) return { ok: false, reason: "unknown" };
  const { link } = checked;
  const { invoice, supplier, customer } = row;
  if (!isSupportedCurrency(invoice.currency)) {
    throw new Error(`Invoice ${invoice.id} has unsupported currency ${invoice.currency}`);
  }

  const status = invoiceStatus({
    dueDate: invoice.dueDate,
    today: todayIn(supplier.timeZone, now),
    total: invoice.total,
    amountPaid: invoice.amountPaid,
    cancelledAt: invoice.cancelledAt,
    disputed: invoice.disputed,
  });
  const { lines } = row;
  const instructions = buildPaymentInstructions({ invoice, supplier });
  const phone = isPhone(input.userAgent);
  const query = new URL(input.request.url).searchParams;
  const amountDue = invoice.cancelledAt === null ? Math.max(invoice.total - invoice.amountPaid, 0) : 0;
  const pay = portalPayments({
    amountDue,
    currency: invoice.currency,
    cancelled: status.kind === "cancelled",
    settled: status.kind === "paid" || status.kind === "overpaid",
    paymentOptions: supplier.paymentOptions,
    accountMethods: row.accountMethods,
    hasBankDetails: supplier.bankgiro !== null || supplier.plusgiro !== null || supplier.iban !== null,
    swish: instructions.swish,
    payments: row.payments,
    latestReport: row.latestPaymentReport,
    reportedUntil: invoice.paymentReportedUntil,
    timeZone: supplier.timeZone,
    phone,
    checkoutId: query.get("checkout"),
    checkoutCancelled: query.get("cancelled") === "1",
    now,
  });
  const page: PortalPage = {
    locale: negotiateLocale(input.request, customer.language, supplier.language),
    supplier: {
      name: supplier.name,
      orgNumber: supplier.orgNumber,
      vatNumber: supplier.vatNumber,
      logoUrl: httpsUrl(supplier.logoUrl),
      brandColor: hexColor(supplier.brandColor),
      contactEmail: supplier.contactEmail,
      contactPhone: supplier.contactPhone,
    },
    customer: {
      name: customer.name,
      contactsConfirmedOn: customer.contactsConfirmedAt ? todayIn(supplier.timeZone, customer.contactsConfirmedAt) : null,
    },
    invoice: {
      number: invoice.number,
      currency: invoice.currency,
      issueDate: invoice.issueDate,
      dueDate: invoice.dueDate,
      totalNet: invoice.totalNet,
      totalVat: invoice.totalVat,
      rounding: invoice.rounding,
      total: invoice.total,
      amountPaid: invoice.amountPaid,
      amountDue,
      ocr: invoice.ocr,
    },
    lines,
    vatGroups: groupVatByRate(lines),
    status,
    payment: { bankgiro: supplier.bankgiro, plusgiro: supplier.plusgiro, iban: supplier.iban, bic: supplier.bic },
    instructions,
    phone,
    pay,
  };

  const automated = isAutomatedView(input.request, input.userAgent);
  await appendViewEvent(db, {
    supplierId: link.supplierId,
    invoiceId: link.invoiceId,
    customerId: customer.id,
    type: "invoice.viewed",
    actor: "payer",
    actorId: link.linkId,
    ip: input.ip || null,
    userAgent: input.userAgent || null,
    data: { link_id: link.linkId, automated },
  });
  // The supplier hears when a person first opens the invoice (the panel holds the first human
  // view, if any); mail scanners' fetches and later views are only in the audit log.
  if (!automated && !row.panel.events.some((event) => event.type === "invoice.viewed")) {
    await publishWebhookEvent(db, {
      supplierId: link.supplierId,
      type: "invoice.viewed",
      payload: { invoice: { id: invoice.id, number: invoice.number, customer_id: customer.id }, link_id: link.linkId, viewed_at: now.toISOString() },
    });
  }
  return { ok: true, page, view: { timeZone: supplier.timeZone, ...row.panel }, linkId: link.linkId };
}

// "Add the due date to my calendar": /i/<token>/due-date.ics, one all-day event on the due date
// in the page's language. It names the printed pay link (/p/<code>) when the supplier has one for
// the invoice, never the portal token: a calendar is synced, shared and kept for years.
import type { DbOrTx } from "../../../db/client";
import type { Config } from "~/platform/config.server";
import { allDayCalendar } from "~/domain/icalendar";
import { isSupportedCurrency } from "~/domain/money";
import { negotiateLocale, t } from "~/i18n";
import { formatAmount, formatDate, intlLocale } from "~/i18n/format";
import { findInvoiceDocument } from "~/features/invoices/db/invoice-document.server";
import { findInvoicePayCode } from "~/features/links/db/pay-links.server";
import { fileNamePart } from "~/features/invoices/pdf/invoice-pdf.server";
import { resolveInvoiceToken, type LinkRejection } from "~/features/links/links.server";
import { existingPayLinkUrl } from "~/features/links/pay-links.server";

export type DueDateCalendar = { filename: string; content: string };

export type DueDateCalendarResult = { ok: true; calendar: DueDateCalendar } | { ok: false; reason: LinkRejection | "unknown" };

/** The link's checks as for the invoice PDF (the signature before any query); records nothing (L3). */
export async function dueDateCalendarForToken(
  db: DbOrTx,
  config: Pick<Config, "linkKeys" | "linkGraceDays" | "publicBaseUrl">,
  input: { token: string; request: Request; now?: Date },
): Promise<DueDateCalendarResult> {
  const now = input.now ?? new Date();
  const resolved = await resolveInvoiceToken(db, config, input.token, now);
  if (!resolved.ok) return resolved;
  const [document, payCode] = await Promise.all([findInvoiceDocument(db, resolved.link), findInvoicePayCode(db, resolved.link)]);
  if (!document || !payCode) return { ok: false, reason: "unknown" };
  const { invoice, supplier } = document;
  if (!isSupportedCurrency(invoice.currency)) throw new Error(`unsupported currency ${invoice.currency}`);
  const locale = negotiateLocale(input.request, document.customer.language, supplier.language);
  const due = invoice.total - invoice.amountPaid;
  const amount = formatAmount(due > 0 ? due : invoice.total, invoice.currency, locale);
  const facts = { number: invoice.number, supplier: supplier.name, amount, date: formatDate(invoice.dueDate, locale) };
  const payUrl = existingPayLinkUrl(config, { ...payCode, id: invoice.id });
  const description = [t(locale, "calendar.description", facts), ...(payUrl ? [t(locale, "calendar.payAt", { url: payUrl })] : [])].join("\n");
  const content = allDayCalendar({
    uid: `${invoice.id}-due@${config.publicBaseUrl.hostname}`,
    date: invoice.dueDate,
    summary: t(locale, "calendar.summary", facts),
    description,
    url: payUrl,
    language: intlLocale(locale),
    now,
  });
  const stem = fileNamePart(invoice.number);
  return { ok: true, calendar: { filename: `${t(locale, "calendar.filename")}${stem === "" ? "" : `-${stem}`}.ics`, content } };
}

/** A download, never cached (it names an invoice behind a link). */
export function dueDateCalendarResponse(calendar: DueDateCalendar): Response {
  return new Response(calendar.content, {
    status: 200,
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": `attachment; filename="${calendar.filename}"`,
      "Cache-Control": "private, no-store",
    },
  });
}

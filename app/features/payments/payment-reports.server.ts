// "I have paid" (intent report-payment): the payer says when, how much and how it paid by bank
// transfer or Swish QR. Recorded, announced to the supplier (event, webhook, email) and
// acknowledged to the billing contacts, and the invoice's reminders pause for the supplier's
// configured days; the amount paid stays as it was until the money itself arrives. A bank payment
// waiting in the queue of unapplied payments that fits the report is proposed for the invoice.
import { z } from "zod";
import { parseAmountInput } from "~/domain/amount-input";
import { daysBetween, todayIn } from "~/domain/invoice-status";
import { isSupportedCurrency } from "~/domain/money";
import { REPORTED_METHODS } from "~/domain/payment-methods";
import { newPublicId } from "~/domain/public-id";
import { appendEvent } from "~/platform/audit/db/events.server";
import { listBillingContacts } from "~/features/customers/db/contacts.server";
import { insertPaymentReport, pauseRemindersUntil, type PaymentReportRow } from "~/features/payments/db/payment-reports.server";
import { queueEmail } from "~/features/emails/email.server";
import { openInboxItem } from "~/features/inbox/open-inbox-item.server";
import { publishWebhookEvent } from "~/features/webhooks/webhooks.server";
import { proposeQueuedPaymentsFor } from "~/features/bank-files/unapplied-proposals.server";
import {
  formObject, invoiceState, parseWith, payerAudit, type FieldErrors, type PayerActionContext, type PayerHandler,
} from "~/features/portal/payer-forms.server";

const DAY_MS = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const AMOUNT_SHAPE = /^\d[\d\s.,'\u00a0\u202f]*(\s*(kr|sek|eur|€|:-))?$/i;

const schema = z.object({
  paid_on: z
    .string()
    .trim()
    .min(1, "actions.error.required")
    .refine((value) => DATE.test(value) && isCalendarDate(value), "payments.report.error.date"),
  // The shape here (digits, separators, a currency word), so that every field is named at once;
  // the exact value against the invoice's currency and amount due in apply().
  amount: z
    .string()
    .trim()
    .min(1, "actions.error.required")
    .max(40, "payments.report.error.amount")
    .regex(AMOUNT_SHAPE, "payments.report.error.amount"),
  method: z.enum(REPORTED_METHODS, { errorMap: () => ({ message: "payments.report.error.method" }) }),
});

function isCalendarDate(value: string): boolean {
  try {
    daysBetween(value, value);
    return true;
  } catch {
    return false;
  }
}

type ReportInput = z.output<typeof schema>;

/** Field errors that depend on the invoice: the date's range and the amount. */
function checkAgainstInvoice(context: PayerActionContext, value: ReportInput) {
  const { invoice, supplier } = context.invoice;
  const errors: FieldErrors = {};
  const today = todayIn(supplier.timeZone, context.now);
  if (daysBetween(today, value.paid_on) > 0) errors.paid_on = "payments.report.error.future";
  else if (daysBetween(invoice.issueDate, value.paid_on) < 0) errors.paid_on = "payments.report.error.beforeIssue";

  const amountDue = Math.max(invoice.total - invoice.amountPaid, 0);
  const amount = isSupportedCurrency(invoice.currency) ? parseAmountInput(value.amount, invoice.currency) : null;
  // Some room above the amount due: fees or interest the payer added are still a payment of it.
  const ceiling = amountDue + Math.ceil(amountDue / 10);
  if (amount === null) errors.amount = "payments.report.error.amount";
  else if (amount <= 0) errors.amount = "payments.report.error.zero";
  else if (amount > ceiling) errors.amount = "payments.report.error.tooMuch";
  return { errors, amount: amount ?? 0 };
}

export const reportPayment: PayerHandler<ReportInput> = {
  formKey: () => "report-payment",
  parse: (fields) => parseWith(schema, formObject(fields, ["paid_on", "amount", "method"])),
  async apply(context, value) {
    const { tx, now } = context;
    const state = invoiceState(context);
    if (state.cancelled) return { status: 409, formError: "actions.error.cancelled" };
    if (state.settled) return { status: 409, formError: "actions.error.settled" };
    const checked = checkAgainstInvoice(context, value);
    if (Object.keys(checked.errors).length > 0) return { status: 422, errors: checked.errors };

    const { invoice, supplier } = context.invoice;
    const report = await insertPaymentReport(tx, {
      id: newPublicId("prp"),
      supplierId: invoice.supplierId,
      invoiceId: invoice.id,
      paidOn: value.paid_on,
      amount: checked.amount,
      currency: invoice.currency,
      method: value.method,
      createdAt: now,
    });
    await openInboxItem(tx, {
      supplierId: invoice.supplierId, kind: "payment_report", sourceId: report.id, invoiceId: invoice.id, customerId: context.invoice.customer.id, openedAt: now,
    });
    const pausedUntil = new Date(now.getTime() + supplier.paymentReportPauseDays * DAY_MS);
    await pauseRemindersUntil(tx, invoice.id, pausedUntil, now);
    await announceReport(context, report, pausedUntil);
    // A bank payment already waiting in the queue may be this one: proposed, never booked by itself.
    await proposeQueuedPaymentsFor(tx, { supplierId: invoice.supplierId, reportId: report.id, now });
    return undefined;
  },
};

async function announceReport(context: PayerActionContext, report: PaymentReportRow, pausedUntil: Date): Promise<void> {
  const { tx, now } = context;
  const { invoice, supplier, customer } = context.invoice;
  const reportJson = {
    id: report.id,
    invoice_id: invoice.id,
    paid_on: report.paidOn,
    amount: report.amount,
    currency: report.currency,
    method: report.method,
    created_at: now.toISOString(),
  };
  await appendEvent(tx, {
    ...payerAudit(context),
    type: "payment.reported",
    data: { link_id: context.link.linkId, report_id: report.id, paid_on: report.paidOn, amount: report.amount, currency: report.currency, method: report.method, paused_until: pausedUntil.toISOString() },
  });
  await publishWebhookEvent(tx, {
    supplierId: invoice.supplierId,
    type: "payment.reported",
    payload: {
      payment_report: reportJson,
      invoice: { id: invoice.id, number: invoice.number, customer_id: customer.id },
      reminders_paused_until: pausedUntil.toISOString(),
    },
  });
  const common = { amount: report.amount, currency: report.currency, method: report.method, paidOn: report.paidOn, pausedUntil: pausedUntil.toISOString() };
  // The payer gave no address: the acknowledgement goes to the billing contacts on file.
  for (const contact of await listBillingContacts(tx, invoice.supplierId, customer.id)) {
    if (!contact.email) continue;
    await queueEmail(tx, {
      supplierId: invoice.supplierId,
      invoiceId: invoice.id,
      customerId: customer.id,
      template: "payment-reported",
      locale: contact.language ?? context.locale,
      to: contact.email,
      idempotencyKey: `payment-report:${report.id}:${contact.id}`,
      props: { invoiceNumber: invoice.number, supplierName: supplier.name, ...common },
    });
  }
  if (supplier.notificationEmail) {
    await queueEmail(tx, {
      supplierId: invoice.supplierId,
      invoiceId: invoice.id,
      customerId: customer.id,
      template: "payment-reported-supplier",
      locale: supplier.language,
      to: supplier.notificationEmail,
      idempotencyKey: `payment-report:${report.id}:supplier`,
      props: {
        invoiceNumber: invoice.number,
        invoiceId: invoice.id,
        customerName: customer.name,
        reportId: report.id,
        reportedAt: now.toISOString(),
        ...common,
      },
    });
  }
}

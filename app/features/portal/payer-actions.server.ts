// The payer's actions on the portal page (security L3, L4): every one a POST with an intent,
// refused when cross-site, validated with errors that name the field, and idempotent under
// double submit through a one-time submission id claimed in the action's own transaction.
import { z } from "zod";
import type { Db } from "../../../db/client";
import type { Config } from "~/platform/config.server";
import { invoiceContentHash } from "~/domain/invoice-content-hash";
import { negotiateLocale } from "~/i18n";
import { appendEvent } from "~/platform/audit/db/events.server";
import { hasOpenDispute } from "~/features/invoices/db/disputes.server";
import { lockInvoiceForPayer, recordConfirmation, type LockedInvoice } from "~/features/portal/db/payer-invoices.server";
import { addContact, updateContact } from "~/features/customers/contacts.server";
import { approveDelivery } from "~/features/invoices/deliveries.server";
import { reportDeliveryProblem, reportProblem } from "~/features/invoices/disputes.server";
import { queueEmail } from "~/features/emails/email.server";
import { resolveInvoiceToken } from "~/features/links/links.server";
import { reportPayment } from "~/features/payments/payment-reports.server";
import { publishWebhookEvent } from "~/features/webhooks/webhooks.server";
import { runFormAction, type PayerActionResult } from "~/platform/forms/form-action.server";
import {
  formObject, invoiceState, optionalText, parseWith, payerAudit, type PayerActionContext, type PayerHandler,
} from "~/features/portal/payer-forms.server";

export const PAYER_INTENTS = [
  "confirm", "report-problem", "approve-delivery", "report-delivery-problem", "update-contact", "add-contact",
  "report-payment",
] as const;
export type PayerIntent = (typeof PAYER_INTENTS)[number];

export function isPayerIntent(value: unknown): value is PayerIntent {
  return typeof value === "string" && (PAYER_INTENTS as readonly string[]).includes(value);
}

/**
 * True for a POST a browser sent from another site (security L4). Sec-Fetch-Site, set by the
 * browser and unforgeable by pages, decides when present. Origin is checked against the public
 * base URL, except "null": browsers send that on our own same-origin POSTs because the portal
 * uses Referrer-Policy: no-referrer, so it passes only when Sec-Fetch-Site vouches for it.
 */
export function isCrossSite(header: (name: string) => string | null | undefined, publicOrigin: string): boolean {
  const site = header("sec-fetch-site") ?? null;
  if (site !== null && site !== "same-origin" && site !== "none") return true;
  const origin = header("origin") ?? null;
  if (origin === null || origin === publicOrigin) return false;
  return !(origin === "null" && site === "same-origin");
}

export function isCrossSiteRequest(request: Request, config: Pick<Config, "publicBaseUrl">): boolean {
  return isCrossSite((name) => request.headers.get(name), config.publicBaseUrl.origin);
}

/** What a link page's action (this page's, the campaign page's) gets from its route. */
export type LinkActionInput = { token: string; request: Request; ip: string; userAgent: string; now?: Date };

/**
 * The steps before a link page's form action: a cross-site POST is refused before anything else,
 * so it learns nothing, not even whether the link works; then the token must resolve (every
 * failure alike is not_found), and the action runs with its link.
 */
export async function runLinkAction<Link>(
  services: { db: Db; config: Config },
  input: LinkActionInput,
  resolve: (db: Db, config: Config, token: string, now: Date) => Promise<{ ok: true; link: Link } | { ok: false }>,
  action: (link: Link, now: Date) => Promise<PayerActionResult>,
): Promise<PayerActionResult> {
  const { db, config } = services;
  if (isCrossSiteRequest(input.request, config)) return { kind: "forbidden" };
  const now = input.now ?? new Date();
  const resolved = await resolve(db, config, input.token, now);
  if (!resolved.ok) return { kind: "not_found" };
  return action(resolved.link, now);
}

// ---- Confirm ----

function contentOf(locked: LockedInvoice) {
  return invoiceContentHash({ ...locked.invoice, lines: locked.lines });
}

const confirmSchema = z.object({
  name: optionalText(200),
  reference: optionalText(100),
  cost_centre: optionalText(100),
  content_hash: z.string().trim().max(100, "actions.error.changed"),
});

const confirm: PayerHandler<z.output<typeof confirmSchema>> = {
  formKey: () => "confirm",
  parse: (fields) => parseWith(confirmSchema, formObject(fields, ["name", "reference", "cost_centre", "content_hash"])),
  async apply(context, value) {
    const { tx, now } = context;
    const { invoice, supplier, customer } = context.invoice;
    const state = invoiceState(context);
    if (state.cancelled) return { status: 409, formError: "actions.error.cancelled" };
    if (state.settled) return { status: 409, formError: "actions.error.settled" };
    if (invoice.confirmedAt) return { status: 409, formError: "actions.error.alreadyConfirmed" };
    if (await hasOpenDispute(tx, { invoiceId: invoice.id, kind: "invoice" })) {
      return { status: 409, formError: "actions.error.disputeOpen" };
    }
    // The hash the page was rendered with: a confirmation is of what the payer saw, not of what
    // the invoice became since.
    const contentHash = contentOf(context.invoice);
    if (value.content_hash !== "" && value.content_hash !== contentHash) return { status: 409, formError: "actions.error.changed" };

    await recordConfirmation(tx, invoice.id, {
      at: now, by: value.name, reference: value.reference, costCentre: value.cost_centre, contentHash,
    });
    await appendEvent(tx, {
      ...payerAudit(context),
      type: "invoice.confirmed",
      data: {
        link_id: context.link.linkId,
        confirmed_by: value.name,
        reference: value.reference,
        cost_centre: value.cost_centre,
        content_hash: contentHash,
      },
    });
    if (supplier.notificationEmail) {
      await queueEmail(tx, {
        supplierId: invoice.supplierId,
        invoiceId: invoice.id,
        customerId: customer.id,
        template: "invoice-confirmed",
        locale: supplier.language,
        to: supplier.notificationEmail,
        // An invoice is confirmed once, so one message per invoice.
        idempotencyKey: `confirm:${invoice.id}:supplier`,
        props: {
          invoiceNumber: invoice.number,
          invoiceId: invoice.id,
          customerName: customer.name,
          confirmedBy: value.name,
          reference: value.reference,
          costCentre: value.cost_centre,
          confirmedAt: now.toISOString(),
        },
      });
    }
    await publishWebhookEvent(tx, {
      supplierId: invoice.supplierId,
      type: "invoice.confirmed",
      payload: {
        invoice: { id: invoice.id, number: invoice.number, customer_id: customer.id },
        confirmed_at: now.toISOString(),
        confirmed_by: value.name,
        reference: value.reference,
        cost_centre: value.cost_centre,
        content_hash: contentHash,
      },
    });
    return undefined;
  },
};

// ---- Dispatch ----

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each handler has its own value type
const HANDLERS: Record<PayerIntent, PayerHandler<any>> = {
  confirm,
  "report-problem": reportProblem,
  "approve-delivery": approveDelivery,
  "report-delivery-problem": reportDeliveryProblem,
  "update-contact": updateContact,
  "add-contact": addContact,
  "report-payment": reportPayment,
};

export async function performPayerAction(
  services: { db: Db; config: Config },
  input: LinkActionInput,
): Promise<PayerActionResult> {
  const { db, config } = services;
  const { token, request } = input;
  return runLinkAction(services, input, resolveInvoiceToken, (link, now) =>
    runFormAction(db, {
      request,
      pagePath: `/i/${token}`,
      isIntent: isPayerIntent,
      handlers: HANDLERS,
      tooLarge: { errors: { attachment: "actions.error.fileTooLarge" } },
      invoiceId: link.invoiceId,
      context: async (tx, submissionId): Promise<PayerActionContext> => {
        const invoice = await lockInvoiceForPayer(tx, link);
        if (!invoice) throw new Error(`invoice ${link.invoiceId} of a valid link is missing`);
        return {
          tx,
          config,
          now,
          locale: negotiateLocale(request, invoice.customer.language, invoice.supplier.language),
          link,
          invoice,
          origin: { ip: input.ip || null, userAgent: input.userAgent || null },
          submissionId,
        };
      },
    }),
  );
}

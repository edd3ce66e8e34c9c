// Problems the payer reports (with the invoice, or with one delivery) and the supplier's answer
// through the API. Each change, its audit event, its emails and its webhook event commit in one
// transaction (security J1); the invoice's `disputed` fact follows the open disputes.
import { z } from "zod";
import { limitParam } from "~/api/query-schemas";
import type { Db } from "../../../db/client";
import type { Config } from "~/platform/config.server";
import { multiLine } from "~/api/text";
import { isPublicId } from "~/domain/public-id";
import { appendEvent } from "~/platform/audit/db/events.server";
import { insertAttachment } from "~/features/invoices/db/attachments.server";
import { listBillingContacts } from "~/features/customers/db/contacts.server";
import { decideDelivery, findDeliveryForUpdate, refreshInvoiceDeliveryStatus, type DeliveryRow } from "~/features/invoices/db/deliveries.server";
import {
  findDispute, findDisputeForUpdate, hasOpenDispute, insertDispute, listSupplierDisputes, refreshInvoiceDisputed,
  resolveDispute, type DisputeRow, type DisputeStatus, type DisputeWithAttachment,
} from "~/features/invoices/db/disputes.server";
import { findInvoiceForLink, lockInvoiceForPayer } from "~/features/portal/db/payer-invoices.server";
import { queueEmail } from "~/features/emails/email.server";
import { issueInvoiceLink } from "~/features/links/links.server";
import { publishWebhookEvent } from "~/features/webhooks/webhooks.server";
import { nextCursor, parseListQuery } from "~/api/cursor";
import { runIdempotent } from "~/api/idempotency.server";
import { deliveryJson } from "~/features/invoices/deliveries.server";
import {
  combine, describeLines, formObject, invoiceState, linePositions, one, optionalEmail, optionalText, parseAttachment,
  parseWith, payerAudit, unknownLines, type Attachment, type PayerActionContext, type PayerHandler,
} from "~/features/portal/payer-forms.server";
import { conflict, fieldErrors, invalid, type ProblemBody, ProblemError } from "~/api/problem.server";

export const INVOICE_PROBLEM_REASONS = [
  "wrong_amount", "wrong_quantity", "wrong_reference", "wrong_recipient", "not_ordered", "already_paid", "other",
] as const;
export const DELIVERY_PROBLEM_REASONS = ["not_received", "incomplete", "damaged", "wrong_item", "late", "quality"] as const;

export type DisputeJson = {
  id: string;
  invoice_id: string;
  kind: "invoice" | "delivery";
  delivery_id: string | null;
  reason: string;
  message: string | null;
  lines: number[] | null;
  attachment: { id: string; filename: string; content_type: string; size: number } | null;
  reporter: { name: string | null; email: string | null };
  status: DisputeStatus;
  resolution: Record<string, unknown> | null;
  created_at: string;
  resolved_at: string | null;
};

export function disputeJson(row: DisputeRow, attachment: DisputeWithAttachment["attachment"] = null): DisputeJson {
  return {
    id: row.id,
    invoice_id: row.invoiceId,
    kind: row.kind,
    delivery_id: row.deliveryId,
    reason: row.reason,
    message: row.message,
    lines: row.linePositions,
    attachment: attachment
      ? { id: attachment.id, filename: attachment.filename, content_type: attachment.contentType, size: attachment.size }
      : null,
    reporter: { name: row.reporterName, email: row.reporterEmail },
    status: row.status,
    resolution: row.resolution,
    created_at: row.createdAt.toISOString(),
    resolved_at: row.resolvedAt?.toISOString() ?? null,
  };
}

// ---- The payer reports a problem (portal forms) ----

type Report = {
  reason: string;
  message: string | null;
  name: string | null;
  email: string | null;
  lines: number[];
  attachment: Attachment | null;
};

function reportSchema(reasons: readonly [string, ...string[]]) {
  return z
    .object({
      reason: z.enum(reasons as [string, ...string[]], { errorMap: () => ({ message: "actions.error.reason" }) }),
      message: optionalText(4000, "multi"),
      name: optionalText(200),
      email: optionalEmail,
      lines: linePositions,
    })
    .superRefine((value, ctx) => {
      // "Other" says nothing by itself: the supplier needs the payer's words.
      if (value.reason === "other" && value.message === null) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["message"], message: "actions.error.required" });
      }
    });
}

const REPORT_FIELDS = ["reason", "message", "name", "email"] as const;

async function parseReport(fields: Map<string, string[]>, file: File | null, reasons: readonly [string, ...string[]]) {
  const parsed = combine(
    parseWith(reportSchema(reasons), formObject(fields, REPORT_FIELDS, ["lines"])),
    await parseAttachment(file),
  );
  if (!parsed.ok) return parsed;
  const [report, attachment] = parsed.value;
  return { ok: true as const, value: { ...report, attachment } satisfies Report };
}

async function recordReport(
  context: PayerActionContext,
  report: Report,
  delivery: DeliveryRow | null,
): Promise<DisputeRow> {
  const { tx, now } = context;
  const { invoice, supplier, customer } = context.invoice;
  const attachment = report.attachment
    ? await insertAttachment(tx, { supplierId: invoice.supplierId, invoiceId: invoice.id, ...report.attachment })
    : null;
  const dispute = await insertDispute(
    tx,
    {
      supplierId: invoice.supplierId,
      invoiceId: invoice.id,
      kind: delivery ? "delivery" : "invoice",
      deliveryId: delivery?.id ?? null,
      reason: report.reason,
      message: report.message,
      linePositions: report.lines.length > 0 ? report.lines : null,
      attachmentId: attachment?.id ?? null,
      reporterName: report.name,
      reporterEmail: report.email,
    },
    now,
  );
  const decided = delivery ? await decideDelivery(tx, delivery.id, "problem", now) : null;
  const disputed = await refreshInvoiceDisputed(tx, invoice.id);
  const deliveryStatus = delivery ? await refreshInvoiceDeliveryStatus(tx, invoice.id) : invoice.deliveryStatus;

  await appendEvent(tx, {
    ...payerAudit(context),
    type: delivery ? "delivery.disputed" : "invoice.disputed",
    data: {
      link_id: context.link.linkId,
      dispute_id: dispute.id,
      kind: dispute.kind,
      delivery_id: delivery?.id ?? null,
      description: delivery?.description ?? null,
      reason: dispute.reason,
      lines: dispute.linePositions,
      message: dispute.message,
      attachment: attachment ? { id: attachment.id, filename: attachment.filename, sha256: attachment.sha256, size: attachment.size } : null,
      reporter_name: dispute.reporterName,
      reporter_email: dispute.reporterEmail,
    },
  });

  const common = {
    supplierId: invoice.supplierId,
    invoiceId: invoice.id,
    customerId: customer.id,
  };
  if (supplier.notificationEmail) {
    await queueEmail(tx, {
      ...common,
      template: "new-problem",
      locale: supplier.language,
      to: supplier.notificationEmail,
      idempotencyKey: `dispute:${dispute.id}:supplier`,
      props: {
        invoiceNumber: invoice.number,
        invoiceId: invoice.id,
        disputeId: dispute.id,
        customerName: customer.name,
        kind: dispute.kind,
        reason: dispute.reason,
        deliveryDescription: delivery?.description ?? null,
        lines: describeLines(context.invoice, dispute.linePositions),
        message: dispute.message,
        reporterName: dispute.reporterName,
        reporterEmail: dispute.reporterEmail,
        reportedAt: now.toISOString(),
      },
    });
  }
  if (dispute.reporterEmail) {
    await queueEmail(tx, {
      ...common,
      template: "problem-received",
      locale: context.locale,
      to: dispute.reporterEmail,
      idempotencyKey: `dispute:${dispute.id}:payer`,
      props: {
        invoiceNumber: invoice.number,
        kind: dispute.kind,
        reason: dispute.reason,
        deliveryDescription: delivery?.description ?? null,
        message: dispute.message,
      },
    });
  }

  await publishWebhookEvent(tx, {
    supplierId: invoice.supplierId,
    type: delivery ? "delivery.disputed" : "invoice.disputed",
    payload: {
      invoice: { id: invoice.id, number: invoice.number, customer_id: customer.id, disputed, delivery_status: deliveryStatus },
      dispute: disputeJson(dispute, attachment),
      ...(decided ? { delivery: deliveryJson(decided) } : {}),
    },
  });
  return dispute;
}

export const reportProblem: PayerHandler<Report> = {
  formKey: () => "report-problem",
  parse: (fields, file) => parseReport(fields, file, INVOICE_PROBLEM_REASONS),
  async apply(context, report) {
    if (invoiceState(context).cancelled) return { status: 409, formError: "actions.error.cancelled" };
    if (unknownLines(context.invoice, report.lines).length > 0) return { status: 422, errors: { lines: "actions.error.lines" } };
    await recordReport(context, report, null);
    return undefined;
  },
};

export const reportDeliveryProblem: PayerHandler<Report & { deliveryId: string }> = {
  formKey: (fields) => `report-delivery-problem:${one(fields, "delivery_id")}`,
  async parse(fields, file) {
    const parsed = await parseReport(fields, file, DELIVERY_PROBLEM_REASONS);
    const deliveryId = one(fields, "delivery_id");
    if (!isPublicId("dlv", deliveryId)) return { ok: false, errors: { form: "actions.error.unknownDelivery" } };
    return parsed.ok ? { ok: true, value: { ...parsed.value, deliveryId } } : parsed;
  },
  async apply(context, report) {
    if (invoiceState(context).cancelled) return { status: 409, formError: "actions.error.cancelled" };
    const delivery = await findDeliveryForUpdate(context.tx, { ...context.link, deliveryId: report.deliveryId });
    if (!delivery) return { status: 422, formError: "actions.error.unknownDelivery" };
    if (await hasOpenDispute(context.tx, { deliveryId: delivery.id })) {
      return { status: 409, formError: "actions.error.deliveryProblemOpen" };
    }
    if (unknownLines(context.invoice, report.lines, delivery.linePositions).length > 0) {
      return { status: 422, errors: { lines: "actions.error.lines" } };
    }
    await recordReport(context, report, delivery);
    return undefined;
  },
};

// ---- The supplier answers (API) ----

export const resolveSchema = z
  .object(
    {
      status: z.enum(["accepted", "rejected"], { message: "status must be accepted or rejected" }),
      message: multiLine(z.string({ invalid_type_error: "message must be a string" }).trim().min(1, "message must not be empty").max(5000, "message must be at most 5000 characters"), "message").optional(),
      credit_note_reference: z
        .string({ invalid_type_error: "credit_note_reference must be a string" })
        .trim()
        .min(1, "credit_note_reference must not be empty")
        .max(100, "credit_note_reference must be at most 100 characters")
        .optional(),
      corrected_invoice_id: z
        .string({ invalid_type_error: "corrected_invoice_id must be a string" })
        .refine((value) => isPublicId("inv", value), "corrected_invoice_id must be an invoice id (inv_…)")
        .optional(),
    },
    { invalid_type_error: "the body must be a JSON object" },
  )
  .strict()
  .superRefine((value, ctx) => {
    const issue = (field: string, message: string) => ctx.addIssue({ code: z.ZodIssueCode.custom, path: [field], message });
    if (value.status === "accepted" && !value.credit_note_reference && !value.corrected_invoice_id) {
      issue("credit_note_reference", "an accepted dispute needs credit_note_reference or corrected_invoice_id");
    }
    if (value.status === "rejected") {
      if (!value.message) issue("message", "a rejection needs a message to the payer");
      if (value.credit_note_reference) issue("credit_note_reference", "only an accepted dispute has a credit note");
      if (value.corrected_invoice_id) issue("corrected_invoice_id", "only an accepted dispute has a corrected invoice");
    }
  });

export type ResolvedDisputeJson = DisputeJson & {
  corrected_invoice?: { id: string; number: string; portal_url: string };
};

type ApiCallerInfo = {
  supplierId: string;
  apiKeyId: string | null;
  ip?: string | null;
  userAgent?: string | null;
  /** Who answers when it is not an API key: the console's signed-in user. */
  actor?: { actor: "supplier" | "user"; actorId: string | null };
};

/**
 * Accepts (with a credit note reference or a corrected invoice: the payer's email is then about
 * that invoice) or rejects (with a message) an open dispute, tells the payer, and clears the
 * invoice's `disputed` fact when no open dispute is left.
 */
export async function resolveDisputeFromApi(
  db: Db,
  config: Config,
  params: ApiCallerInfo & { invoiceId: string; disputeId: string; input: unknown; idempotencyKey?: string; now?: Date },
): Promise<{ ok: true; dispute: ResolvedDisputeJson; replayed: boolean } | { ok: false; problem: ProblemBody }> {
  const parsed = resolveSchema.safeParse(params.input);
  if (!parsed.success) return { ok: false, problem: invalid(fieldErrors(parsed.error)) };
  const answer = parsed.data;
  const now = params.now ?? new Date();
  const by = params.actor ?? { actor: "supplier" as const, actorId: params.apiKeyId };
  const notFound: ProblemBody = { status: 404, title: "Not found", detail: "Dispute not found." };
  if (!isPublicId("inv", params.invoiceId) || !isPublicId("dsp", params.disputeId)) return { ok: false, problem: notFound };
  // A resolved dispute answers 409 to a repeat, so a retry after a lost answer would never learn
  // the outcome (nor the corrected invoice's link): with an Idempotency-Key it gets the first
  // answer again. That answer may hold a portal link, so it is stored sealed (security L1).
  const keyed = {
    supplierId: params.supplierId,
    key: params.idempotencyKey,
    route: `POST /api/v1/invoices/${params.invoiceId}/disputes/${params.disputeId}/resolve`,
    input: answer,
    sealWith: config.linkKeys,
  };
  try {
    const result = await db.transaction((tx) => runIdempotent(tx, keyed, async () => {
      const scope = { supplierId: params.supplierId, invoiceId: params.invoiceId };
      // The invoice first, as the payer's actions do, so the two never wait on each other in a cycle.
      const locked = await lockInvoiceForPayer(tx, scope);
      const dispute = locked && (await findDisputeForUpdate(tx, { ...scope, disputeId: params.disputeId }));
      if (!locked || !dispute) throw new ProblemError(notFound);
      if (dispute.status !== "open") throw new ProblemError(conflict("status", `The dispute was already ${dispute.status}.`));

      let corrected: ResolvedDisputeJson["corrected_invoice"];
      if (answer.corrected_invoice_id) {
        const target = await findInvoiceForLink(tx, params.supplierId, answer.corrected_invoice_id);
        const problem = !target
          ? "no invoice of yours has this id"
          : target.id === params.invoiceId
            ? "the corrected invoice must be another invoice than the disputed one"
            : target.cancelledAt
              ? "the corrected invoice is cancelled"
              : null;
        if (problem || !target) throw new ProblemError(invalid([{ field: "corrected_invoice_id", message: problem ?? "" }]));
        // Returned to the supplier once (only a hash is stored); the payer's email carries its own.
        const link = await issueInvoiceLink(tx, config, target, { ...by, reason: "created" }, now);
        corrected = { id: target.id, number: target.number, portal_url: link.url };
      }

      const resolution = {
        message: answer.message ?? null,
        credit_note_reference: answer.credit_note_reference ?? null,
        corrected_invoice_id: corrected?.id ?? null,
        corrected_invoice_number: corrected?.number ?? null,
      };
      const resolved = await resolveDispute(tx, dispute.id, { status: answer.status, resolution, resolvedAt: now });
      const disputed = await refreshInvoiceDisputed(tx, params.invoiceId);
      const { invoice, supplier, customer } = locked;
      await appendEvent(tx, {
        supplierId: params.supplierId,
        invoiceId: invoice.id,
        customerId: customer.id,
        type: "dispute.resolved",
        actor: by.actor,
        actorId: by.actorId,
        ip: params.ip ?? null,
        userAgent: params.userAgent ?? null,
        data: { dispute_id: dispute.id, kind: dispute.kind, delivery_id: dispute.deliveryId, status: answer.status, ...resolution },
      });

      // The reporter if they left an address, else the billing contacts on file.
      const contacts = await listBillingContacts(tx, params.supplierId, customer.id);
      const recipients = dispute.reporterEmail
        ? [dispute.reporterEmail]
        : contacts.map((contact) => contact.email).filter((email): email is string => Boolean(email));
      for (const to of new Set(recipients.map((address) => address.toLowerCase()))) {
        await queueEmail(tx, {
          supplierId: params.supplierId,
          // About the corrected invoice when there is one: its link and payment details are what the payer needs now.
          invoiceId: corrected?.id ?? invoice.id,
          customerId: customer.id,
          template: "dispute-answered",
          locale: customer.language ?? supplier.language,
          to,
          idempotencyKey: `dispute:${dispute.id}:answer:${to}`,
          props: {
            invoiceNumber: invoice.number,
            outcome: answer.status,
            message: resolution.message,
            creditNoteReference: resolution.credit_note_reference,
            correctedInvoiceNumber: corrected?.number ?? null,
          },
        });
      }

      const json = disputeJson(resolved);
      await publishWebhookEvent(tx, {
        supplierId: params.supplierId,
        type: "dispute.resolved",
        payload: { invoice: { id: invoice.id, number: invoice.number, customer_id: customer.id, disputed }, dispute: json },
      });
      const full = await findDispute(tx, params.supplierId, dispute.id);
      const body: ResolvedDisputeJson = { ...disputeJson(resolved, full?.attachment ?? null), ...(corrected ? { corrected_invoice: corrected } : {}) };
      return { status: 200, body };
    }));
    return result.ok ? { ok: true, dispute: result.body, replayed: result.replayed } : result;
  } catch (error) {
    if (error instanceof ProblemError) return { ok: false, problem: error.problem };
    throw error;
  }
}

const DISPUTE_STATUSES = ["open", "accepted", "rejected"] as const;

export const listQuerySchema = z
  .object({
    status: z.enum(DISPUTE_STATUSES, { message: `status must be one of ${DISPUTE_STATUSES.join(", ")}` }).optional(),
    invoice: z.string().refine((value) => isPublicId("inv", value), "invoice must be an invoice id (inv_…)").optional(),
    cursor: z.string().min(1).max(200, "cursor is not one this API returned").optional(),
    limit: limitParam.optional(),
  })
  .strict();

export async function listDisputes(
  db: Db,
  params: { supplierId: string; query: URLSearchParams },
): Promise<{ ok: true; page: { data: DisputeJson[]; next_cursor: string | null } } | { ok: false; problem: ProblemBody }> {
  const parsed = parseListQuery(listQuerySchema, params.query, "dsp");
  if (!parsed.ok) return parsed;
  const { query, after } = parsed;
  const { rows, hasMore } = await listSupplierDisputes(db, params.supplierId, {
    status: query.status,
    invoiceId: query.invoice,
    after,
    limit: query.limit ?? 50,
  });
  return { ok: true, page: { data: rows.map((row) => disputeJson(row, row.attachment)), next_cursor: nextCursor(rows, hasMore) } };
}

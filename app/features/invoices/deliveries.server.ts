// Deliveries: the supplier says what it delivered (API), the payer approves each one on the
// portal page (a problem with one is a dispute, see disputes.server.ts). The invoice's
// `delivery_status` fact is recomputed in the same transaction as every change.
import { z } from "zod";
import type { Db } from "../../../db/client";
import { calendarDate } from "~/features/invoices/api.schemas";
import { isPublicId } from "~/domain/public-id";
import { appendEvent } from "~/platform/audit/db/events.server";
import { invoiceExists } from "~/features/invoices/db/invoices.server";
import {
  decideDelivery, findDeliveryForUpdate, insertDeliveries, listInvoiceDeliveries, refreshInvoiceDeliveryStatus,
  type DeliveryRow,
} from "~/features/invoices/db/deliveries.server";
import { hasOpenDispute } from "~/features/invoices/db/disputes.server";
import { lockInvoiceForPayer } from "~/features/portal/db/payer-invoices.server";
import { publishWebhookEvent } from "~/features/webhooks/webhooks.server";
import { invoiceState, one, payerAudit, type PayerHandler } from "~/features/portal/payer-forms.server";
import { runIdempotent } from "~/api/idempotency.server";
import { conflict, fieldErrors, invalid, type ProblemBody, ProblemError } from "~/api/problem.server";

export type DeliveryJson = {
  id: string;
  invoice_id: string;
  description: string;
  delivered_on: string | null;
  location: string | null;
  lines: number[] | null;
  status: DeliveryRow["status"];
  decided_at: string | null;
  created_at: string;
};

export function deliveryJson(row: DeliveryRow): DeliveryJson {
  return {
    id: row.id,
    invoice_id: row.invoiceId,
    description: row.description,
    delivered_on: row.deliveredOn,
    location: row.location,
    lines: row.linePositions,
    status: row.status,
    decided_at: row.decidedAt?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
  };
}

// ---- The payer approves a delivery (portal form) ----

export const approveDelivery: PayerHandler<{ deliveryId: string }> = {
  formKey: (fields) => `approve-delivery:${one(fields, "delivery_id")}`,
  parse(fields) {
    const deliveryId = one(fields, "delivery_id");
    if (!isPublicId("dlv", deliveryId)) return { ok: false, errors: { form: "actions.error.unknownDelivery" } };
    return { ok: true, value: { deliveryId } };
  },
  async apply(context, { deliveryId }) {
    const { tx, now } = context;
    if (invoiceState(context).cancelled) return { status: 409, formError: "actions.error.cancelled" };
    const delivery = await findDeliveryForUpdate(tx, { ...context.link, deliveryId });
    if (!delivery) return { status: 422, formError: "actions.error.unknownDelivery" };
    if (delivery.status === "approved") return { status: 409, formError: "actions.error.deliveryApproved" };
    // The supplier answers an open problem first; approving meanwhile would contradict the report.
    if (await hasOpenDispute(tx, { deliveryId })) return { status: 409, formError: "actions.error.deliveryProblemOpen" };

    const approved = await decideDelivery(tx, deliveryId, "approved", now);
    const deliveryStatus = await refreshInvoiceDeliveryStatus(tx, delivery.invoiceId);
    const { invoice, customer } = context.invoice;
    await appendEvent(tx, {
      ...payerAudit(context),
      type: "delivery.approved",
      data: { link_id: context.link.linkId, delivery_id: deliveryId, description: delivery.description, previous_status: delivery.status },
    });
    await publishWebhookEvent(tx, {
      supplierId: invoice.supplierId,
      type: "delivery.approved",
      payload: {
        invoice: { id: invoice.id, number: invoice.number, customer_id: customer.id, delivery_status: deliveryStatus },
        delivery: deliveryJson(approved),
      },
    });
    return undefined;
  },
};

// ---- The supplier adds and lists deliveries (API) ----

export const addSchema = z
  .object(
    {
      deliveries: z
        .array(
          z
            .object({
              description: z
                .string({ required_error: "description is required", invalid_type_error: "description must be a string" })
                .trim()
                .min(1, "description must not be empty")
                .max(500, "description must be at most 500 characters"),
              delivered_on: calendarDate("delivered_on").optional(),
              location: z
                .string({ invalid_type_error: "location must be a string" })
                .trim()
                .min(1, "location must not be empty")
                .max(200, "location must be at most 200 characters")
                .optional(),
              lines: z
                // Indexes into the invoice's `lines` as sent when it was created (0 is the first line),
                // like the field paths of this API's errors.
                .array(
                  z
                    .number({ invalid_type_error: "lines holds indexes into the invoice's lines (0 is the first line)" })
                    .int("lines holds whole numbers")
                    .min(0, "lines holds indexes into the invoice's lines (0 is the first line)"),
                  { invalid_type_error: "lines must be an array of line indexes" },
                )
                .min(1, "leave lines out for a delivery of the whole invoice")
                .max(500)
                .optional(),
            })
            .strict(),
          { required_error: "deliveries is required", invalid_type_error: "deliveries must be an array" },
        )
        .min(1, "deliveries needs at least one delivery")
        .max(50, "at most 50 deliveries per request"),
    },
    { invalid_type_error: "the body must be a JSON object" },
  )
  .strict();

/** The API key that acted; null for operator tools such as the demo seed. */
type ApiCaller = { supplierId: string; apiKeyId: string | null; ip?: string | null; userAgent?: string | null };

/**
 * Adds deliveries to the supplier's invoice. Each call adds them again, so an Idempotency-Key makes
 * a retry after a lost answer answer the first deliveries instead (`replayed`).
 */
export async function addDeliveries(
  db: Db,
  params: ApiCaller & { invoiceId: string; input: unknown; idempotencyKey?: string; now?: Date },
): Promise<{ ok: true; deliveries: DeliveryJson[]; replayed: boolean } | { ok: false; problem: ProblemBody }> {
  const parsed = addSchema.safeParse(params.input);
  if (!parsed.success) return { ok: false, problem: invalid(fieldErrors(parsed.error)) };
  const now = params.now ?? new Date();
  if (!isPublicId("inv", params.invoiceId)) return { ok: false, problem: { status: 404, title: "Not found", detail: "Invoice not found." } };
  // Deliveries hold no secret or link, so their answer is stored as is (like customers').
  const keyed = {
    supplierId: params.supplierId,
    key: params.idempotencyKey,
    route: `POST /api/v1/invoices/${params.invoiceId}/deliveries`,
    input: parsed.data,
  };
  try {
    const result = await db.transaction((tx) => runIdempotent(tx, keyed, async () => {
      const locked = await lockInvoiceForPayer(tx, { supplierId: params.supplierId, invoiceId: params.invoiceId });
      if (!locked) throw new ProblemError({ status: 404, title: "Not found", detail: "Invoice not found." });
      if (locked.invoice.cancelledAt) throw new ProblemError(conflict("invoice", "The invoice is cancelled."));
      const known = new Set(locked.lines.map((line) => line.position));
      const wrong = parsed.data.deliveries.flatMap((item, index) =>
        (item.lines ?? []).flatMap((position, at) =>
          known.has(position) ? [] : [{ field: `deliveries[${index}].lines[${at}]`, message: `the invoice has no line ${position}` }],
        ),
      );
      if (wrong.length > 0) throw new ProblemError(invalid(wrong));

      const rows = await insertDeliveries(
        tx,
        { supplierId: params.supplierId, invoiceId: params.invoiceId },
        parsed.data.deliveries.map((item) => ({
          description: item.description,
          deliveredOn: item.delivered_on ?? null,
          location: item.location ?? null,
          linePositions: item.lines ? [...new Set(item.lines)].sort((a, b) => a - b) : null,
        })),
        now,
      );
      await refreshInvoiceDeliveryStatus(tx, params.invoiceId);
      for (const row of rows) {
        await appendEvent(tx, {
          supplierId: params.supplierId,
          invoiceId: params.invoiceId,
          customerId: locked.customer.id,
          type: "delivery.added",
          actor: "supplier",
          actorId: params.apiKeyId,
          ip: params.ip ?? null,
          userAgent: params.userAgent ?? null,
          data: { delivery_id: row.id, description: row.description, delivered_on: row.deliveredOn, lines: row.linePositions },
        });
      }
      return { status: 201, body: rows.map(deliveryJson) };
    }));
    return result.ok ? { ok: true, deliveries: result.body, replayed: result.replayed } : result;
  } catch (error) {
    if (error instanceof ProblemError) return { ok: false, problem: error.problem };
    throw error;
  }
}

/** The invoice's deliveries, or undefined when the invoice is not the supplier's. */
export async function listDeliveries(db: Db, supplierId: string, invoiceId: string): Promise<DeliveryJson[] | undefined> {
  if (!isPublicId("inv", invoiceId) || !(await invoiceExists(db, supplierId, invoiceId))) return undefined;
  return (await listInvoiceDeliveries(db, supplierId, invoiceId)).map(deliveryJson);
}

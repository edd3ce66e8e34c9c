// The supplier's view of the ledger through the API: payments it records by hand (a bank transfer
// seen on its statement, cash), and reading payments. Recording goes through the ledger's one way
// in (applyPaymentUpdate), in one transaction with the idempotency record.
import type { Db } from "../../../db/client";
import { nextCursor, parseListQuery } from "~/api/cursor";
import { runIdempotent } from "~/api/idempotency.server";
import { paymentJson, type PaymentJson } from "~/features/payments/api.json.server";
import { listPaymentsQuerySchema, recordPaymentSchema } from "~/features/payments/api.schemas";
import { isPublicId } from "~/domain/public-id";
import { actorColumns, appendEvent, type Actor } from "~/platform/audit/db/events.server";
import { lockInvoiceForPayer } from "~/features/portal/db/payer-invoices.server";
import { findManualPaymentByReference, findPayment, listPayments } from "~/features/payments/db/payments.server";
import { applyPaymentUpdate } from "~/features/payments/payments.server";
import {
  conflict, fieldErrors, invalid, ProblemError, uniqueViolation, type Failure, type ProblemBody,
} from "~/api/problem.server";

/** Clocks differ a little between the ERP and us; beyond this a receipt time is a mistake. */
const CLOCK_SKEW_MS = 5 * 60_000;

const NOT_FOUND: ProblemBody = { status: 404, title: "Not found", detail: "Invoice not found." };

export type RecordPaymentResult = { ok: true; payment: PaymentJson; replayed: boolean } | Failure;

function duplicateReference(paymentId: string): ProblemBody {
  return conflict("reference", `A payment with this reference is already recorded: ${paymentId}. The same bank transaction is never counted twice.`);
}

export async function recordManualPayment(
  db: Db,
  params: { supplierId: string; invoiceId: string; input: unknown; idempotencyKey?: string; actor: Actor; now?: Date },
): Promise<RecordPaymentResult> {
  const { supplierId, invoiceId, idempotencyKey, actor } = params;
  const now = params.now ?? new Date();
  if (!isPublicId("inv", invoiceId)) return { ok: false, problem: NOT_FOUND };
  const parsed = recordPaymentSchema.safeParse(params.input);
  if (!parsed.success) return { ok: false, problem: invalid(fieldErrors(parsed.error)) };
  const input = parsed.data;
  const receivedAt = input.received_at ? new Date(input.received_at) : now;
  if (receivedAt.getTime() > now.getTime() + CLOCK_SKEW_MS) {
    return { ok: false, problem: invalid([{ field: "received_at", message: "received_at must not be in the future" }]) };
  }
  const keyed = { supplierId, key: idempotencyKey, route: `POST /api/v1/invoices/${invoiceId}/payments`, input };

  try {
    const result = await db.transaction((tx) => runIdempotent(tx, keyed, async () => {
      const locked = await lockInvoiceForPayer(tx, { supplierId, invoiceId });
      if (!locked) throw new ProblemError(NOT_FOUND);
      if (locked.invoice.cancelledAt) {
        throw new ProblemError({ status: 409, title: "Conflict", detail: "The invoice is cancelled: it takes no payments." });
      }
      if (input.currency !== locked.invoice.currency) {
        throw new ProblemError(invalid([{ field: "currency", message: `currency must be the invoice's currency, ${locked.invoice.currency}` }]));
      }
      if (input.reference !== undefined) {
        const existing = await findManualPaymentByReference(tx, supplierId, input.reference);
        if (existing) throw new ProblemError(duplicateReference(existing.id));
      }
      const result = await applyPaymentUpdate(
        tx,
        {
          supplierId,
          provider: "manual",
          providerReference: input.reference ?? null,
          invoiceId,
          method: input.method,
          currency: input.currency,
          amount: input.amount,
          status: "succeeded",
          occurredAt: receivedAt,
          note: input.note ?? null,
        },
        now,
      );
      if (result.outcome !== "applied") throw new Error(`recording a manual payment was ${result.outcome}`);
      const payment = paymentJson(result.payment);
      // The ledger's own events name no one; this one says which key (and from where) recorded it.
      await appendEvent(tx, {
        supplierId,
        invoiceId,
        customerId: locked.customer.id,
        type: "payment.recorded",
        ...actorColumns(actor),
        data: { payment_id: payment.id, amount: payment.amount, currency: payment.currency, method: payment.method, reference: payment.provider_reference },
      });
      return { status: 201, body: { payment } };
    }));
    return result.ok ? { ok: true, payment: result.body.payment, replayed: result.replayed } : result;
  } catch (error) {
    if (error instanceof ProblemError) return { ok: false, problem: error.problem };
    // Another request recorded the same reference between our check and our insert.
    if (input.reference !== undefined && uniqueViolation(error) === "payments_manual_reference_key") {
      const existing = await findManualPaymentByReference(db, supplierId, input.reference);
      if (existing) return { ok: false, problem: duplicateReference(existing.id) };
    }
    throw error;
  }
}

export async function getPayment(db: Db, supplierId: string, id: string): Promise<PaymentJson | undefined> {
  if (!isPublicId("pay", id)) return undefined;
  const row = await findPayment(db, supplierId, id);
  return row && paymentJson(row);
}

export type PaymentPage = { data: PaymentJson[]; next_cursor: string | null };

/** `invoiceId` fixes the invoice (GET /invoices/:id/payments); otherwise `?invoice_id=` may. */
export async function listPaymentsPage(
  db: Db,
  params: { supplierId: string; query: URLSearchParams; invoiceId?: string },
): Promise<{ ok: true; page: PaymentPage } | Failure> {
  const parsed = parseListQuery(listPaymentsQuerySchema, params.query, "pay");
  if (!parsed.ok) return parsed;
  const { query, after } = parsed;
  const invoiceId = params.invoiceId ?? query.invoice_id;
  if (invoiceId !== undefined && !isPublicId("inv", invoiceId)) {
    return { ok: false, problem: invalid([{ field: "invoice_id", message: "invoice_id must be an invoice id (inv_…)" }]) };
  }
  const { rows, hasMore } = await listPayments(db, params.supplierId, {
    invoiceId,
    status: query.status,
    provider: query.provider,
    method: query.method,
    createdAfter: query.created_after ? new Date(query.created_after) : undefined,
    createdBefore: query.created_before ? new Date(query.created_before) : undefined,
    after,
    limit: query.limit ?? 20,
  });
  return { ok: true, page: { data: rows.map(paymentJson), next_cursor: nextCursor(rows, hasMore) } };
}

// The queue of unapplied bank payments, worked through by a person (the API, the CLI, later the
// console's inbox): list, read, allocate to invoices to the öre, mark to be refunded, mark not ours.
//
// Allocation books each part through the ledger's one way in (applyPaymentUpdate: balance,
// events, webhooks, receipts, as the automatic booking does), in one transaction with the queue
// row's change and the audit events. The ledger reference of a part is `bank:<bank id>#<101…>`:
// the bank-file import looks a transaction's earlier bookings up by `bank:<bank id>`, so a
// re-import of the file never books a payment a person already placed (security P8).
//
// Concurrency: the queue row is locked first, then its `version` compared with the one the person
// read: of two clerks allocating one payment, one wins and the other gets a 409, nothing booked twice.
import type { Db, Tx } from "../../../db/client";
import { nextCursor, parseListQuery } from "~/api/cursor";
import { runIdempotent } from "~/api/idempotency.server";
import { conflict, fieldErrors, invalid, ProblemError, type Failure, type FieldError, type ProblemBody } from "~/api/problem.server";
import { isPublicId } from "~/domain/public-id";
import type { UnappliedState } from "~/domain/unapplied-payments";
import { actorColumns, appendEvent, type Actor } from "~/platform/audit/db/events.server";
import { unappliedPaymentJson, type UnappliedPaymentJson } from "~/features/bank-files/api.json.server";
import { allocateSchema, listUnappliedQuerySchema, resolveSchema, type AllocateInput } from "~/features/bank-files/api.schemas";
import { bankReference, moneyText } from "~/features/bank-files/bank-file-booking.server";
import {
  countAllocations, countUnappliedPayments, findUnappliedPayment, findUnappliedPayments, insertAllocations, invoiceIdByNumber, listAllocations, listProposals, listUnappliedPayments,
  lockUnappliedPayment, updateUnappliedPayment, type UnappliedPaymentRow,
} from "~/features/bank-files/db/unapplied-payments.server";
import { lockInvoiceForPayer, type LockedInvoice } from "~/features/portal/db/payer-invoices.server";
import { applyPaymentUpdate } from "~/features/payments/payments.server";
import { closeInboxItem } from "~/features/inbox/open-inbox-item.server";

const NOT_FOUND: ProblemBody = { status: 404, title: "Not found", detail: "Unapplied payment not found." };

/** Parts booked from the queue are numbered from here: an automatic split of one payment never reaches it. */
const FIRST_QUEUE_PART = 101;

const FORMAT_NAMES = { bgmax: "BgMax", camt054: "camt.054" } as const;

/** Bank dates have no time; noon UTC keeps the day in every European time zone (as the import books them). */
const receivedAtOf = (date: string) => new Date(`${date}T12:00:00Z`);

async function withDetails(db: Db | Tx, supplierId: string, rows: readonly UnappliedPaymentRow[]): Promise<UnappliedPaymentJson[]> {
  const ids = rows.map((row) => row.id);
  const [allocations, proposals] = [await listAllocations(db, supplierId, ids), await listProposals(db, supplierId, ids)];
  return rows.map((row) => unappliedPaymentJson(row, allocations, proposals));
}

export async function getUnappliedPayment(db: Db, supplierId: string, id: string): Promise<UnappliedPaymentJson | undefined> {
  if (!isPublicId("upa", id)) return undefined;
  const row = await findUnappliedPayment(db, supplierId, id);
  return row && (await withDetails(db, supplierId, [row]))[0];
}

/** For the console's inbox: the supplier's queued payments with these ids, as the API shows them, by id. */
export async function unappliedPaymentsByIds(db: Db, supplierId: string, ids: readonly string[]): Promise<Map<string, UnappliedPaymentJson>> {
  const rows = await findUnappliedPayments(db, supplierId, ids.filter((id) => isPublicId("upa", id)));
  return new Map((await withDetails(db, supplierId, rows)).map((payment) => [payment.id, payment]));
}

/** A clerk's invoice: its id (inv_…) as typed, else the id of the supplier's invoice with that number. */
export async function invoiceIdFromClerk(db: Db, supplierId: string, typed: string): Promise<string | undefined> {
  const text = typed.trim();
  if (text === "") return undefined;
  if (isPublicId("inv", text)) return text;
  return invoiceIdByNumber(db, supplierId, text);
}

export type UnappliedPage = { data: UnappliedPaymentJson[]; next_cursor: string | null };

/** `GET /api/v1/unapplied-payments`: oldest first, `?state=`, cursor paging. */
export async function listUnappliedPage(db: Db, params: { supplierId: string; query: URLSearchParams }): Promise<{ ok: true; page: UnappliedPage } | Failure> {
  const parsed = parseListQuery(listUnappliedQuerySchema, params.query, "upa");
  if (!parsed.ok) return parsed;
  const { rows, hasMore } = await listUnappliedPayments(db, params.supplierId, { state: parsed.query.state, after: parsed.after, limit: parsed.query.limit ?? 20 });
  return { ok: true, page: { data: await withDetails(db, params.supplierId, rows), next_cursor: nextCursor(rows, hasMore) } };
}

/** For the console's inbox: the open payments, oldest first, a page at a time. */
export async function listOpenBankQueueItems(
  db: Db,
  supplierId: string,
  options: { limit?: number; cursor?: string } = {},
): Promise<UnappliedPage> {
  const query = new URLSearchParams({ state: "open", limit: String(Math.min(Math.max(options.limit ?? 20, 1), 100)) });
  if (options.cursor) query.set("cursor", options.cursor);
  const result = await listUnappliedPage(db, { supplierId, query });
  return result.ok ? result.page : { data: [], next_cursor: null };
}

/** For the console's inbox: how many payments wait, and how much money per currency. */
export function countOpenBankQueueItems(db: Db, supplierId: string): Promise<{ count: number; remaining: Record<string, number> }> {
  return countUnappliedPayments(db, supplierId, "open");
}

export type UnappliedResult = { ok: true; body: UnappliedPaymentJson; replayed: boolean } | Failure;

type Change = { supplierId: string; id: string; input: unknown; idempotencyKey?: string; actor: Actor; now?: Date };

/** The queue row, locked, at the version the person read, still open: or the problem saying why not. */
async function lockOpen(tx: Tx, params: { supplierId: string; id: string; version: number }): Promise<UnappliedPaymentRow> {
  const row = await lockUnappliedPayment(tx, params.supplierId, params.id);
  if (!row) throw new ProblemError(NOT_FOUND);
  if (row.version !== params.version) {
    throw new ProblemError(conflict("version", `The payment was changed since you read it (version ${params.version}, now ${row.version}, ${row.state}); read it again. Nothing was booked.`));
  }
  if (row.state !== "open") throw new ProblemError(invalid([{ field: "state", message: `the payment is ${row.state}; only an open payment can be changed` }]));
  return row;
}

const actorName = (actor: Actor) => actor.actorId ?? actor.actor;

async function keyed(db: Db, params: Change, route: string, input: unknown, work: (tx: Tx, now: Date) => Promise<UnappliedPaymentRow>): Promise<UnappliedResult> {
  const now = params.now ?? new Date();
  try {
    const result = await db.transaction((tx) =>
      runIdempotent(tx, { supplierId: params.supplierId, key: params.idempotencyKey, route, input }, async () => {
        const row = await work(tx, now);
        return { status: 200, body: (await withDetails(tx, params.supplierId, [row]))[0]! };
      }));
    return result.ok ? { ok: true, body: result.body, replayed: result.replayed } : result;
  } catch (error) {
    if (error instanceof ProblemError) return { ok: false, problem: error.problem };
    throw error;
  }
}

/** Every wrong part at once, before anything is booked; the invoices are locked (in id order) by then. */
function checkParts(row: UnappliedPaymentRow, input: AllocateInput, invoices: Map<string, LockedInvoice | undefined>): FieldError[] {
  const errors: FieldError[] = [];
  if (row.reason === "overpaid") {
    errors.push({ field: "(body)", message: `this over-payment is already booked on its invoice (${row.invoiceId}); money is not moved between invoices: mark it refund when it is paid back` });
    return errors;
  }
  const seen = new Set<string>();
  input.parts.forEach((part, index) => {
    const at = `parts[${index}]`;
    if (seen.has(part.invoice_id)) errors.push({ field: `${at}.invoice_id`, message: `invoice ${part.invoice_id} is named twice; give it one part` });
    seen.add(part.invoice_id);
    const locked = invoices.get(part.invoice_id);
    if (!locked) {
      // The id is not repeated: another supplier's invoice answers exactly like an unknown one.
      errors.push({ field: `${at}.invoice_id`, message: "no invoice of yours has this id" });
      return;
    }
    const { invoice } = locked;
    const due = Math.max(invoice.total - invoice.amountPaid, 0);
    if (invoice.cancelledAt) errors.push({ field: `${at}.invoice_id`, message: `invoice ${invoice.number} is cancelled; it takes no payments` });
    else if (invoice.total <= 0) errors.push({ field: `${at}.invoice_id`, message: `${invoice.number} is a credit note; it takes no payments` });
    else if (invoice.currency !== row.currency) {
      errors.push({ field: `${at}.invoice_id`, message: `invoice ${invoice.number} is in ${invoice.currency}; this payment is in ${row.currency}` });
    } else if (part.amount > due && part.overpayment !== true) {
      errors.push({
        field: `${at}.amount`,
        message: `${moneyText(part.amount, row.currency)} is more than invoice ${invoice.number}'s amount due, ${moneyText(due, row.currency)}; send overpayment: true to book it anyway`,
      });
    }
  });
  const total = input.parts.reduce((sum, part) => sum + part.amount, 0);
  if (total > row.remaining) {
    errors.push({ field: "parts", message: `the parts add up to ${moneyText(total, row.currency)}; at most the remaining ${moneyText(row.remaining, row.currency)} can be placed` });
  }
  return errors;
}

/** `POST /api/v1/unapplied-payments/{id}/allocate` */
export async function allocateUnappliedPayment(db: Db, params: Change): Promise<UnappliedResult> {
  if (!isPublicId("upa", params.id)) return { ok: false, problem: NOT_FOUND };
  const parsed = allocateSchema.safeParse(params.input);
  if (!parsed.success) return { ok: false, problem: invalid(fieldErrors(parsed.error)) };
  const input = parsed.data;
  const { supplierId, actor } = params;
  return keyed(db, params, `POST /api/v1/unapplied-payments/${params.id}/allocate`, input, async (tx, now) => {
    const row = await lockOpen(tx, { supplierId, id: params.id, version: input.version });
    // The same lock order as the ledger (the queue row, then invoices by id): no deadlock with an import.
    const invoices = new Map<string, LockedInvoice | undefined>();
    for (const invoiceId of [...new Set(input.parts.map((part) => part.invoice_id))].sort()) {
      invoices.set(invoiceId, isPublicId("inv", invoiceId) ? await lockInvoiceForPayer(tx, { supplierId, invoiceId }) : undefined);
    }
    const errors = checkParts(row, input, invoices);
    if (errors.length > 0) throw new ProblemError(invalid(errors, "Nothing was booked. See errors for each part."));

    const earlier = await countAllocations(tx, row.id);
    const source = [`${FORMAT_NAMES[row.format]} ${row.position}`, row.payerName].filter(Boolean).join(", ");
    const allocations = [];
    for (const [index, part] of input.parts.entries()) {
      const locked = invoices.get(part.invoice_id)!;
      const result = await applyPaymentUpdate(
        tx,
        {
          supplierId,
          provider: "manual",
          providerReference: `${bankReference(row.transactionId)}#${FIRST_QUEUE_PART + earlier + index}`,
          invoiceId: part.invoice_id,
          method: "bank_transfer",
          currency: row.currency,
          amount: part.amount,
          status: "succeeded",
          occurredAt: receivedAtOf(row.paidOn),
          note: `${source}; placed from the unapplied payments${input.note ? `: ${input.note}` : ""}`,
        },
        now,
      );
      if (result.outcome !== "applied") throw new Error(`allocating ${row.id} on ${part.invoice_id} was ${result.outcome}`);
      allocations.push({
        unappliedId: row.id, supplierId, invoiceId: part.invoice_id, paymentId: result.payment.id, amount: part.amount,
        overpayment: part.amount > Math.max(locked.invoice.total - locked.invoice.amountPaid, 0), actor: actor.actor, actorId: actor.actorId, createdAt: now,
      });
      // The ledger's own events name no one; this one says who placed the money, from which bank payment.
      await appendEvent(tx, {
        supplierId,
        invoiceId: part.invoice_id,
        customerId: locked.customer.id,
        type: "unapplied_payment.allocated",
        ...actorColumns(actor),
        data: { unapplied_payment_id: row.id, payment_id: result.payment.id, amount: part.amount, currency: row.currency, transaction_id: row.transactionId },
      });
    }
    await insertAllocations(tx, allocations);
    const remaining = row.remaining - input.parts.reduce((sum, part) => sum + part.amount, 0);
    const done = remaining === 0;
    // Placed to the öre: the console inbox's item for it is done too.
    if (done) await closeInboxItem(tx, { supplierId, kind: "unapplied_payment", sourceId: row.id }, now);
    return updateUnappliedPayment(tx, row.id, {
      remaining,
      state: done ? "allocated" : "open",
      ...(input.note === undefined ? {} : { note: input.note }),
      ...(done ? { resolvedAt: now, resolvedBy: actorName(actor) } : {}),
      updatedAt: now,
    });
  });
}

/** `POST …/refund` and `POST …/not-ours`: the payment leaves the work list; nothing is booked. */
export async function markUnappliedPayment(db: Db, params: Change & { state: Extract<UnappliedState, "refund_pending" | "not_ours"> }): Promise<UnappliedResult> {
  if (!isPublicId("upa", params.id)) return { ok: false, problem: NOT_FOUND };
  const parsed = resolveSchema.safeParse(params.input);
  if (!parsed.success) return { ok: false, problem: invalid(fieldErrors(parsed.error)) };
  const input = parsed.data;
  const path = params.state === "refund_pending" ? "refund" : "not-ours";
  return keyed(db, params, `POST /api/v1/unapplied-payments/${params.id}/${path}`, input, async (tx, now) => {
    const row = await lockOpen(tx, { supplierId: params.supplierId, id: params.id, version: input.version });
    if (params.state === "not_ours" && row.reason === "overpaid") {
      throw new ProblemError(invalid([{ field: "state", message: `this over-payment is booked on your invoice ${row.invoiceId}: it is your customer's money; mark it refund instead` }]));
    }
    await appendEvent(tx, {
      supplierId: params.supplierId,
      invoiceId: row.invoiceId,
      type: params.state === "refund_pending" ? "unapplied_payment.refund_pending" : "unapplied_payment.not_ours",
      ...actorColumns(params.actor),
      data: { unapplied_payment_id: row.id, amount: row.remaining, currency: row.currency, transaction_id: row.transactionId, note: input.note ?? null },
    });
    await closeInboxItem(tx, { supplierId: params.supplierId, kind: "unapplied_payment", sourceId: row.id }, now);
    return updateUnappliedPayment(tx, row.id, {
      state: params.state,
      ...(input.note === undefined ? {} : { note: input.note }),
      resolvedAt: now,
      resolvedBy: actorName(params.actor),
      updatedAt: now,
    });
  });
}

// Changing an invoice after it was created, through the supplier's API: update it while nobody
// has relied on it yet, cancel it while no money came in, or credit it with a credit note.
// Each change is one transaction with its audit event and webhook, so a failure writes nothing.
//
// A credit note does not lower what is due on the invoice it credits: amount_paid comes from the
// payments ledger alone, and the portal, reminders, checkout and payment QR codes all ask for
// total − amount_paid. Folding credits in would mean teaching each of them, or writing credits
// into the ledger as if they were money. The original therefore stays as it is; an unpaid invoice
// that should not be collected is cancelled, one not yet confirmed can be corrected by PATCH.
import type { Db, Tx } from "../../../db/client";
import {
  cancelInvoiceSchema, createCreditNoteSchema, updateInvoiceSchema, type UpdateInvoiceInput,
} from "~/features/invoices/api.schemas";
import { runIdempotent } from "~/api/idempotency.server";
import { invoiceJson, type InvoiceJson, type InvoiceLineJson } from "~/features/invoices/api.json.server";
import { conflict, fieldErrors, invalid, ProblemError, type Failure, type ProblemBody } from "~/api/problem.server";
import { todayIn } from "~/domain/invoice-status";
import { isPublicId } from "~/domain/public-id";
import { appendEvent } from "~/platform/audit/db/events.server";
import {
  creditedAmount, hasPaymentInProgress, invoiceLinesOf, lockInvoice, markInvoiceCancelled, replaceInvoiceLines,
  updateInvoiceColumns, type InvoiceColumnChanges, type InvoiceRow,
} from "~/features/invoices/db/invoice-changes.server";
import { findApiInvoice, isInvoiceNumberTaken, type InvoiceLineRow, type NewInvoiceLine } from "~/features/invoices/db/invoices.server";
import { revokeInvoiceLinks } from "~/features/links/db/links.server";
import { getSupplier, type Supplier } from "~/features/suppliers/db/suppliers.server";
import {
  insertInvoiceWithLink, invoiceFailure, lineRows, resolveCustomer, totalsProblem, type Actor, type InvoiceConfig,
  type InvoiceFields,
} from "~/features/invoices/invoices.server";
import { publishWebhookEvent } from "~/features/webhooks/webhooks.server";

export type ChangeParams = {
  supplierId: string;
  /** The API key that acted; null for operator tools. */
  apiKeyId: string | null;
  id: string;
  input: unknown;
  idempotencyKey?: string;
  origin?: { ip?: string; userAgent?: string };
  /** Who acted when it is not an API key: the console's signed-in user (then apiKeyId is null). */
  actor?: Actor;
  now?: Date;
};

export type ChangeResult = { ok: true; status: 200 | 201; invoice: InvoiceJson; replayed: boolean } | Failure;

const NOT_FOUND: ProblemBody = { status: 404, title: "Not found", detail: "Invoice not found." };
const refused = (title: string, detail: string): ProblemBody => ({ status: 409, title, detail });

type Work = (tx: Tx, actor: Actor, now: Date) => Promise<{ status: 200 | 201; invoice: InvoiceJson }>;

/**
 * Runs one change in a transaction behind the request's Idempotency-Key: a retry with the same
 * key and body answers the first result again; every failure rolls back the key's claim too.
 * Answers are sealed like createInvoice's, since a credit note's answer holds a portal link.
 */
async function runChange(db: Db, config: InvoiceConfig, params: ChangeParams, route: string, input: unknown, work: Work): Promise<ChangeResult> {
  const { supplierId, idempotencyKey: key } = params;
  const now = params.now ?? new Date();
  const actor: Actor = params.actor ?? { actor: "supplier", actorId: params.apiKeyId, ip: params.origin?.ip ?? null, userAgent: params.origin?.userAgent ?? null };
  const keyed = { supplierId, key, route, input: input ?? null, sealWith: config.linkKeys };
  try {
    const result = await db.transaction((tx) => runIdempotent(tx, keyed, async () => {
      const { status, invoice } = await work(tx, actor, now);
      return { status, body: invoice };
    }));
    return result.ok ? { ok: true, status: result.status as 200 | 201, invoice: result.body, replayed: result.replayed } : result;
  } catch (error) {
    return invoiceFailure(error);
  }
}

async function supplierOf(tx: Tx, supplierId: string): Promise<Supplier> {
  const supplier = await getSupplier(tx, supplierId);
  if (!supplier) throw new Error(`supplier ${supplierId} not found`);
  return supplier;
}

async function currentJson(tx: Tx, supplier: Supplier, id: string, now: Date, portalUrl?: string): Promise<InvoiceJson> {
  const row = await findApiInvoice(tx, supplier.id, id);
  if (!row) throw new Error(`invoice ${id} vanished inside its own transaction`);
  return invoiceJson(row, supplier.timeZone, now, portalUrl);
}

async function lockOrNotFound(tx: Tx, supplierId: string, id: string): Promise<InvoiceRow> {
  const row = await lockInvoice(tx, supplierId, id);
  if (!row) throw new ProblemError(NOT_FOUND);
  return row;
}

const isCreditNote = (row: InvoiceRow) => row.creditsInvoiceId !== null || row.total <= 0;

// ---- PATCH /api/v1/invoices/:id ----

/** Why the invoice can no longer change: somebody relies on it as it is. */
async function updateRefusal(tx: Tx, row: InvoiceRow, now: Date): Promise<ProblemBody | undefined> {
  const title = "Invoice cannot be changed";
  if (row.cancelledAt !== null) return refused(title, "The invoice is cancelled.");
  if (isCreditNote(row)) return refused(title, "A credit note cannot be changed: cancel it and issue a new one.");
  if (row.confirmedAt !== null) {
    return refused(title, `The payer confirmed this invoice on ${row.confirmedAt.toISOString()}: issue a credit note instead.`);
  }
  if (row.amountPaid > 0) return refused(title, "Money was received for this invoice: issue a credit note instead.");
  if (await hasPaymentInProgress(tx, row.supplierId, row.id, now)) {
    return refused(title, "A payment of this invoice is in progress: try again when it has completed or expired.");
  }
  if (row.paymentReportedUntil !== null && row.paymentReportedUntil > now) {
    return refused(title, "The payer reported having paid this invoice: wait for the money, or issue a credit note.");
  }
  return undefined;
}

type Snapshot = {
  number: string;
  issue_date: string;
  due_date: string;
  customer_id: string;
  lines: InvoiceLineJson[];
  total_net: number;
  total_vat: number;
  rounding: number;
  total: number;
};

/** A stored or about-to-be-stored line as the API shows it, so before and after compare alike. */
const lineJson = (line: Omit<NewInvoiceLine, "position">): InvoiceLineJson => ({
  description: line.description,
  quantity: Number(line.quantity),
  unit: line.unit ?? null,
  unit_price: line.unitPrice,
  vat_rate: Number(line.vatRate),
  net: line.net,
  vat: line.vat,
});

function snapshot(row: InvoiceRow, lines: InvoiceLineRow[]): Snapshot {
  return {
    number: row.number,
    issue_date: row.issueDate,
    due_date: row.dueDate,
    customer_id: row.customerId,
    lines: lines.map(lineJson),
    total_net: row.totalNet,
    total_vat: row.totalVat,
    rounding: row.rounding,
    total: row.total,
  };
}

/** The invoice as it would be after the patch; amounts are checked to add up in its currency. */
async function patched(tx: Tx, row: InvoiceRow, before: Snapshot, input: UpdateInvoiceInput, actor: Actor): Promise<Snapshot> {
  const after: Snapshot = {
    ...before,
    number: input.number ?? before.number,
    issue_date: input.issue_date ?? before.issue_date,
    due_date: input.due_date ?? before.due_date,
  };
  if (after.due_date < after.issue_date) {
    const field = input.due_date !== undefined ? "due_date" : "issue_date";
    throw new ProblemError(invalid([{ field, message: `due_date (${after.due_date}) must not be before issue_date (${after.issue_date})` }]));
  }
  if (input.lines !== undefined && input.total_net !== undefined && input.total_vat !== undefined && input.total !== undefined) {
    const amounts = { lines: input.lines, total_net: input.total_net, total_vat: input.total_vat, rounding: input.rounding ?? 0, total: input.total };
    const problem = totalsProblem(amounts, row.currency);
    if (problem) throw new ProblemError(problem);
    Object.assign(after, amounts, { lines: lineRows(input.lines).map(lineJson) });
  }
  if (input.customer !== undefined) {
    after.customer_id = (await resolveCustomer(tx, row.supplierId, input.customer, actor)).id;
  }
  return after;
}

const COLUMN_OF = {
  number: "number",
  issue_date: "issueDate",
  due_date: "dueDate",
  customer_id: "customerId",
  total_net: "totalNet",
  total_vat: "totalVat",
  rounding: "rounding",
  total: "total",
} as const satisfies Partial<Record<keyof Snapshot, keyof InvoiceColumnChanges>>;

/**
 * Changes an invoice the payer has not confirmed and nothing was paid on. The OCR reference and
 * the portal links stay as they are: both are printed or mailed already and must keep working.
 */
export async function updateInvoice(db: Db, config: InvoiceConfig, params: ChangeParams): Promise<ChangeResult> {
  if (!isPublicId("inv", params.id)) return { ok: false, problem: NOT_FOUND };
  const parsed = updateInvoiceSchema.safeParse(params.input);
  if (!parsed.success) return { ok: false, problem: invalid(fieldErrors(parsed.error)) };
  const input = parsed.data;
  // Checked after parsing, so that a misspelt field is reported as itself rather than as "nothing to change".
  if (Object.values(input).every((value) => value === undefined)) {
    return { ok: false, problem: invalid([{ field: "(body)", message: "send at least one field to change" }]) };
  }
  const { supplierId, id } = params;
  return runChange(db, config, params, `PATCH /api/v1/invoices/${id}`, input, async (tx, actor, now) => {
    const row = await lockOrNotFound(tx, supplierId, id);
    const refusal = await updateRefusal(tx, row, now);
    if (refusal) throw new ProblemError(refusal);
    const supplier = await supplierOf(tx, supplierId);
    const before = snapshot(row, await invoiceLinesOf(tx, id));
    const after = await patched(tx, row, before, input, actor);
    const changed = (Object.keys(after) as (keyof Snapshot)[]).filter((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]));
    if (changed.length === 0) return { status: 200, invoice: await currentJson(tx, supplier, id, now) };

    if (changed.includes("number") && (await isInvoiceNumberTaken(tx, supplierId, after.number))) {
      throw new ProblemError(conflict("number", "An invoice with this number already exists."));
    }
    const columns: InvoiceColumnChanges = {};
    for (const field of changed) {
      if (field !== "lines") Object.assign(columns, { [COLUMN_OF[field]]: after[field] });
    }
    await updateInvoiceColumns(tx, supplierId, id, columns, now);
    if (changed.includes("lines") && input.lines) await replaceInvoiceLines(tx, id, lineRows(input.lines));

    const changes = Object.fromEntries(changed.map((field) => [field, { from: before[field], to: after[field] }]));
    await appendEvent(tx, { ...actor, supplierId, invoiceId: id, customerId: after.customer_id, type: "invoice.updated", data: { changes } });
    const invoice = await currentJson(tx, supplier, id, now);
    await publishWebhookEvent(tx, { supplierId, type: "invoice.updated", payload: { invoice, changed, changes } });
    return { status: 200, invoice };
  });
}

// ---- POST /api/v1/invoices/:id/cancel ----

/**
 * Cancels an invoice no money came in for: its links stop working and queued reminders are
 * skipped when due. Cancelling a cancelled invoice answers the same, and changes nothing.
 */
export async function cancelInvoice(db: Db, config: InvoiceConfig, params: ChangeParams): Promise<ChangeResult> {
  if (!isPublicId("inv", params.id)) return { ok: false, problem: NOT_FOUND };
  const parsed = cancelInvoiceSchema.safeParse(params.input ?? {});
  if (!parsed.success) return { ok: false, problem: invalid(fieldErrors(parsed.error)) };
  const reason = parsed.data.reason ?? null;
  const { supplierId, id } = params;
  return runChange(db, config, params, `POST /api/v1/invoices/${id}/cancel`, parsed.data, async (tx, actor, now) => {
    const row = await lockOrNotFound(tx, supplierId, id);
    const supplier = await supplierOf(tx, supplierId);
    if (row.cancelledAt !== null) return { status: 200, invoice: await currentJson(tx, supplier, id, now) };
    if (row.amountPaid > 0) {
      throw new ProblemError(
        refused("Invoice cannot be cancelled", "Money was received for this invoice: issue a credit note instead (POST …/credit-notes)."),
      );
    }
    await markInvoiceCancelled(tx, supplierId, id, now);
    const linksRevoked = await revokeInvoiceLinks(tx, id, now);
    await appendEvent(tx, {
      ...actor,
      supplierId,
      invoiceId: id,
      customerId: row.customerId,
      type: "invoice.cancelled",
      data: { reason, links_revoked: linksRevoked },
    });
    const invoice = await currentJson(tx, supplier, id, now);
    await publishWebhookEvent(tx, { supplierId, type: "invoice.cancelled", payload: { invoice, reason } });
    return { status: 200, invoice };
  });
}

// ---- POST /api/v1/invoices/:id/credit-notes ----

const negate = (value: number) => (value === 0 ? 0 : -value);

/** The whole invoice, negated: returned quantities at the same prices, VAT and rounding. */
function fullCredit(row: InvoiceRow, lines: InvoiceLineRow[]): Pick<InvoiceFields, "lines" | "total_net" | "total_vat" | "rounding" | "total"> {
  return {
    lines: lines.map((line) => ({
      description: line.description,
      quantity: negate(Number(line.quantity)),
      ...(line.unit === null ? {} : { unit: line.unit }),
      unit_price: line.unitPrice,
      vat_rate: Number(line.vatRate),
      net: negate(line.net),
      vat: negate(line.vat),
    })),
    total_net: negate(row.totalNet),
    total_vat: negate(row.totalVat),
    rounding: negate(row.rounding),
    total: negate(row.total),
  };
}

/**
 * Issues a credit note for an invoice: a new invoice row with negative amounts, its own number
 * and OCR, the same customer and currency. It may credit at most what earlier credit notes left.
 */
export async function createCreditNote(db: Db, config: InvoiceConfig, params: ChangeParams): Promise<ChangeResult> {
  if (!isPublicId("inv", params.id)) return { ok: false, problem: NOT_FOUND };
  const parsed = createCreditNoteSchema.safeParse(params.input);
  if (!parsed.success) return { ok: false, problem: invalid(fieldErrors(parsed.error)) };
  const input = parsed.data;
  const { supplierId, id } = params;
  return runChange(db, config, params, `POST /api/v1/invoices/${id}/credit-notes`, input, async (tx, actor, now) => {
    const original = await lockOrNotFound(tx, supplierId, id);
    const title = "Invoice cannot be credited";
    if (original.cancelledAt !== null) throw new ProblemError(refused(title, "The invoice is cancelled: nothing is owed on it."));
    if (isCreditNote(original)) throw new ProblemError(refused(title, "This is a credit note: only invoices are credited."));
    const credited = await creditedAmount(tx, supplierId, id);
    const creditable = original.total - credited;
    if (creditable <= 0) throw new ProblemError(refused(title, "The invoice is already fully credited."));

    let amounts: Pick<InvoiceFields, "lines" | "total_net" | "total_vat" | "rounding" | "total">;
    if (input.lines !== undefined && input.total_net !== undefined && input.total_vat !== undefined && input.total !== undefined) {
      amounts = { lines: input.lines, total_net: input.total_net, total_vat: input.total_vat, rounding: input.rounding ?? 0, total: input.total };
      const problem = totalsProblem(amounts, original.currency);
      if (problem) throw new ProblemError(problem);
      if (-amounts.total > creditable) {
        const earlier = credited > 0 ? ` less ${credited} credited earlier` : "";
        throw new ProblemError(
          invalid([{ field: "total", message: `a credit note may credit at most ${creditable} (the invoice's total ${original.total}${earlier})` }]),
        );
      }
    } else if (credited > 0) {
      throw new ProblemError(
        invalid([{ field: "lines", message: `the invoice was partly credited already: give the lines to credit (at most ${creditable})` }]),
      );
    } else {
      amounts = fullCredit(original, await invoiceLinesOf(tx, id));
    }

    const supplier = await supplierOf(tx, supplierId);
    // A credit note is not paid: it is due the day it is issued, and reminders skip it (total ≤ 0).
    const issueDate = input.issue_date ?? todayIn(supplier.timeZone, now);
    const fields: InvoiceFields = { ...amounts, number: input.number, currency: original.currency as InvoiceFields["currency"], issue_date: issueDate, due_date: issueDate, ocr: input.ocr };
    const note = await insertInvoiceWithLink(tx, config, { supplierId, customerId: original.customerId, actor, now, fields, creditsInvoiceId: id });
    const reason = input.reason ?? null;
    await appendEvent(tx, {
      ...actor,
      supplierId,
      invoiceId: id,
      customerId: original.customerId,
      type: "invoice.credited",
      data: { credit_note_id: note.id, number: input.number, total: amounts.total, credited_total: credited - amounts.total, reason },
    });
    const creditNote = await currentJson(tx, supplier, note.id, now);
    const invoice = await currentJson(tx, supplier, id, now);
    // The portal link is for this answer only (it is sealed in the idempotency row, never in a webhook).
    await publishWebhookEvent(tx, { supplierId, type: "invoice.credited", payload: { invoice, credit_note: creditNote, reason } });
    return { status: 201, invoice: { ...creditNote, portal_url: note.link.url } };
  });
}

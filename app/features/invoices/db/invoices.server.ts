import { and, asc, desc, eq, gt, gte, inArray, isNotNull, isNull, lt, lte, or, sql, type SQL } from "drizzle-orm";
import { customers, invoiceLines, invoiceOcrSeq, invoices, suppliers } from "../../../../db/schema";
import type { DbOrTx } from "../../../../db/client";
import { insertRows } from "../../../../db/bulk-insert";
import { chunks } from "~/domain/chunks";
import type { ApiInvoiceStatus } from "~/domain/invoice-status";
import { makeOcr, makeOcrFromNumber, OCR_MAX_LENGTH } from "~/domain/ocr";

export type NewInvoice = typeof invoices.$inferInsert;
export type NewInvoiceLine = Omit<typeof invoiceLines.$inferInsert, "invoiceId">;
export type InvoiceLineRow = typeof invoiceLines.$inferSelect;

/**
 * Many invoices: one statement for the invoices and one for their lines, each
 * column one array parameter (db/bulk-insert). drizzle's `.values(rows)` built one parameter object
 * per cell; on a 100,000-row CSV import that was most of the web process's garbage (+380 MB RSS).
 */
export async function insertInvoices(db: DbOrTx, rows: readonly { invoice: NewInvoice; lines: NewInvoiceLine[] }[]): Promise<void> {
  await insertRows(db, invoices, rows.map((row) => row.invoice));
  await insertRows(db, invoiceLines, rows.flatMap((row) => row.lines.map((line) => ({ ...line, invoiceId: row.invoice.id }))));
}

export async function isInvoiceNumberTaken(db: DbOrTx, supplierId: string, number: string): Promise<boolean> {
  const [row] = await db
    .select({ id: invoices.id })
    .from(invoices)
    .where(and(eq(invoices.supplierId, supplierId), eq(invoices.number, number)))
    .limit(1);
  return row !== undefined;
}

export async function nextOcrSequenceValue(db: DbOrTx): Promise<number> {
  const [row] = await db.execute<{ value: string }>(sql`select nextval(${invoiceOcrSeq.seqName}) as value`);
  return Number(row!.value);
}

async function nextOcrSequenceValues(db: DbOrTx, count: number): Promise<number[]> {
  if (count === 0) return [];
  const rows = await db.execute<{ value: string }>(
    sql`select nextval(${invoiceOcrSeq.seqName}) as value from generate_series(1, ${count})`,
  );
  return rows.map((row) => Number(row.value));
}

/** Which of these references the supplier's invoices already have. */
async function takenOcrs(db: DbOrTx, supplierId: string, ocrs: readonly string[]): Promise<Set<string>> {
  const taken = new Set<string>();
  for (const chunk of chunks([...new Set(ocrs)], 5000)) {
    const rows = await db
      .select({ ocr: invoices.ocr })
      .from(invoices)
      .where(and(eq(invoices.supplierId, supplierId), inArray(invoices.ocr, chunk)));
    for (const row of rows) taken.add(row.ocr);
  }
  return taken;
}

/** The reference an all-digit invoice number gives (plus length and check digit), when it fits. */
function ocrFromInvoiceNumber(invoiceNumber: string): string | undefined {
  return /^\d+$/.test(invoiceNumber) && invoiceNumber.length + 2 <= OCR_MAX_LENGTH ? makeOcr(invoiceNumber) : undefined;
}

/** Sequence values can meet references derived from numbers; skipping those is rare and cheap. */
const SEQUENCE_ATTEMPTS = 100;

/**
 * The references of many invoices, in order, by the rules of insertApiInvoice (none given) and of a
 * given one (kept unless taken: then null, a conflict), as if each invoice were inserted before
 * the next is looked at; in three round trips instead of one or two per invoice.
 */
export async function allocateOcrs(
  db: DbOrTx,
  supplierId: string,
  items: readonly { number: string; ocr?: string | undefined }[],
): Promise<(string | null)[]> {
  const derived = items.map((item) => (item.ocr === undefined ? ocrFromInvoiceNumber(item.number) : undefined));
  const needed = items.filter((item, index) => item.ocr === undefined && derived[index] === undefined).length;
  const pool = (await nextOcrSequenceValues(db, needed)).map(makeOcrFromNumber);
  const given = items.flatMap((item) => (item.ocr === undefined ? [] : [item.ocr]));
  const taken = await takenOcrs(db, supplierId, [...given, ...derived.filter((ocr) => ocr !== undefined), ...pool]);

  const fromSequence = async (): Promise<string> => {
    for (let attempt = 0; attempt < SEQUENCE_ATTEMPTS; attempt++) {
      if (pool.length === 0) {
        // Only when derived references were taken: a few more values, checked together.
        const more = (await nextOcrSequenceValues(db, 8)).map(makeOcrFromNumber);
        for (const ocr of await takenOcrs(db, supplierId, more)) taken.add(ocr);
        pool.push(...more);
      }
      const candidate = pool.shift()!;
      if (!taken.has(candidate)) return candidate;
    }
    throw new Error(`no free OCR reference after ${SEQUENCE_ATTEMPTS} sequence values`);
  };

  const chosen: (string | null)[] = [];
  for (const [index, item] of items.entries()) {
    const fromNumber = derived[index];
    let ocr: string | null;
    if (item.ocr !== undefined) ocr = taken.has(item.ocr) ? null : item.ocr;
    else ocr = fromNumber !== undefined && !taken.has(fromNumber) ? fromNumber : await fromSequence();
    // The next invoices see it as taken, as they would after this one's insert.
    if (ocr !== null) taken.add(ocr);
    chosen.push(ocr);
  }
  return chosen;
}

/** One invoice line as the payer's page and the printed copy read it (see invoiceLinesJson). */
export type InvoiceLineJson = {
  position: number;
  description: string;
  /** Decimal text as stored, e.g. "2.500". */
  quantity: string;
  unit: string | null;
  unitPrice: number;
  /** Percent as decimal text, e.g. "25.00". */
  vatRate: string;
  net: number;
  vat: number;
};

/** The invoice's lines as one JSON array, in order (amounts are safe integers, decimals text). */
export const invoiceLinesJson = sql<InvoiceLineJson[]>`coalesce((
    select json_agg(json_build_object(
      'position', l.position, 'description', l.description, 'quantity', l.quantity::text, 'unit', l.unit,
      'unitPrice', l.unit_price, 'vatRate', l.vat_rate::text, 'net', l.net, 'vat', l.vat
    ) order by l.position)
    from ${invoiceLines} l where l.invoice_id = ${invoices.id}
  ), '[]')`.mapWith((value: string | InvoiceLineJson[]) => (typeof value === "string" ? JSON.parse(value) : value));

/** The facts every view of an invoice starts from: the API, the payer's page, the printed copy. */
export const invoiceFactColumns = {
  id: invoices.id,
  number: invoices.number,
  currency: invoices.currency,
  issueDate: invoices.issueDate,
  dueDate: invoices.dueDate,
  totalNet: invoices.totalNet,
  totalVat: invoices.totalVat,
  rounding: invoices.rounding,
  total: invoices.total,
  amountPaid: invoices.amountPaid,
  ocr: invoices.ocr,
};

/** The supplier as the payee of its invoices: who it is and where to pay, for the payer's page and the printed copy. */
export const supplierPayeeColumns = {
  name: suppliers.name,
  orgNumber: suppliers.orgNumber,
  vatNumber: suppliers.vatNumber,
  bankgiro: suppliers.bankgiro,
  plusgiro: suppliers.plusgiro,
  iban: suppliers.iban,
  bic: suppliers.bic,
  swishNumber: suppliers.swishNumber,
};

/** Join conditions from an invoice to its supplier and to its own customer (a customer id of another supplier never joins). */
export const invoiceSupplierJoin = eq(suppliers.id, invoices.supplierId);
export const invoiceCustomerJoin = and(eq(customers.id, invoices.customerId), eq(customers.supplierId, invoices.supplierId));

/** One invoice of the supplier: unknown and foreign ids alike match nothing. */
export const invoiceOfSupplier = (scope: { supplierId: string; invoiceId: string }) =>
  and(eq(invoices.supplierId, scope.supplierId), eq(invoices.id, scope.invoiceId));

/** What the API shows of an invoice itself. */
const apiInvoiceColumns = {
  ...invoiceFactColumns,
  paymentReportedUntil: invoices.paymentReportedUntil,
  remindersPausedAt: invoices.remindersPausedAt,
  remindersPausedUntil: invoices.remindersPausedUntil,
  remindersPausedBy: invoices.remindersPausedBy,
  remindersPausedById: invoices.remindersPausedById,
  remindersPauseReason: invoices.remindersPauseReason,
  confirmedAt: invoices.confirmedAt,
  confirmedBy: invoices.confirmedBy,
  confirmedReference: invoices.confirmedReference,
  confirmedCostCentre: invoices.confirmedCostCentre,
  confirmedContentHash: invoices.confirmedContentHash,
  disputed: invoices.disputed,
  deliveryStatus: invoices.deliveryStatus,
  cancelledAt: invoices.cancelledAt,
  creditsInvoiceId: invoices.creditsInvoiceId,
  createdAt: invoices.createdAt,
  // Microseconds survive here, unlike in a JS Date; cursors need them to neither skip nor repeat.
  createdAtExact: sql<string>`to_char(${invoices.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
};

/** What the API shows of an invoice, with its customer (one row per invoice). */
const apiColumns = {
  ...apiInvoiceColumns,
  customer: { id: customers.id, externalId: customers.externalId, name: customers.name, contactsConfirmedAt: customers.contactsConfirmedAt },
};

type Invoice = typeof invoices.$inferSelect;
/** Bookkeeping columns the API does not show (the pay link is its own route). */
type InternalColumns = "supplierId" | "customerId" | "linkVersion" | "paidAt" | "updatedAt" | "payCodeHash" | "payCodeKeyId" | "payLinkId" | "overdueAnnouncedAt";
type ApiInvoiceBase = Omit<Invoice, InternalColumns> & {
  createdAtExact: string;
  customer: { id: string; externalId: string | null; name: string; contactsConfirmedAt: Date | null };
};
export type ApiInvoiceRow = ApiInvoiceBase & { lines: InvoiceLineRow[] };

async function withLines(db: DbOrTx, rows: ApiInvoiceBase[]): Promise<ApiInvoiceRow[]> {
  if (rows.length === 0) return [];
  const lines = await db
    .select()
    .from(invoiceLines)
    .where(inArray(invoiceLines.invoiceId, rows.map((row) => row.id)))
    .orderBy(asc(invoiceLines.invoiceId), asc(invoiceLines.position));
  const byInvoice = new Map<string, InvoiceLineRow[]>();
  for (const line of lines) {
    const list = byInvoice.get(line.invoiceId) ?? [];
    list.push(line);
    byInvoice.set(line.invoiceId, list);
  }
  return rows.map((row) => ({ ...row, lines: byInvoice.get(row.id) ?? [] }));
}

export type InsertedInvoice =
  | { ok: true; row: Omit<ApiInvoiceRow, "customer"> }
  | { ok: false; taken: "number" | "ocr" };

/**
 * Inserts an invoice and its lines and answers them as the API shows them, without reading them
 * back. The number and a given OCR reference are checked by their unique indexes (also against a
 * concurrent insert); without one, the reference is the invoice number itself (plus length and check digit) when it is all
 * digits, so payer, supplier and bank see the same number, or else (or when that is taken) the next
 * free value of the shared sequence, each tried in the insert itself. So
 * the usual invoice costs two statements (three with a sequence value) instead of six.
 */
export async function insertApiInvoice(
  db: DbOrTx,
  invoice: Omit<NewInvoice, "ocr">,
  lines: NewInvoiceLine[],
  givenOcr: string | undefined,
): Promise<InsertedInvoice> {
  let ocr = givenOcr ?? ocrFromInvoiceNumber(invoice.number) ?? makeOcrFromNumber(await nextOcrSequenceValue(db));
  for (let attempt = 0; attempt <= SEQUENCE_ATTEMPTS; attempt++) {
    const [row] = await db.insert(invoices).values({ ...invoice, ocr }).onConflictDoNothing().returning(apiInvoiceColumns);
    if (row) {
      const inserted = await db.insert(invoiceLines).values(lines.map((line) => ({ ...line, invoiceId: invoice.id }))).returning();
      return { ok: true, row: { ...row, lines: inserted.sort((a, b) => a.position - b.position) } };
    }
    // Nothing written: the number is taken, or the reference is (then the next sequence value).
    if (await isInvoiceNumberTaken(db, invoice.supplierId, invoice.number)) return { ok: false, taken: "number" };
    if (givenOcr !== undefined) return { ok: false, taken: "ocr" };
    ocr = makeOcrFromNumber(await nextOcrSequenceValue(db));
  }
  throw new Error(`no free OCR reference after ${SEQUENCE_ATTEMPTS} sequence values`);
}

export async function findApiInvoice(db: DbOrTx, supplierId: string, id: string): Promise<ApiInvoiceRow | undefined> {
  const rows = await db
    .select(apiColumns)
    .from(invoices)
    .innerJoin(customers, eq(customers.id, invoices.customerId))
    .where(and(eq(invoices.supplierId, supplierId), eq(invoices.id, id)))
    .limit(1);
  const [row] = await withLines(db, rows);
  return row;
}

/**
 * The same rules as apiStatus in the domain, as SQL, so filtering and paging happen in the
 * database. `today` is the supplier's date (YYYY-MM-DD).
 */
function statusCondition(status: ApiInvoiceStatus, today: string): SQL {
  const outstanding = and(isNull(invoices.cancelledAt), gt(invoices.total, 0), lt(invoices.amountPaid, invoices.total))!;
  switch (status) {
    case "cancelled":
      return isNotNull(invoices.cancelledAt);
    case "paid":
      return and(isNull(invoices.cancelledAt), or(lte(invoices.total, 0), gte(invoices.amountPaid, invoices.total)))!;
    case "overdue":
      return and(outstanding, lt(invoices.dueDate, today))!;
    case "open":
      return and(outstanding, gte(invoices.dueDate, today))!;
  }
}

export type InvoiceCursor = { createdAt: string; id: string };

export type InvoiceListFilter = {
  customerId?: string;
  status?: ApiInvoiceStatus;
  /** Dates as YYYY-MM-DD; each range is half-open: from ≤ date < before. */
  issuedFrom?: string;
  issuedBefore?: string;
  dueFrom?: string;
  dueBefore?: string;
  today: string;
  after?: InvoiceCursor;
  limit: number;
};

/** Newest first; fetches one row more than asked so the caller knows whether a next page exists. */
export async function listApiInvoices(
  db: DbOrTx,
  supplierId: string,
  filter: InvoiceListFilter,
): Promise<{ rows: ApiInvoiceRow[]; hasMore: boolean }> {
  const conditions: SQL[] = [eq(invoices.supplierId, supplierId)];
  if (filter.customerId) conditions.push(eq(invoices.customerId, filter.customerId));
  if (filter.status) conditions.push(statusCondition(filter.status, filter.today));
  if (filter.issuedFrom) conditions.push(gte(invoices.issueDate, filter.issuedFrom));
  if (filter.issuedBefore) conditions.push(lt(invoices.issueDate, filter.issuedBefore));
  if (filter.dueFrom) conditions.push(gte(invoices.dueDate, filter.dueFrom));
  if (filter.dueBefore) conditions.push(lt(invoices.dueDate, filter.dueBefore));
  if (filter.after) {
    conditions.push(sql`(${invoices.createdAt}, ${invoices.id}) < (${filter.after.createdAt}::timestamptz, ${filter.after.id})`);
  }
  const rows = await db
    .select(apiColumns)
    .from(invoices)
    .innerJoin(customers, eq(customers.id, invoices.customerId))
    .where(and(...conditions))
    .orderBy(desc(invoices.createdAt), desc(invoices.id))
    .limit(filter.limit + 1);
  const page = rows.slice(0, filter.limit);
  return { rows: await withLines(db, page), hasMore: rows.length > filter.limit };
}

export async function invoiceExists(db: DbOrTx, supplierId: string, id: string): Promise<boolean> {
  const [row] = await db
    .select({ id: invoices.id })
    .from(invoices)
    .where(and(eq(invoices.supplierId, supplierId), eq(invoices.id, id)))
    .limit(1);
  return row !== undefined;
}

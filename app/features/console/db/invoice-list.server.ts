// The console's invoice list query: the supplier's invoices by filter, search and sort, one keyset
// page at a time. Every condition is one an index of migration 0022 serves (the sort key's
// (supplier_id, key, id) index, or a status's partial index), so the first page and the
// ten-thousandth cost the same at a million invoices (bench/console.ts measures it).
import { and, asc, desc, eq, gt, gte, isNotNull, isNull, lt, lte, or, sql, type SQL } from "drizzle-orm";
import { customers, invoices, suppliers } from "../../../../db/schema";
import type { DbOrTx } from "../../../../db/client";
import type { ConsoleInvoiceStatus, InvoiceListQuery, InvoiceSortKey } from "~/domain/console-invoice-list";

export type InvoiceListRow = {
  id: string;
  number: string;
  ocr: string;
  currency: string;
  issueDate: string;
  dueDate: string;
  total: number;
  amountPaid: number;
  cancelledAt: Date | null;
  disputed: boolean;
  deliveryStatus: "none" | "pending" | "approved" | "problem";
  customerId: string;
  customerName: string;
};

const columns = {
  id: invoices.id,
  number: invoices.number,
  ocr: invoices.ocr,
  currency: invoices.currency,
  issueDate: invoices.issueDate,
  dueDate: invoices.dueDate,
  total: invoices.total,
  amountPaid: invoices.amountPaid,
  cancelledAt: invoices.cancelledAt,
  disputed: invoices.disputed,
  deliveryStatus: invoices.deliveryStatus,
  customerId: customers.id,
  customerName: customers.name,
};

/**
 * The domain's consoleInvoiceStatuses as SQL. The partial indexes of migration 0022 repeat these
 * conditions word for word: keep them together.
 */
export function consoleStatusCondition(status: ConsoleInvoiceStatus, today: string): SQL {
  const notCancelled = isNull(invoices.cancelledAt);
  const outstanding = and(notCancelled, gt(invoices.total, 0), lt(invoices.amountPaid, invoices.total))!;
  switch (status) {
    case "cancelled":
      return isNotNull(invoices.cancelledAt);
    case "paid":
      return and(notCancelled, or(lte(invoices.total, 0), gte(invoices.amountPaid, invoices.total)))!;
    case "overdue":
      return and(outstanding, lt(invoices.dueDate, today))!;
    case "open":
      return and(outstanding, gte(invoices.dueDate, today))!;
    case "disputed":
      return and(notCancelled, eq(invoices.disputed, true))!;
    case "delivery_problem":
      return and(notCancelled, eq(invoices.deliveryStatus, "problem"))!;
  }
}

const SORT_COLUMN = { due: invoices.dueDate, issued: invoices.issueDate, amount: invoices.total, number: invoices.number } as const;

function keyValue(sort: InvoiceSortKey, key: string): SQL {
  if (sort === "amount") return sql`${key}::bigint`;
  if (sort === "number") return sql`${key}::text`;
  return sql`${key}::date`;
}

/** The next string after every string that starts with `prefix`, in byte order (text_pattern_ops). */
function prefixEnd(prefix: string): string | undefined {
  const last = prefix.codePointAt(prefix.length - 1);
  if (last === undefined || last >= 0x10ffff) return undefined;
  return prefix.slice(0, -1) + String.fromCodePoint(last + 1);
}

const likeEscape = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** How many customers a name search looks at; a wider search should name more of the customer. */
const CUSTOMER_MATCHES = 200;

/**
 * The start of an invoice number, an OCR reference (spaces ignored) or part of a customer's name.
 * The three are separate index scans OR-ed together (the customers' ids as an array, which an
 * index condition can use, rather than a subquery it cannot).
 */
function searchCondition(supplierId: string, search: string): SQL {
  const end = prefixEnd(search);
  const byNumber = end
    ? sql`(${invoices.number} ~>=~ ${search} and ${invoices.number} ~<~ ${end})`
    : sql`${invoices.number} like ${`${likeEscape(search)}%`}`;
  const digits = search.replace(/\s/g, "");
  const byOcr = /^\d{2,25}$/.test(digits) ? eq(invoices.ocr, digits) : undefined;
  const byCustomer = sql`${invoices.customerId} = any(array(
    select ${customers.id} from ${customers}
    where ${customers.supplierId} = ${supplierId} and ${customers.name} ilike ${`%${likeEscape(search)}%`}
    limit ${CUSTOMER_MATCHES}))`;
  return or(byNumber, byOcr, byCustomer)!;
}

export function invoiceListConditions(supplierId: string, query: InvoiceListQuery, today: string): SQL {
  const conditions: SQL[] = [eq(invoices.supplierId, supplierId)];
  if (query.status) conditions.push(consoleStatusCondition(query.status, today));
  if (query.customerId) conditions.push(eq(invoices.customerId, query.customerId));
  if (query.issuedFrom) conditions.push(gte(invoices.issueDate, query.issuedFrom));
  if (query.issuedTo) conditions.push(lte(invoices.issueDate, query.issuedTo));
  if (query.dueFrom) conditions.push(gte(invoices.dueDate, query.dueFrom));
  if (query.dueTo) conditions.push(lte(invoices.dueDate, query.dueTo));
  if (query.amountMin !== undefined) conditions.push(gte(invoices.total, query.amountMin));
  if (query.amountMax !== undefined) conditions.push(lte(invoices.total, query.amountMax));
  if (query.search) conditions.push(searchCondition(supplierId, query.search));
  if (query.after) {
    const column = SORT_COLUMN[query.sort];
    const key = keyValue(query.sort, query.after.key);
    conditions.push(query.direction === "asc"
      ? sql`(${column}, ${invoices.id}) > (${key}, ${query.after.id})`
      : sql`(${column}, ${invoices.id}) < (${key}, ${query.after.id})`);
  }
  return and(...conditions)!;
}

/** One page; fetches one row more than asked so the caller knows whether a next page exists. */
export async function listConsoleInvoices(
  db: DbOrTx,
  supplierId: string,
  query: InvoiceListQuery,
  today: string,
  limit: number,
): Promise<{ rows: InvoiceListRow[]; hasMore: boolean }> {
  const order = query.direction === "asc" ? asc : desc;
  const rows = await db
    .select(columns)
    .from(invoices)
    .innerJoin(customers, eq(customers.id, invoices.customerId))
    .where(invoiceListConditions(supplierId, query, today))
    .orderBy(order(SORT_COLUMN[query.sort]), order(invoices.id))
    .limit(limit + 1);
  return { rows: rows.slice(0, limit), hasMore: rows.length > limit };
}

/** The customer a filter names, when it is this supplier's. */
export async function findListCustomer(db: DbOrTx, supplierId: string, customerId: string): Promise<{ id: string; name: string } | undefined> {
  const [row] = await db
    .select({ id: customers.id, name: customers.name })
    .from(customers)
    .where(and(eq(customers.supplierId, supplierId), eq(customers.id, customerId)))
    .limit(1);
  return row;
}

/** The supplier's time zone: "today", and so open versus overdue, is the supplier's date. */
export async function supplierTimeZone(db: DbOrTx, supplierId: string): Promise<string> {
  const [row] = await db.select({ timeZone: suppliers.timeZone }).from(suppliers).where(eq(suppliers.id, supplierId)).limit(1);
  return row?.timeZone ?? "Europe/Stockholm";
}

// The console's invoice list (/app/invoices) and its CSV export: the same query, so the file holds
// exactly the invoices the filters show (every page of them, streamed a keyset batch at a time so
// a million rows never sit in memory).
import type { Db } from "../../../db/client";
import { csvLine } from "~/domain/csv";
import { toMajorUnitString, isSupportedCurrency } from "~/domain/money";
import { todayIn } from "~/domain/invoice-status";
import {
  consoleInvoiceStatuses, cursorAfter, cursorKey, parseInvoiceListQuery, type ConsoleInvoiceStatus, type InvoiceListField, type InvoiceListQuery,
} from "~/domain/console-invoice-list";
import { findListCustomer, listConsoleInvoices, supplierTimeZone, type InvoiceListRow } from "./db/invoice-list.server";

export const INVOICE_PAGE_SIZE = 50;
const EXPORT_BATCH = 1000;

export type InvoiceListItem = {
  id: string;
  number: string;
  ocr: string;
  currency: string;
  issueDate: string;
  dueDate: string;
  total: number;
  balance: number;
  statuses: ConsoleInvoiceStatus[];
  customer: { id: string; name: string };
};

export type InvoiceListPage = {
  query: InvoiceListQuery;
  errors: InvoiceListField[];
  customer: { id: string; name: string } | null;
  items: InvoiceListItem[];
  /** The `after` of the next page, or null on the last. */
  next: string | null;
};

function item(row: InvoiceListRow, today: string): InvoiceListItem {
  const facts = {
    dueDate: row.dueDate, today, total: row.total, amountPaid: row.amountPaid, cancelledAt: row.cancelledAt, disputed: row.disputed,
    deliveryProblem: row.deliveryStatus === "problem",
  };
  return {
    id: row.id,
    number: row.number,
    ocr: row.ocr,
    currency: row.currency,
    issueDate: row.issueDate,
    dueDate: row.dueDate,
    total: row.total,
    balance: Math.max(row.total - row.amountPaid, 0),
    statuses: consoleInvoiceStatuses(facts),
    customer: { id: row.customerId, name: row.customerName },
  };
}

/** One page of the list for the URL's query; a query with a wrong value shows no rows, only what is wrong. */
export async function invoiceListPage(db: Db, supplierId: string, params: URLSearchParams, now: Date): Promise<InvoiceListPage> {
  const { query, errors } = parseInvoiceListQuery(params);
  const [today, customer] = await Promise.all([
    supplierTimeZone(db, supplierId).then((zone) => todayIn(zone, now)),
    query.customerId ? findListCustomer(db, supplierId, query.customerId) : undefined,
  ]);
  if (errors.length > 0) return { query, errors, customer: customer ?? null, items: [], next: null };
  const { rows, hasMore } = await listConsoleInvoices(db, supplierId, query, today, INVOICE_PAGE_SIZE);
  const last = rows.at(-1);
  return {
    query,
    errors,
    customer: customer ?? null,
    items: rows.map((row) => item(row, today)),
    next: hasMore && last ? cursorAfter(last, query.sort) : null,
  };
}

const CSV_HEADER = ["invoice_id", "number", "ocr", "customer_id", "customer", "issue_date", "due_date", "currency", "total", "balance", "status"];

const major = (minor: number, currency: string) => (isSupportedCurrency(currency) ? toMajorUnitString(minor, currency) : String(minor));

function csvRow(entry: InvoiceListItem): string {
  return csvLine([
    entry.id, entry.number, entry.ocr, entry.customer.id, entry.customer.name, entry.issueDate, entry.dueDate, entry.currency,
    major(entry.total, entry.currency), major(entry.balance, entry.currency), entry.statuses.join(" "),
  ]);
}

/**
 * The filtered list as CSV (UTF-8 with a BOM for Excel; cells that would run as formulas are
 * neutralised by csvLine: customer names come from ERPs and payers). Null when the query has a
 * wrong value: the page says which.
 */
export async function invoiceListCsv(db: Db, supplierId: string, params: URLSearchParams, now: Date): Promise<ReadableStream<Uint8Array> | null> {
  const parsed = parseInvoiceListQuery(params);
  if (parsed.errors.length > 0) return null;
  // Every row from the first, whatever page the clerk was looking at.
  const { after: _page, ...query } = parsed.query;
  const today = todayIn(await supplierTimeZone(db, supplierId), now);
  const encoder = new TextEncoder();
  let cursor: InvoiceListQuery["after"];
  let started = false;
  let done = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(`\ufeff${csvLine(CSV_HEADER)}`));
        return;
      }
      if (done) return controller.close();
      const { rows, hasMore } = await listConsoleInvoices(db, supplierId, { ...query, ...(cursor ? { after: cursor } : {}) }, today, EXPORT_BATCH);
      controller.enqueue(encoder.encode(rows.map((row) => csvRow(item(row, today))).join("")));
      const last = rows.at(-1);
      if (!hasMore || !last) done = true;
      else cursor = { key: cursorKey(last, query.sort), id: last.id };
    },
  });
}

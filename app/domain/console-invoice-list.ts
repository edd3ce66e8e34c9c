// The console's invoice list as a URL: every filter, the search, the sort and the page live in the
// query string (a GET form, so it works without JavaScript and a link can be shared). Parsing is
// pure: a wrong value is named, never silently dropped, so the list shown is the list asked for.
import { apiStatus, type InvoiceFacts } from "./invoice-status";
import { isPublicId } from "./public-id";

/** The statuses a clerk filters by; the first four come from apiStatus, the last two are flags. */
export const CONSOLE_INVOICE_STATUSES = ["open", "overdue", "disputed", "delivery_problem", "paid", "cancelled"] as const;
export type ConsoleInvoiceStatus = (typeof CONSOLE_INVOICE_STATUSES)[number];

export const INVOICE_SORT_KEYS = ["due", "issued", "amount", "number"] as const;
export type InvoiceSortKey = (typeof INVOICE_SORT_KEYS)[number];

/** Where the previous page ended: the sort key's value and the id (ties broken by id). */
export type InvoiceListCursor = { key: string; id: string };

export type InvoiceListQuery = {
  status?: ConsoleInvoiceStatus;
  customerId?: string;
  /** Inclusive dates, YYYY-MM-DD. */
  issuedFrom?: string;
  issuedTo?: string;
  dueFrom?: string;
  dueTo?: string;
  /** Inclusive, minor units. */
  amountMin?: number;
  amountMax?: number;
  search?: string;
  sort: InvoiceSortKey;
  direction: "asc" | "desc";
  after?: InvoiceListCursor;
};

export type InvoiceListField = "status" | "customer" | "issued_from" | "issued_to" | "due_from" | "due_to" | "amount_min" | "amount_max" | "q" | "sort" | "dir" | "after";

export type ParsedInvoiceListQuery = { query: InvoiceListQuery; errors: InvoiceListField[] };

/**
 * The statuses a row shows: its payment status (open, overdue, paid, cancelled: the API's), and
 * "disputed" and "delivery problem" while the invoice is not cancelled. The list's SQL filter
 * (features/console/db/invoice-list.server.ts) states the same rules; a test holds them together.
 */
export function consoleInvoiceStatuses(facts: InvoiceFacts & { deliveryProblem: boolean }): ConsoleInvoiceStatus[] {
  const statuses: ConsoleInvoiceStatus[] = [apiStatus(facts)];
  if (facts.cancelledAt === null && facts.disputed) statuses.push("disputed");
  if (facts.cancelledAt === null && facts.deliveryProblem) statuses.push("delivery_problem");
  return statuses;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isCalendarDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

/**
 * An amount as people type it ("1 234,50", "1234.5", "1234") in minor units with two decimals
 * (SEK and EUR, the currencies a supplier invoices in); undefined when it is not one.
 */
export function parseAmountInput(text: string): number | undefined {
  const compact = text.replace(/[\s\u00a0]/g, "").replace(",", ".");
  const match = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(compact);
  if (!match) return undefined;
  return Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
}

/** A cursor as text: the key, then the id after the last "~" (ids never hold one). */
export function encodeCursor(cursor: InvoiceListCursor): string {
  return `${cursor.key}~${cursor.id}`;
}

function decodeCursor(text: string, sort: InvoiceSortKey): InvoiceListCursor | undefined {
  const split = text.lastIndexOf("~");
  if (split < 0) return undefined;
  const key = text.slice(0, split);
  const id = text.slice(split + 1);
  if (!isPublicId("inv", id)) return undefined;
  const keyOk = sort === "amount" ? /^-?\d{1,15}$/.test(key) : sort === "number" ? key.length > 0 && key.length <= 200 : isCalendarDate(key);
  return keyOk ? { key, id } : undefined;
}

const SEARCH_MAX = 100;

/** The list's query from the URL; unknown parameters are ignored, wrong values named in `errors`. */
export function parseInvoiceListQuery(params: URLSearchParams): ParsedInvoiceListQuery {
  const errors: InvoiceListField[] = [];
  const text = (name: InvoiceListField) => (params.get(name) ?? "").trim();
  const query: InvoiceListQuery = { sort: "due", direction: "asc" };

  /** The parsed value, or undefined with the field named as wrong. */
  const check = <T>(name: InvoiceListField, value: T | undefined): T | undefined => {
    if (value === undefined) errors.push(name);
    return value;
  };
  const oneOf = <T extends string>(values: readonly T[], value: string): T | undefined => (values as readonly string[]).includes(value) ? (value as T) : undefined;

  const sort = text("sort");
  if (sort) query.sort = check("sort", oneOf(INVOICE_SORT_KEYS, sort)) ?? query.sort;
  const dir = text("dir");
  if (dir) query.direction = check("dir", oneOf(["asc", "desc"] as const, dir)) ?? query.direction;
  const status = text("status");
  if (status) query.status = check("status", oneOf(CONSOLE_INVOICE_STATUSES, status));
  const customer = text("customer");
  if (customer) query.customerId = check("customer", isPublicId("cus", customer) ? customer : undefined);

  const dates = [["issued_from", "issuedFrom"], ["issued_to", "issuedTo"], ["due_from", "dueFrom"], ["due_to", "dueTo"]] as const;
  for (const [name, key] of dates) {
    const value = text(name);
    if (value) query[key] = check(name, isCalendarDate(value) ? value : undefined);
  }
  const amounts = [["amount_min", "amountMin"], ["amount_max", "amountMax"]] as const;
  for (const [name, key] of amounts) {
    const value = text(name);
    if (value) query[key] = check(name, parseAmountInput(value));
  }

  const search = text("q");
  if (search) query.search = check("q", search.length <= SEARCH_MAX ? search : undefined);
  const after = params.get("after") ?? "";
  if (after) query.after = check("after", decodeCursor(after, query.sort));
  // Unset keys stay absent rather than present as undefined.
  for (const key of Object.keys(query) as (keyof InvoiceListQuery)[]) if (query[key] === undefined) delete query[key];
  return { query, errors };
}

type SortableRow = { id: string; dueDate: string; issueDate: string; total: number; number: string };

/** A row's value of the sort key, as a cursor holds it. */
export function cursorKey(row: SortableRow, sort: InvoiceSortKey): string {
  return sort === "due" ? row.dueDate : sort === "issued" ? row.issueDate : sort === "amount" ? String(row.total) : row.number;
}

/** The `after` of the page that follows a row. */
export function cursorAfter(row: SortableRow, sort: InvoiceSortKey): string {
  return encodeCursor({ key: cursorKey(row, sort), id: row.id });
}

// Invoices from a CSV table: one row per invoice line, rows grouped into invoices by `number`.
// People write amounts in major units ("1 250,50"); they become the API's create body in minor
// units, with net, VAT and totals computed by the same rounding the API checks (invoice-totals),
// so the import goes through exactly the validation and use case of POST /api/v1/invoices.
import { readCsvRow, scanCsv, type CsvError, type CsvRecordRef, type CsvSource, type CsvTable } from "./csv";
import { expectedLineNet, expectedVat } from "./invoice-totals";
import { currencyExponent, isSupportedCurrency } from "./money";

export type RowError = { line: number; field: string; message: string };

export type CsvInvoice = {
  number: string;
  /** The CSV line of each invoice line, in order (the first is the invoice's first row). */
  lines: number[];
  /** The body POST /api/v1/invoices would get. */
  input: Record<string, unknown>;
};

const INVOICE_COLUMNS = [
  "number", "currency", "issue_date", "due_date", "ocr",
  "customer_id", "customer_external_id", "customer_name", "customer_email", "customer_org_number", "customer_language",
] as const;
const LINE_COLUMNS = ["description", "quantity", "unit", "unit_price", "vat_rate"] as const;
export const CSV_COLUMNS: readonly string[] = [...INVOICE_COLUMNS, ...LINE_COLUMNS];
const REQUIRED = ["number", "currency", "issue_date", "due_date", "description", "quantity", "unit_price", "vat_rate"] as const;

type InvoiceColumn = (typeof INVOICE_COLUMNS)[number];

const GROUPING = /[ \u00a0\u202f]/g;
const DECIMAL = /^(\d+|\d{1,3}(?:[ \u00a0\u202f]\d{3})+)(?:[.,](\d+))?$/;

/**
 * A decimal as people write it: "1 250,50", "1250.50", "-5", thousands grouped by (no-break)
 * spaces only. A "1,250" or "1.250" is read as a decimal mark, so a currency with two decimals
 * refuses it instead of guessing between 1.25 and 1250.
 */
function parseDecimal(text: string, maxDecimals: number): { whole: string; fraction: string; negative: boolean } | string {
  const trimmed = text.trim();
  const negative = /^[-\u2212]/.test(trimmed);
  const body = negative ? trimmed.slice(1).trimStart() : trimmed;
  const match = DECIMAL.exec(body);
  if (!match) return "is not a number (write e.g. 1 250,50 or 1250.50)";
  const fraction = match[2] ?? "";
  if (fraction.length > maxDecimals) {
    return maxDecimals === 0
      ? `may not have decimals (got ${trimmed}; group thousands with a space: 1 250)`
      : `has ${fraction.length} decimals, at most ${maxDecimals} allowed (got ${trimmed}; group thousands with a space: 1 250)`;
  }
  return { whole: match[1]!.replace(GROUPING, ""), fraction, negative };
}

/** Major units as written to integer minor units of the currency, exactly; or a message. */
export function parseCsvAmount(text: string, exponent: number): number | string {
  const parsed = parseDecimal(text, exponent);
  if (typeof parsed === "string") return parsed;
  const minor = BigInt(parsed.whole + parsed.fraction.padEnd(exponent, "0"));
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) return "is too large";
  return Number(parsed.negative ? -minor : minor);
}

/** A quantity or rate as a JS number; exact for the few decimals allowed (invoice-totals scales them). */
function parseNumber(text: string, maxDecimals: number): number | string {
  const parsed = parseDecimal(text, maxDecimals);
  if (typeof parsed === "string") return parsed;
  if (parsed.whole.length > 12) return "is too large";
  const value = Number(`${parsed.whole}.${parsed.fraction || "0"}`);
  return parsed.negative && value !== 0 ? -value : value;
}

/** The rows of one invoice number. */
type CsvInvoiceGroup = { number: string; rows: { line: number; get: (column: string) => string }[] };
type Group = CsvInvoiceGroup;

function groupRows(table: CsvTable, errors: RowError[]): Group[] {
  const index = new Map(table.header.map((name, position) => [name, position]));
  const groups = new Map<string, Group>();
  for (const row of table.rows) {
    const get = (column: string) => {
      const position = index.get(column);
      return position === undefined ? "" : row.fields[position]!.trim();
    };
    const number = get("number");
    if (number === "") {
      errors.push({ line: row.line, field: "number", message: NO_NUMBER });
      continue;
    }
    let group = groups.get(number);
    if (!group) groups.set(number, (group = { number, rows: [] }));
    group.rows.push({ line: row.line, get });
  }
  return [...groups.values()];
}

function checkHeader(header: readonly string[]): RowError[] {
  const errors: RowError[] = [];
  for (const name of header) {
    if (!CSV_COLUMNS.includes(name)) errors.push({ line: 1, field: name, message: `unknown column; the columns are ${CSV_COLUMNS.join(", ")}` });
  }
  for (const name of REQUIRED) {
    if (!header.includes(name)) errors.push({ line: 1, field: name, message: "this column is required" });
  }
  if (!header.includes("customer_id") && !header.includes("customer_external_id")) {
    errors.push({ line: 1, field: "customer_external_id", message: "give a customer_external_id (with customer_name) or a customer_id column" });
  }
  return errors;
}

/** Invoice fields may repeat on every row of the invoice or be left empty after its first row, but never differ. */
function invoiceFields(group: Group, errors: RowError[]): Partial<Record<InvoiceColumn, string>> {
  const fields: Partial<Record<InvoiceColumn, string>> = {};
  const from: Partial<Record<InvoiceColumn, number>> = {};
  for (const row of group.rows) {
    for (const column of INVOICE_COLUMNS) {
      const value = row.get(column);
      if (value === "") continue;
      const first = fields[column];
      if (first === undefined) {
        fields[column] = value;
        from[column] = row.line;
      } else if (first !== value) {
        errors.push({ line: row.line, field: column, message: `differs from line ${from[column]} of the same invoice (${first})` });
      }
    }
  }
  return fields;
}

function buildInvoice(group: Group, errors: RowError[]): CsvInvoice | undefined {
  const before = errors.length;
  const fields = invoiceFields(group, errors);
  const first = group.rows[0]!.line;
  const currency = (fields.currency ?? "").toUpperCase();
  const exponent = isSupportedCurrency(currency) ? currencyExponent(currency) : undefined;

  let totalNet = 0n;
  let totalVat = 0n;
  const lines = group.rows.map((row) => {
    const problem = (field: string, message: string) => errors.push({ line: row.line, field, message: `${field} ${message}` });
    const quantity = parseNumber(row.get("quantity"), 3);
    if (typeof quantity === "string") problem("quantity", row.get("quantity") === "" ? "is required" : quantity);
    const rateText = row.get("vat_rate").replace(/\s*%$/, "");
    let vatRate = parseNumber(rateText, 2);
    if (typeof vatRate === "number" && (vatRate < 0 || vatRate > 100)) vatRate = "must be a percent from 0 to 100";
    if (typeof vatRate === "string") problem("vat_rate", rateText === "" ? "is required (percent, e.g. 25)" : vatRate);
    // Without a known currency the number of decimals is unknown: the currency error says enough.
    const unitPrice = exponent === undefined ? undefined : parseCsvAmount(row.get("unit_price"), exponent);
    if (typeof unitPrice === "string") problem("unit_price", row.get("unit_price") === "" ? "is required" : unitPrice);
    const unit = row.get("unit");
    if (typeof quantity !== "number" || typeof vatRate !== "number" || typeof unitPrice !== "number") return undefined;
    const net = expectedLineNet(quantity, unitPrice);
    const vat = expectedVat(net, vatRate);
    if (net > BigInt(Number.MAX_SAFE_INTEGER) || -net > BigInt(Number.MAX_SAFE_INTEGER)) {
      problem("unit_price", "× quantity is too large");
      return undefined;
    }
    totalNet += net;
    totalVat += vat;
    return {
      description: row.get("description"),
      quantity,
      ...(unit === "" ? {} : { unit }),
      unit_price: unitPrice,
      vat_rate: vatRate,
      net: Number(net),
      vat: Number(vat),
    };
  });
  if (!fields.currency) errors.push({ line: first, field: "currency", message: "currency is required" });
  else if (exponent === undefined) errors.push({ line: first, field: "currency", message: `currency ${fields.currency} is not supported` });
  if (errors.length > before) return undefined;

  const customer = fields.customer_id
    ? { id: fields.customer_id }
    : {
        external_id: fields.customer_external_id,
        name: fields.customer_name,
        ...(fields.customer_email ? { email: fields.customer_email } : {}),
        ...(fields.customer_org_number ? { org_number: fields.customer_org_number } : {}),
        ...(fields.customer_language ? { language: fields.customer_language.toLowerCase() } : {}),
      };
  const total = totalNet + totalVat;
  return {
    number: group.number,
    lines: group.rows.map((row) => row.line),
    input: {
      number: group.number,
      currency,
      issue_date: fields.issue_date,
      due_date: fields.due_date,
      customer,
      lines,
      total_net: Number(totalNet),
      total_vat: Number(totalVat),
      total: Number(total),
      ...(fields.ocr ? { ocr: fields.ocr } : {}),
    },
  };
}

function csvInvoiceGroups(table: CsvTable): { groups: CsvInvoiceGroup[]; errors: RowError[] } {
  const errors = checkHeader(table.header);
  if (errors.length > 0) return { groups: [], errors };
  if (table.rows.length === 0) return { groups: [], errors: [noRows()] };
  const groups = groupRows(table, errors);
  return { groups, errors };
}

const noRows = (): RowError => ({ line: 1, field: "(file)", message: "the file has a header but no rows" });
const NO_NUMBER = "number is required (rows are grouped into invoices by it)";

/** An invoice's rows as refs into the scanned file: built (csvInvoiceOfRefs) only when its turn comes. */
export type CsvInvoiceRefs = { number: string; rows: CsvRecordRef[] };

export type CsvInvoiceFile = { source: CsvSource; columns: Map<string, number>; groups: CsvInvoiceRefs[]; errors: RowError[] };

/**
 * The file's structure checked and its rows grouped into invoices (in the order each number
 * first appears), keeping only where each row starts: a large file is never held parsed. The
 * errors are those found before any invoice is built: the header, rows without a number.
 */
export function scanCsvInvoices(text: string): { ok: true; file: CsvInvoiceFile } | { ok: false; error: CsvError } {
  const byNumber = new Map<string, CsvInvoiceRefs>();
  const errors: RowError[] = [];
  let rows = 0;
  const scanned = scanCsv(text, (row, ref, header) => {
    rows++;
    const position = header.indexOf("number");
    const number = position === -1 ? "" : row.fields[position]!.trim();
    if (number === "") return void errors.push({ line: row.line, field: "number", message: NO_NUMBER });
    let group = byNumber.get(number);
    if (!group) byNumber.set(number, (group = { number, rows: [] }));
    group.rows.push(ref);
  });
  if (!scanned.ok) return scanned;
  const { source } = scanned;
  const columns = new Map(source.header.map((name, position) => [name, position]));
  const headerErrors = checkHeader(source.header);
  if (headerErrors.length > 0) return { ok: true, file: { source, columns, groups: [], errors: headerErrors } };
  if (rows === 0) return { ok: true, file: { source, columns, groups: [], errors: [noRows()] } };
  return { ok: true, file: { source, columns, groups: [...byNumber.values()], errors } };
}

/** The invoice of a group of a scanned file, or undefined with its rows' problems added to `errors`. */
export function csvInvoiceOfRefs(file: CsvInvoiceFile, refs: CsvInvoiceRefs, errors: RowError[]): CsvInvoice | undefined {
  const rows = refs.rows.map((ref) => {
    const row = readCsvRow(file.source, ref);
    return { line: row.line, get: (column: string) => {
      const position = file.columns.get(column);
      return position === undefined ? "" : row.fields[position]!.trim();
    } };
  });
  return buildInvoice({ number: refs.number, rows }, errors);
}

/** The invoices of a table, and every problem found in its rows; an invoice with a bad row is left out. */
export function invoicesFromCsv(table: CsvTable): { invoices: CsvInvoice[]; errors: RowError[]; count: number } {
  const { groups, errors } = csvInvoiceGroups(table);
  const invoices: CsvInvoice[] = [];
  for (const group of groups) {
    const invoice = buildInvoice(group, errors);
    if (invoice) invoices.push(invoice);
  }
  errors.sort((a, b) => a.line - b.line);
  // count: invoices in the file, valid or not (rows without a number are not counted).
  return { invoices, errors, count: groups.length };
}

/**
 * Where an API field error of an invoice is in the file: `lines[2].unit_price` is the third row's
 * unit_price, `customer.email` the customer_email of the invoice's first row.
 */
export function csvLocation(invoice: CsvInvoice, field: string): { line: number; field: string } {
  const first = invoice.lines[0]!;
  const line = /^lines\[(\d+)\](?:\.(\w+))?/.exec(field);
  if (line) {
    const index = Number(line[1]);
    return { line: invoice.lines[index] ?? first, field: line[2] ?? "description" };
  }
  if (field === "lines") return { line: first, field: "number" };
  if (field === "customer") return { line: first, field: "customer_external_id" };
  if (field.startsWith("customer.")) return { line: first, field: `customer_${field.slice("customer.".length)}` };
  return { line: first, field };
}

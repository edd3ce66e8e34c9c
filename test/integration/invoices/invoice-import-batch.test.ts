// The CSV import's batch path (issue #6: ≥ 500 invoices/s): the same customers, contacts, OCR
// references and audit events as creating each invoice through POST /api/v1/invoices, hundreds
// of invoices in a handful of statements, and one invoice at a time when a batch cannot go through;
// a run that dies halfway is resumed by the next and creates every invoice once.
import { describe, expect, it } from "vitest";
import { and, eq, inArray } from "drizzle-orm";
import { contacts, customers, events, invoiceLines, invoices, links } from "../../../db/schema";
import { connect, type Db } from "../../../db/client";
import { useTestDatabase } from "../../support/database";
import { callRoute, testConfig, testContext } from "../../support/context";
import { tokenFromUrl } from "../../support/fixtures";
import { newSupplier } from "../../support/suppliers";
import { BROWSER_UA } from "../portal/payer-helpers";
import { decodeCsv, parseCsv } from "~/domain/csv";
import { invoicesFromCsv } from "~/domain/invoice-csv";
import { isLuhnValid, makeOcr } from "~/domain/ocr";
import { newPublicId } from "~/domain/public-id";
import { loader as openPortal } from "~/routes/i.$token";
import { startInvoiceImport, type ImportReport } from "~/features/invoices/import/invoice-import.server";
import { getImport, runImport, type RunOptions } from "~/platform/imports/imports.server";
import { createInvoice } from "~/features/invoices/invoices.server";
import { reissueInvoiceLink } from "~/features/links/links.server";

const database = useTestDatabase();
const config = testConfig();

const HEADER = "number;customer_id;customer_external_id;customer_name;customer_email;currency;issue_date;due_date;description;quantity;unit;unit_price;vat_rate;ocr";

type Row = { number: string; customerId?: string; externalId?: string; name?: string; email?: string; ocr?: string; lines?: number };

function csv(rows: Row[]): Uint8Array {
  const text = [HEADER];
  for (const row of rows) {
    const invoice = `${row.number};${row.customerId ?? ""};${row.externalId ?? ""};${row.name ?? ""};${row.email ?? ""};SEK;2026-03-01;2026-03-31`;
    for (let line = 0; line < (row.lines ?? 1); line++) text.push(`${invoice};Rad ${line + 1};2;st;100,00;25;${row.ocr ?? ""}`);
  }
  return Buffer.from(text.join("\n"));
}

type Supplier = { supplierId: string; apiKeyId: string };

/** Queues the import as the API does; answers its id. */
async function queue(supplier: Supplier, rows: Row[], options: { allOrNothing?: boolean } = {}, db: Db = database.get().db) {
  const started = await startInvoiceImport(db, {
    supplierId: supplier.supplierId,
    csv: csv(rows),
    actor: { actor: "supplier", actorId: supplier.apiKeyId },
    options: { all_or_nothing: options.allOrNothing ?? false, dry_run: false },
  });
  if (!started.ok) throw new Error(JSON.stringify(started.problem));
  return started.body.id;
}

/** Runs the import's job (as a worker does) and answers the import. */
async function runQueued(supplier: Supplier, id: string, options: RunOptions = {}, db: Db = database.get().db) {
  await runImport({ ...testContext(database.get(), config).app, db }, id, options);
  return (await getImport(db, supplier.supplierId, id))!;
}

const run = async (supplier: Supplier, rows: Row[], options: { allOrNothing?: boolean } = {}) =>
  (await runQueued(supplier, await queue(supplier, rows, options))).report as ImportReport;

const invoiceIds = async (supplierId: string) =>
  (await database.get().db.select({ id: invoices.id }).from(invoices).where(eq(invoices.supplierId, supplierId))).map((row) => row.id);

/** The audit log of a supplier with generated ids numbered by first appearance, so two suppliers compare. */
async function auditLog(supplierId: string) {
  const rows = await database.get().db
    .select({ type: events.type, data: events.data, customerId: events.customerId, invoiceId: events.invoiceId })
    .from(events)
    .where(eq(events.supplierId, supplierId))
    .orderBy(events.seq);
  const seen = new Map<string, string>();
  const name = (id: unknown) => {
    if (typeof id !== "string" || !/^(cus|inv|con)_/.test(id)) return id;
    if (!seen.has(id)) seen.set(id, `${id.slice(0, 3)}#${seen.size}`);
    return seen.get(id);
  };
  return rows.map((row) => ({
    type: row.type,
    customer: name(row.customerId),
    invoice: name(row.invoiceId),
    data: Object.fromEntries(Object.entries(row.data as Record<string, unknown>).map(([key, value]) => [key, name(value)])),
  }));
}

describe("CSV import in batches", () => {
  it("writes the customers, contacts, OCR references and events that POST /api/v1/invoices writes for each invoice", async () => {
    const batched = await newSupplier(database.get().db, { name: "Batch AB" });
    const single = await newSupplier(database.get().db, { name: "En i taget AB" });
    const existing: Record<string, string> = {};
    for (const supplier of [batched, single]) {
      const made = await createInvoice(database.get().db, config, {
        supplierId: supplier.supplierId,
        apiKeyId: supplier.apiKeyId,
        input: {
          number: "F-0", currency: "SEK", issue_date: "2026-03-01", due_date: "2026-03-31",
          customer: { external_id: "K-OLD", name: "Gammal AB", email: "ap@old.example" },
          lines: [{ description: "Start", quantity: 1, unit_price: 100, vat_rate: 25, net: 100, vat: 25 }],
          total_net: 100, total_vat: 25, total: 125,
        },
      });
      if (!made.ok) throw new Error(JSON.stringify(made.problem));
      existing[supplier.supplierId] = made.invoice.customer.id;
    }
    const rows = (supplierId: string): Row[] => [
      { number: "F-1", externalId: "K-NEW", name: "Ny AB", email: "ny@kund.example", lines: 2 },
      { number: "F-2", externalId: "K-NEW", name: "Ny AB", email: "NY@kund.example" },
      { number: "F-3", externalId: "K-NEW", name: "Nytt Namn AB" },
      { number: "12345", externalId: "K-OLD", name: "Gammal AB", email: "ap@old.example" },
      { number: "F-4", externalId: "K-OLD", name: "Gammal AB", email: "lev@old.example" },
      { number: "F-5", customerId: existing[supplierId]! },
    ];

    const report = await run(batched, rows(batched.supplierId));
    expect(report.errors).toEqual([]);
    expect(report.created.map((row) => row.number)).toEqual(["F-1", "F-2", "F-3", "12345", "F-4", "F-5"]);

    // The same file through createInvoice, invoice by invoice, for the other supplier.
    const decoded = decodeCsv(csv(rows(single.supplierId)));
    const table = decoded.ok ? parseCsv(decoded.text) : decoded;
    if (!table.ok) throw new Error("bad csv");
    for (const invoice of invoicesFromCsv(table.table).invoices) {
      const made = await createInvoice(database.get().db, config, { ...single, input: invoice.input });
      expect(made.ok).toBe(true);
    }

    const withoutLinks = async (supplierId: string) =>
      (await auditLog(supplierId)).filter((event) => event.type !== "link.issued").map(({ data: { ocr: _ocr, ...data }, ...rest }) => ({ ...rest, data }));
    expect(await withoutLinks(batched.supplierId)).toEqual(await withoutLinks(single.supplierId));
    expect((await auditLog(batched.supplierId)).filter((event) => event.type !== "link.issued").map((event) => event.type)).toEqual([
      "customer.created", "contact.created", "invoice.created", // F-0 through the API
      "customer.created", "contact.created", "invoice.created", // F-1
      "invoice.created", // F-2: the same address in other letters is no new contact
      "customer.updated", "invoice.created", // F-3
      "invoice.created", // 12345
      "contact.created", "invoice.created", // F-4
      "invoice.created", // F-5
    ]);

    const { db } = database.get();
    const [renamed] = await db.select().from(customers).where(and(eq(customers.supplierId, batched.supplierId), eq(customers.externalId, "K-NEW")));
    expect(renamed!.name).toBe("Nytt Namn AB");
    const emails = await db.select({ email: contacts.email, customerId: contacts.customerId }).from(contacts).where(eq(contacts.supplierId, batched.supplierId));
    expect(emails.map((row) => row.email).sort()).toEqual(["ap@old.example", "lev@old.example", "ny@kund.example"]);

    const made = await db.select({ id: invoices.id, number: invoices.number, ocr: invoices.ocr }).from(invoices).where(eq(invoices.supplierId, batched.supplierId));
    expect(made.find((invoice) => invoice.number === "12345")!.ocr).toBe(makeOcr("12345"));
    expect(new Set(made.map((invoice) => invoice.ocr)).size).toBe(made.length);
    expect(made.every((invoice) => isLuhnValid(invoice.ocr))).toBe(true);
    const f1 = made.find((invoice) => invoice.number === "F-1")!;
    expect(await db.select({ position: invoiceLines.position }).from(invoiceLines).where(eq(invoiceLines.invoiceId, f1.id))).toHaveLength(2);
  });

  it("issues no link nobody could open; a reissued link opens the imported invoice's page", async () => {
    const supplier = await newSupplier(database.get().db, { name: "Länk AB" });
    const report = await run(supplier, [{ number: "L-1", externalId: "K-1", name: "Kund AB" }]);
    const id = report.created[0]!.id;
    const { db } = database.get();
    expect(await db.select().from(links).where(eq(links.invoiceId, id))).toEqual([]);

    const link = await reissueInvoiceLink(db, config, { id, supplierId: supplier.supplierId }, { actor: "supplier", actorId: supplier.apiKeyId });
    const token = tokenFromUrl(link.url);
    const page = await callRoute(openPortal, testContext(database.get(), config), {
      path: `/i/${token}`, params: { token }, headers: { accept: "text/html", "sec-fetch-mode": "navigate", "user-agent": BROWSER_UA },
    });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("L-1");
  });

  it("creates 1,200 invoices in about a hundred statements, a batch of 500 at a time with its progress", async () => {
    const supplier = await newSupplier(database.get().db, { name: "Många AB" });
    let statements = 0;
    const counted = connect(database.url(), { max: 2, onQuery: () => statements++ });
    const progress: number[] = [];
    try {
      const rows = Array.from({ length: 1200 }, (_, index): Row => ({
        number: `M-${index}`, externalId: `K-${index % 120}`, name: `Kund ${index % 120} AB`, lines: 1 + (index % 3),
      }));
      const id = await queue(supplier, rows, {}, counted.db);
      const done = await runQueued(supplier, id, {
        afterBatch: async () => void progress.push((await getImport(database.get().db, supplier.supplierId, id))!.processed),
      }, counted.db);
      const report = done.report as ImportReport;
      expect(report.errors).toEqual([]);
      expect(report.created).toHaveLength(1200);
      expect(done).toMatchObject({ state: "succeeded", processed: 1200, total: 1200 });
    } finally {
      await counted.close();
    }
    // ~15 per invoice one by one (18,000); about ten per 100 invoices in batches (119 when written), and the import's own.
    expect(statements).toBeGreaterThan(0);
    expect(statements, String(statements)).toBeLessThan(150);
    expect(progress).toEqual([500, 1000, 1200]);
    const { db } = database.get();
    const made = await db.select({ id: invoices.id, ocr: invoices.ocr }).from(invoices).where(eq(invoices.supplierId, supplier.supplierId));
    expect(new Set(made.map((invoice) => invoice.ocr)).size).toBe(1200);
    const lines = await db.select({ id: invoiceLines.invoiceId }).from(invoiceLines).where(inArray(invoiceLines.invoiceId, made.map((invoice) => invoice.id)));
    expect(lines).toHaveLength(2400);
    expect(await db.select({ id: customers.id }).from(customers).where(eq(customers.supplierId, supplier.supplierId))).toHaveLength(120);
  });

  it("a run that dies after two batches is resumed by the next: every invoice created once, the report whole", async () => {
    const supplier = await newSupplier(database.get().db, { name: "Krasch AB" });
    const rows = Array.from({ length: 350 }, (_, index): Row => ({ number: `K-${index}`, externalId: `K-${index % 9}`, name: "Kund AB" }));
    const id = await queue(supplier, rows);
    const dying: RunOptions = {
      batchSize: 100,
      afterBatch: (committed) => {
        if (committed === 2) throw new Error("worker killed");
      },
    };
    await expect(runQueued(supplier, id, dying)).rejects.toThrow("worker killed");
    expect(await getImport(database.get().db, supplier.supplierId, id)).toMatchObject({ state: "running", processed: 200, total: 350 });
    expect(await invoiceIds(supplier.supplierId)).toHaveLength(200);

    const done = await runQueued(supplier, id, { batchSize: 100 });
    expect(done).toMatchObject({ state: "succeeded", processed: 350, attempts: 2 });
    const report = done.report as ImportReport;
    expect(report.skipped).toEqual([]);
    expect(report.created.map((row) => row.number)).toEqual(rows.map((row) => row.number));
    expect(new Set(report.created.map((row) => row.id))).toEqual(new Set(await invoiceIds(supplier.supplierId)));
    expect(await invoiceIds(supplier.supplierId)).toHaveLength(350);
    // The queue running the job once more changes nothing.
    expect(await runQueued(supplier, id)).toMatchObject({ state: "succeeded", attempts: 2 });
  });

  it("redoes a batch one invoice at a time when one of its invoices cannot be created, naming that row", async () => {
    const supplier = await newSupplier(database.get().db, { name: "Fel AB" });
    const report = await run(supplier, [
      { number: "E-1", externalId: "K-1", name: "Kund AB", ocr: "1234567897" },
      { number: "E-2", externalId: "K-1", name: "Kund AB", ocr: "1234567897" },
      { number: "E-3", customerId: newPublicId("cus") },
      { number: "E-4", externalId: "K-2", name: "Andra AB" },
    ]);
    expect(report.created.map((row) => row.number)).toEqual(["E-1", "E-4"]);
    expect(report.errors).toEqual([
      { line: 3, field: "ocr", message: "Another invoice already has this OCR reference." },
      { line: 4, field: "customer_id", message: "no customer with this id" },
    ]);
  });

  it("with all_or_nothing, one bad invoice in a later batch leaves nothing of the earlier ones", async () => {
    const supplier = await newSupplier(database.get().db, { name: "Allt AB" });
    await run(supplier, [{ number: "T-0", externalId: "K-0", name: "Kund AB", ocr: "1234567897" }]);
    const rows = Array.from({ length: 600 }, (_, index): Row => ({ number: `T-${index + 1}`, externalId: `K-${index % 7}`, name: "Kund AB" }));
    rows[550] = { ...rows[550]!, ocr: "1234567897" };
    const report = await run(supplier, rows, { allOrNothing: true });
    expect(report.created).toEqual([]);
    expect(report.errors).toEqual([{ line: 552, field: "ocr", message: "Another invoice already has this OCR reference." }]);
    const left = await database.get().db.select({ number: invoices.number }).from(invoices).where(eq(invoices.supplierId, supplier.supplierId));
    expect(left.map((row) => row.number)).toEqual(["T-0"]);
  });

  it("two imports at once that share new customers create every invoice and each customer once", async () => {
    const supplier = await newSupplier(database.get().db, { name: "Samtidigt AB" });
    const file = (prefix: string) => Array.from({ length: 120 }, (_, index): Row => ({
      number: `${prefix}-${index}`, externalId: `K-${index % 50}`, name: `Kund ${index % 50} AB`, email: `ap${index % 50}@kund.example`,
    }));
    const [one, two] = await Promise.all([run(supplier, file("A")), run(supplier, file("B"))]);
    expect([one.errors, two.errors]).toEqual([[], []]);
    expect(one.created.length + two.created.length).toBe(240);
    const { db } = database.get();
    expect(await db.select({ id: customers.id }).from(customers).where(eq(customers.supplierId, supplier.supplierId))).toHaveLength(50);
    expect(await db.select({ id: contacts.id }).from(contacts).where(eq(contacts.supplierId, supplier.supplierId))).toHaveLength(50);
    const created = await db.select({ id: events.id }).from(events).where(and(eq(events.supplierId, supplier.supplierId), eq(events.type, "customer.created")));
    expect(created).toHaveLength(50);
  });
});

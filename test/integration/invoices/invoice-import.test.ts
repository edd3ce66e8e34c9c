// POST /api/v1/invoices/import through the route module, on a real database: what an ERP
// integration sees (202, then the import's report once the job has run) and what ends up in the tables.
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../../support/database";
import { callRoute, testConfig, testContext } from "../../support/context";
import { newSupplier } from "../../support/suppliers";
import { action } from "~/routes/api.v1.invoices.import";
import { loader as getInvoiceRoute } from "~/routes/api.v1.invoices.$id";
import { loader as getImportRoute } from "~/routes/api.v1.imports.$id";
import { afterImport, readImport, runImports } from "../../support/imports";

const database = useTestDatabase();
const config = testConfig();
const context = () => testContext(database.get(), config);

/** The POST's status, and the import's state and report once the worker has run it. */
async function importCsv(headers: Record<string, string>, body: string | Uint8Array, query = "", type = "text/csv; charset=utf-8") {
  const response = await callRoute(action, context(), {
    method: "POST",
    path: `/api/v1/invoices/import${query}`,
    headers: { ...headers, "content-type": type },
    body: typeof body === "string" ? body : new Blob([Uint8Array.from(body)]),
  });
  const { done } = await afterImport<Report>(context(), response, headers);
  return { status: response.status, response, state: done?.state, problem: done?.problem, report: done?.report as Report };
}

const HEADER = "Number;Customer_External_ID;Customer_Name;Customer_Email;Currency;Issue_Date;Due_Date;Description;Quantity;Unit;Unit_Price;VAT_Rate";
/** Swedish Excel: BOM, semicolons, decimal commas, a quoted field with a newline, CRLF. */
const GOOD = [
  HEADER,
  "F-100;K-1;Kund AB;ap@kund.example;SEK;2026-03-01;2026-03-31;Konsulttimmar;10;h;1 250,50;25",
  'F-100;;;;;;;"Resa\r\nGöteborg–Malmö";1;st;899,00;6',
  "F-101;K-2;\"Bygg & Co; Väst AB\";;SEK;2026-03-02;2026-04-01;Material;3,5;m;99.90;25",
].join("\r\n");
const BOM = "\ufeff";

type Report = {
  status?: number;
  invoices: number;
  created: { line: number; number: string; id: string }[];
  skipped: { line: number; number: string; id: string | null; reason: string }[];
  would_create: { line: number; number: string }[];
  errors: { line: number; field: string; message: string }[];
};

async function invoiceCount(supplierId: string): Promise<number> {
  const [row] = await database.get().sql`select count(*)::int as n from invoices where supplier_id = ${supplierId}`;
  return row!.n as number;
}

describe("POST /api/v1/invoices/import", () => {
  it("creates the invoices of a Swedish Excel CSV with exact amounts, readable through the API", async () => {
    const { supplier, headers } = await newSupplier(database.get().db);
    const { state, report } = await importCsv(headers, BOM + GOOD + "\r\n");
    expect(state).toBe("succeeded");
    expect(report).toMatchObject({ invoices: 2, errors: [], skipped: [] });
    expect(report.created.map(({ line, number }) => [line, number])).toEqual([[2, "F-100"], [5, "F-101"]]);

    const read = await callRoute(getInvoiceRoute, context(), {
      path: `/api/v1/invoices/${report.created[0]!.id}`, params: { id: report.created[0]!.id }, headers,
    });
    expect(await read.json()).toMatchObject({
      number: "F-100",
      customer: { external_id: "K-1", name: "Kund AB" },
      lines: [
        { description: "Konsulttimmar", quantity: 10, unit: "h", unit_price: 125050, vat_rate: 25, net: 1250500, vat: 312625 },
        { description: "Resa\r\nGöteborg–Malmö", quantity: 1, unit: "st", unit_price: 89900, vat_rate: 6, net: 89900, vat: 5394 },
      ],
      total_net: 1340400,
      total_vat: 318019,
      total: 1658419,
    });
    const [second] = await database.get().sql`
      select c.name, i.total_net, i.total from invoices i join customers c on c.id = i.customer_id where i.id = ${report.created[1]!.id}`;
    // 3.5 × 99.90 = 349.65; 25 % VAT 87.41 (87.4125 rounded)
    expect(second).toEqual({ name: "Bygg & Co; Väst AB", total_net: "34965", total: "43706" });
    expect(await invoiceCount(supplier.id)).toBe(2);
  });

  it("answers 202 with the queued import and its Location; a retry with the same key answers that import; other suppliers get a 404", async () => {
    const { supplier, headers } = await newSupplier(database.get().db);
    const other = await newSupplier(database.get().db);
    const post = () => callRoute(action, context(), {
      method: "POST", path: "/api/v1/invoices/import", headers: { ...headers, "content-type": "text/csv", "idempotency-key": "import-1" }, body: GOOD,
    });
    const first = await post();
    expect(first.status).toBe(202);
    const queued = (await first.json()) as { id: string };
    expect(first.headers.get("location")).toBe(`/api/v1/imports/${queued.id}`);
    expect(queued).toMatchObject({
      kind: "invoices_csv", state: "queued", options: { all_or_nothing: false, dry_run: false },
      progress: { processed: 0, total: null }, report: null, problem: null, started_at: null, finished_at: null,
    });
    const retried = await post();
    expect(retried.headers.get("idempotent-replayed")).toBe("true");
    expect(((await retried.json()) as { id: string }).id).toBe(queued.id);

    await runImports(context());
    const done = await readImport<Report>(context(), `/api/v1/imports/${queued.id}`, headers);
    expect(done).toMatchObject({ state: "succeeded", progress: { processed: 2, total: 2 }, problem: null, finished_at: expect.any(String) });
    expect(done.report!.created.map((row) => row.number)).toEqual(["F-100", "F-101"]);
    expect(await (await post()).json()).toMatchObject({ id: queued.id, state: "succeeded" });
    expect(await invoiceCount(supplier.id)).toBe(2);

    const foreign = await callRoute(getImportRoute, context(), { path: `/api/v1/imports/${queued.id}`, params: { id: queued.id }, headers: other.headers });
    expect(foreign.status).toBe(404);
  });

  it("re-running the same file creates nothing new and names the existing invoices", async () => {
    const { supplier, headers } = await newSupplier(database.get().db);
    const first = (await importCsv(headers, GOOD)).report;
    const { state, report } = await importCsv(headers, GOOD);
    expect(state).toBe("succeeded");
    expect(report.created).toEqual([]);
    expect(report.errors).toEqual([]);
    expect(report.skipped).toEqual(first.created.map(({ line, number, id }) => ({ line, number, id, reason: "exists" })));
    expect(await invoiceCount(supplier.id)).toBe(2);
  });

  it("creates the valid invoices and reports each bad row and field", async () => {
    const { supplier, headers } = await newSupplier(database.get().db);
    const csv = [
      HEADER,
      "F-1;K-1;Kund AB;;SEK;2026-03-01;2026-03-31;Ok;1;st;100;25",
      "F-2;K-2;Kund AB;;SEK;2026-03-01;2026-02-01;Due before issue;1;st;100;25",
      "F-3;K-3;Kund AB;not-an-email;SEK;2026-03-01;2026-03-31;Bad email;1;st;100;25",
      "F-4;K-4;Kund AB;;SEK;2026-03-01;2026-03-31;Ambiguous;1;st;1,250;25",
      "F-5;K-5;Kund AB;;SEK;2026-02-30;2026-03-31;No such day;1;st;100;25",
    ].join("\n");
    const { state, report } = await importCsv(headers, csv);
    expect(state).toBe("succeeded");
    expect(report.created.map((row) => row.number)).toEqual(["F-1"]);
    expect(report.errors).toEqual([
      { line: 3, field: "due_date", message: "due_date must not be before issue_date" },
      { line: 4, field: "customer_email", message: "email is not a valid email address" },
      { line: 5, field: "unit_price", message: expect.stringMatching(/3 decimals/) },
      { line: 6, field: "issue_date", message: expect.stringMatching(/real calendar date/) },
    ]);
    expect(await invoiceCount(supplier.id)).toBe(1);
  });

  it("with all_or_nothing creates none when one row is bad (a failed import with the report), all when none is", async () => {
    const { supplier, headers } = await newSupplier(database.get().db);
    const bad = `${GOOD}\nF-102;K-3;Tredje AB;;SEK;2026-03-01;2026-03-31;Bad;x;st;1;25\n`;
    const refused = await importCsv(headers, bad, "?all_or_nothing=true");
    expect(refused.state).toBe("failed");
    expect(refused.problem).toMatchObject({ status: 422, title: "Import failed", detail: expect.stringMatching(/all_or_nothing/) });
    const report = refused.report;
    expect(report.created).toEqual([]);
    expect(report.errors).toEqual([{ line: 6, field: "quantity", message: expect.stringMatching(/not a number/) }]);
    expect(await invoiceCount(supplier.id)).toBe(0);

    // A conflict only the database sees (an OCR another invoice has) rolls back the ones before it too.
    const taken = (await importCsv(headers, `${HEADER};ocr\nF-200;K-1;Kund AB;;SEK;2026-03-01;2026-03-31;A;1;st;1;25;1234567897`)).report;
    expect(taken.created).toHaveLength(1);
    const conflict = await importCsv(
      headers,
      `${HEADER};ocr\nF-201;K-1;Kund AB;;SEK;2026-03-01;2026-03-31;A;1;st;1;25;\nF-202;K-1;Kund AB;;SEK;2026-03-01;2026-03-31;B;1;st;1;25;1234567897`,
      "?all_or_nothing=true",
    );
    expect(conflict.state).toBe("failed");
    expect(conflict.report.errors).toEqual([
      { line: 3, field: "ocr", message: "Another invoice already has this OCR reference." },
    ]);
    expect(await invoiceCount(supplier.id)).toBe(1);

    const accepted = await importCsv(headers, GOOD, "?all_or_nothing=true");
    expect(accepted.state).toBe("succeeded");
    expect(accepted.report.created).toHaveLength(2);
    expect(await invoiceCount(supplier.id)).toBe(3);
  });

  it("dry_run validates and says what would be created, writing nothing", async () => {
    const { supplier, headers } = await newSupplier(database.get().db);
    const { state, report } = await importCsv(headers, GOOD, "?dry_run=true");
    expect(state).toBe("succeeded");
    expect(report).toMatchObject({ created: [], errors: [], would_create: [{ line: 2, number: "F-100" }, { line: 5, number: "F-101" }] });
    expect(await invoiceCount(supplier.id)).toBe(0);
  });

  it.each([
    ["an unterminated quote", `${HEADER}\nF-1;K-1;"Kund AB;;SEK;2026-03-01;2026-03-31;A;1;st;1;25\n`, 2, /not closed/],
    ["a wrong column count", `${HEADER}\nF-1;K-1;Kund AB;SEK;2026-03-01\n`, 2, /5 fields, the header has 12/],
    ["binary data", "PK\u0003\u0004\u0014\u0000\u0006\u0000", 1, /binary/],
    ["Latin-1 text", Uint8Array.from([...Buffer.from(`${HEADER}\n`), 0xc5, 0x0a]), 2, /not UTF-8/],
  ])("fails the import on %s, naming its line, writing nothing", async (_name, body, line, message) => {
    const { supplier, headers } = await newSupplier(database.get().db);
    const { state, problem, report } = await importCsv(headers, body);
    expect(state).toBe("failed");
    expect(problem?.status).toBe(422);
    expect(report.errors).toEqual([{ line, field: "(file)", message: expect.stringMatching(message) }]);
    expect(await invoiceCount(supplier.id)).toBe(0);
  });

  it("keeps suppliers apart: the same numbers are separate invoices, and existing ids of others are never shown", async () => {
    const one = await newSupplier(database.get().db, { name: "Ett AB" });
    const two = await newSupplier(database.get().db, { name: "Två AB" });
    const first = (await importCsv(one.headers, GOOD)).report;
    const second = (await importCsv(two.headers, GOOD)).report;
    expect(second.created).toHaveLength(2);
    expect(second.skipped).toEqual([]);
    expect(second.created.map((row) => row.id)).not.toEqual(first.created.map((row) => row.id));
    expect(await invoiceCount(one.supplier.id)).toBe(2);
    expect(await invoiceCount(two.supplier.id)).toBe(2);
  });

  it("answers 401 without a key, 415 for JSON, 413 over 5 MB, 422 for unknown query flags", async () => {
    const { headers } = await newSupplier(database.get().db);
    expect((await importCsv({}, GOOD)).status).toBe(401);
    expect((await importCsv(headers, GOOD, "", "application/json")).status).toBe(415);
    const big = `${HEADER}\n${"x".repeat(5 * 1024 * 1024)}`;
    expect((await importCsv(headers, big)).status).toBe(413);
    const flag = await importCsv(headers, GOOD, "?all_or_nothing=yes&dryrun=true");
    expect(flag.status).toBe(422);
    const fields = ((await flag.response.json()) as { errors: { field: string }[] }).errors.map((error) => error.field);
    expect(fields.sort()).toEqual(["all_or_nothing", "dryrun"]);
  });
});

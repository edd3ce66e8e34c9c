// POST /api/v1/bank-files as an ERP calls it: the raw file in, 202 with the import's Location, and
// the report there once the job has run; Idempotency-Key answers the same import; a bad file is a
// failed import naming the line with nothing written; the body's type and size are checked before
// anything is read into memory.
import { describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import { payments } from "../../../db/schema";
import { action, loader } from "~/routes/api.v1.bank-files";
import { useTestDatabase } from "../../support/database";
import { callRoute, testConfig, testContext } from "../../support/context";
import { ledgerSnapshot } from "../payments/payments-test-helpers";
import { afterImport } from "../../support/imports";
import { BANKGIRO, bankWorld, bgmaxFile, camtFile, type BankWorld } from "./bank-file-helpers";

const database = useTestDatabase();
const config = testConfig();
const db = () => database.get().db;
const context = () => testContext(database.get(), config);

const TOTAL = 1_229_700;

type Report = Record<string, unknown>;

/** The POST's answer and, when accepted, the import after the worker has run it. */
async function upload(world: BankWorld, body: Uint8Array | string, options: { query?: string; type?: string; headers?: Record<string, string> } = {}) {
  const response = await callRoute(action, context(), {
    method: "POST",
    path: `/api/v1/bank-files${options.query ?? ""}`,
    headers: { ...world.api, "content-type": options.type ?? "text/plain", ...options.headers },
    // A copy on its own ArrayBuffer: what fetch's BodyInit takes (a Buffer may share a pool).
    body: typeof body === "string" ? body : new Uint8Array(body),
  });
  return afterImport<Report>(context(), response, world.api);
}

const paymentCount = async (supplierId: string) =>
  (await db().select({ n: count() }).from(payments).where(eq(payments.supplierId, supplierId)))[0]!.n;

describe("POST /api/v1/bank-files", () => {
  it("books a BgMax file (202, then the report), books nothing on a re-import, and answers the same import for the same Idempotency-Key", async () => {
    const world = await bankWorld(db(), config, 2);
    const file = bgmaxFile({ bankgiro: BANKGIRO, date: "2026-03-20", payments: world.invoices.map((invoice, index) => ({ refs: [invoice.ocr], amount: TOTAL, serial: index + 1 })) });

    const first = await upload(world, file, { headers: { "idempotency-key": "bank-2026-03-20" } });
    expect(first.response.status).toBe(202);
    expect(first.done).toMatchObject({ kind: "bank_file", state: "succeeded", progress: { processed: 2, total: 2 }, problem: null });
    expect(first.done!.report).toMatchObject({ format: "bgmax", booked: 2, already_imported: 0, dry_run: false });

    const replay = await upload(world, file, { headers: { "idempotency-key": "bank-2026-03-20" } });
    expect(replay.response.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.done).toEqual(first.done);

    // The same file without the key (or with a new one): nothing new is booked, and the report says why.
    const again = await upload(world, file);
    expect(again.done!.report).toMatchObject({ booked: 0, already_imported: 2 });
    expect(await paymentCount(world.supplier.id)).toBe(2);

    // The key with another file is a mistake, not a replay.
    const other = bgmaxFile({ bankgiro: BANKGIRO, date: "2026-03-21", payments: [{ refs: [world.invoices[0]!.ocr], amount: 1, serial: 9 }] });
    const reused = await upload(world, other, { headers: { "idempotency-key": "bank-2026-03-20" } });
    expect(reused.response.status).toBe(422);
    expect(await reused.response.json()).toMatchObject({ title: "Idempotency key reused" });
  });

  it("accepts camt.054 as application/xml", async () => {
    const world = await bankWorld(db(), config, 1);
    await db().execute(`update suppliers set iban = 'SE4550000000058398257466' where id = '${world.supplier.id}'`);
    const file = camtFile({ iban: "SE4550000000058398257466", date: "2026-03-20", payments: [{ ref: world.invoices[0]!.ocr, amount: "12297.00", currency: "SEK", id: "A-1" }] });
    const { response, done } = await upload(world, file, { type: "application/xml; charset=utf-8" });
    expect(response.status).toBe(202);
    expect(done!.report).toMatchObject({ format: "camt054", booked: 1, amount_booked: { SEK: TOTAL } });
  });

  it("reports a dry run and keeps nothing", async () => {
    const world = await bankWorld(db(), config, 1);
    const file = bgmaxFile({ bankgiro: BANKGIRO, date: "2026-03-20", payments: [{ refs: [world.invoices[0]!.ocr], amount: 5_000, serial: 1 }] });
    const before = await ledgerSnapshot(db());
    const { done } = await upload(world, file, { query: "?dry_run=true" });
    expect(done).toMatchObject({ state: "succeeded", options: { dry_run: true } });
    expect(done!.report).toMatchObject({ dry_run: true, booked: 1, flags: { underpaid: [{ amount: 5_000 }] } });
    expect(await ledgerSnapshot(db())).toEqual(before);
    const badFlag = await upload(world, file, { query: "?dry_run=yes" });
    expect(badFlag.response.status).toBe(422);
    expect(await badFlag.response.json()).toMatchObject({ errors: [{ field: "dry_run", message: "dry_run must be true or false" }] });
  });

  it("fails the import of an invalid file with a 422 problem naming the line, writing nothing; a file of no bank format is a 422 at once", async () => {
    const world = await bankWorld(db(), config, 1);
    const good = bgmaxFile({ bankgiro: BANKGIRO, date: "2026-03-20", payments: [{ refs: [world.invoices[0]!.ocr], amount: TOTAL, serial: 1 }] }).toString("latin1");
    const lines = good.split("\r\n");
    lines[2] = `${lines[2]!.slice(0, 40)}12X${lines[2]!.slice(43)}`;
    const before = await ledgerSnapshot(db());
    const { done } = await upload(world, Buffer.from(lines.join("\r\n"), "latin1"), { headers: { "idempotency-key": "broken-1" } });
    expect(done).toMatchObject({ state: "failed", report: null, problem: { status: 422, title: "Validation failed" } });
    expect(done!.problem!.errors![0]).toEqual({ field: "line 3", message: expect.stringContaining("TK20 payment amount (positions 38–55) must be digits") });
    expect(await ledgerSnapshot(db())).toEqual(before);
    // The failed import freed the key: the fixed file can be sent with it.
    const fixed = await upload(world, good, { headers: { "idempotency-key": "broken-1" } });
    expect(fixed.done).toMatchObject({ state: "succeeded", report: { booked: 1 } });

    const csv = await upload(world, "number;amount\n1;2\n");
    expect(csv.response.status).toBe(422);
    expect(csv.response.headers.get("content-type")).toBe("application/problem+json");
    expect(await csv.response.json()).toMatchObject({ errors: [{ field: "file", message: "not a BgMax or camt.054 file" }] });
  });

  it("refuses other media types (415), bodies over 20 MB (413) and other methods (405)", async () => {
    const world = await bankWorld(db(), config, 1);
    const csv = await upload(world, "a;b\n", { type: "text/csv" });
    expect(csv.response.status).toBe(415);
    const declared = await upload(world, "01BGMAX", { headers: { "content-length": String(20 * 1024 * 1024 + 1) } });
    expect(declared.response.status).toBe(413);
    // No Content-Length: counted while read, refused at the first byte over the limit.
    const chunk = new Uint8Array(1024 * 1024).fill(0x20);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 21) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const request = new Request("https://pay.example.test/api/v1/bank-files", {
      method: "POST",
      headers: { ...world.api, "content-type": "application/octet-stream" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    const streamed = await action({ request, params: {}, context: context() }).catch((thrown: unknown) => thrown as Response);
    expect(streamed.status).toBe(413);
    expect((await callRoute(loader, context(), { path: "/api/v1/bank-files" })).status).toBe(405);
  });

  it("needs an API key", async () => {
    const response = await callRoute(action, context(), { method: "POST", path: "/api/v1/bank-files", headers: { "content-type": "text/plain" }, body: "01BGMAX" });
    expect(response.status).toBe(401);
  });
});

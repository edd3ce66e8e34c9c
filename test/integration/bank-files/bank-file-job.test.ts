// The bank-file import as a job (issue #18, items 10–11): a client follows its progress on
// GET /api/v1/imports/{id} while the batches are booked, and a worker that dies after some
// batches leaves nothing half-booked: the next run books the rest, every payment exactly once,
// with one receipt and one payment.succeeded event each; the full report is paged from both runs' parts.
import { describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { emails, events, invoices, payments } from "../../../db/schema";
import { action } from "~/routes/api.v1.bank-files";
import { loader as itemsRoute } from "~/routes/api.v1.imports.$id.items";
import { runImport } from "~/platform/imports/imports.server";
import { makeOcrFromNumber } from "~/domain/ocr";
import { useTestDatabase } from "../../support/database";
import { callRoute, testConfig, testContext } from "../../support/context";
import { readImport, type ImportView } from "../../support/imports";
import { BANKGIRO, bankWorld, bgmaxFile, type BankWorld, type BgMaxPayment } from "./bank-file-helpers";

const database = useTestDatabase();
const config = testConfig();
const db = () => database.get().db;
const context = () => testContext(database.get(), config);

const TOTAL = 1_229_700;
const PAYMENTS = 240;
const BATCH = 40;

/**
 * 240 payments over the world's invoices: mostly a tenth of an invoice each (so an invoice is
 * paid in parts, then over-paid), every 6th split over two invoices by TK22 amounts, every 8th
 * with an OCR no invoice has (not booked). 30 unmatched, 210 booked, 250 ledger payments.
 */
function mixedFile(world: BankWorld): Buffer {
  const ocr = (n: number) => world.invoices[n % world.invoices.length]!.ocr;
  const list = Array.from({ length: PAYMENTS }, (_, j): BgMaxPayment => {
    if (j % 8 === 7) return { refs: [makeOcrFromNumber(900_000 + j)], amount: 5_000, serial: j + 1 };
    if (j % 6 === 5) return { refs: [], amount: 20_000, serial: j + 1, extra: [{ type: "22", ref: ocr(j), amount: 12_000 }, { type: "22", ref: ocr(j + 1), amount: 8_000 }] };
    return { refs: [ocr(j)], amount: TOTAL / 10, serial: j + 1 };
  });
  return bgmaxFile({ bankgiro: BANKGIRO, date: "2026-03-20", payments: list });
}
const UNMATCHED = PAYMENTS / 8;
const SPLITS = Array.from({ length: PAYMENTS }, (_, j) => j).filter((j) => j % 8 !== 7 && j % 6 === 5).length;

async function upload(world: BankWorld, file: Buffer): Promise<string> {
  const response = await callRoute(action, context(), {
    method: "POST",
    path: "/api/v1/bank-files",
    headers: { ...world.api, "content-type": "text/plain" },
    body: new Uint8Array(file),
  });
  expect(response.status).toBe(202);
  return response.headers.get("location")!;
}

const idOf = (location: string) => location.split("/").pop()!;

describe("the bank-file import job", () => {
  it("shows its progress on GET /api/v1/imports/{id} while its batches are booked, and the report at the end", async () => {
    const world = await bankWorld(db(), config, 4);
    const location = await upload(world, mixedFile(world));
    const seen: ImportView<unknown>[] = [];
    await runImport(context().app, idOf(location), {
      batchSize: BATCH,
      afterBatch: async () => {
        seen.push(await readImport(context(), location, world.api));
      },
    });
    expect(seen.map((view) => [view.state, view.progress.processed, view.progress.total, view.report])).toEqual(
      [40, 80, 120, 160, 200, 240].map((processed) => ["running", processed, PAYMENTS, null]),
    );
    const done = await readImport<{ booked: number; payments: number }>(context(), location, world.api);
    expect(done).toMatchObject({ state: "succeeded", progress: { processed: PAYMENTS, total: PAYMENTS }, report: { payments: PAYMENTS, booked: PAYMENTS - UNMATCHED } });
  });

  it("keeps a large file's report to its counts and first 1,000 entries and flags; the rest is paged", async () => {
    const world = await bankWorld(db(), config, 1);
    const count = 1_005;
    const file = bgmaxFile({ bankgiro: BANKGIRO, date: "2026-03-20", payments: Array.from({ length: count }, (_, j) => ({ refs: [makeOcrFromNumber(900_000 + j)], amount: 5_000, serial: j + 1 })) });
    const location = await upload(world, file);
    await runImport(context().app, idOf(location));
    const done = await readImport<{ items: unknown[]; flags: { unmatched: unknown[] }; flag_counts: { unmatched: number }; complete: boolean }>(context(), location, world.api);
    expect(done.report).toMatchObject({ complete: false, flag_counts: { unmatched: count } });
    expect(done.report!.items).toHaveLength(1_000);
    expect(done.report!.flags.unmatched).toHaveLength(1_000);
    const outcomes: string[] = [];
    for (let cursor: string | null = ""; cursor !== null; ) {
      const page = await callRoute(itemsRoute, context(), { path: `${location}/items?limit=100${cursor ? `&cursor=${cursor}` : ""}`, params: { id: idOf(location) }, headers: world.api });
      const body = (await page.json()) as { data: { outcome: string }[]; next_cursor: string | null };
      outcomes.push(...body.data.map((entry) => entry.outcome));
      cursor = body.next_cursor;
    }
    expect(outcomes).toEqual(Array(count).fill("unmatched"));
  });

  it("books every payment exactly once when the worker dies after some batches and the job runs again", async () => {
    const world = await bankWorld(db(), config, 4);
    const location = await upload(world, mixedFile(world));
    const id = idOf(location);
    await expect(
      runImport(context().app, id, {
        batchSize: BATCH,
        afterBatch: (committed) => {
          if (committed === 3) throw new Error("worker killed");
        },
      }),
    ).rejects.toThrow("worker killed");
    const halfway = await readImport(context(), location, world.api);
    expect(halfway).toMatchObject({ state: "running", progress: { processed: 3 * BATCH, total: PAYMENTS }, report: null });

    // The queue's retry: the same job, resumed after the last committed batch.
    await runImport(context().app, id, { batchSize: BATCH });
    const done = await readImport<{ booked: number; already_imported: number; items: { outcome: string; invoices: { payment_id: string | null }[] }[] }>(
      context(), location, world.api,
    );
    expect(done).toMatchObject({ state: "succeeded", report: { payments: PAYMENTS, booked: PAYMENTS - UNMATCHED, already_imported: 0 } });

    const ledger = await db().select().from(payments).where(eq(payments.supplierId, world.supplier.id));
    const bookedIds = done.report!.items.flatMap((item) => item.invoices.flatMap((part) => (part.payment_id ? [part.payment_id] : [])));
    expect(ledger).toHaveLength(PAYMENTS - UNMATCHED + SPLITS);
    expect(new Set(bookedIds)).toEqual(new Set(ledger.map((row) => row.id)));
    expect(new Set(ledger.map((row) => row.providerReference)).size).toBe(ledger.length);

    // Each invoice's balance is its ledger's sum; one event and one receipt per ledger payment.
    for (const invoice of world.invoices) {
      const [row] = await db().select({ amountPaid: invoices.amountPaid }).from(invoices).where(eq(invoices.id, invoice.id));
      expect(row!.amountPaid).toBe(ledger.filter((payment) => payment.invoiceId === invoice.id).reduce((sum, payment) => sum + payment.amount, 0));
    }
    const [succeeded] = await db()
      .select({ n: sql<number>`count(*)::int` })
      .from(events)
      .where(and(eq(events.supplierId, world.supplier.id), eq(events.type, "payment.succeeded")));
    expect(succeeded!.n).toBe(ledger.length);
    const receipts = await db().select({ key: emails.idempotencyKey }).from(emails).where(and(eq(emails.supplierId, world.supplier.id), eq(emails.template, "payment-receipt")));
    expect(new Set(receipts.map((receipt) => receipt.key.split(":")[1]))).toEqual(new Set(ledger.map((row) => row.id)));

    // The whole report, paged from the parts both runs committed: every entry once, in file order, with its flags in words.
    const paged: { position: string; outcome: string; flag_details: { kind: string; message: string }[] }[] = [];
    for (let cursor: string | null = ""; cursor !== null; ) {
      const page = await callRoute(itemsRoute, context(), { path: `${location}/items?limit=17${cursor ? `&cursor=${cursor}` : ""}`, params: { id }, headers: world.api });
      expect(page.status).toBe(200);
      const body = (await page.json()) as { data: typeof paged; next_cursor: string | null };
      paged.push(...body.data);
      cursor = body.next_cursor;
    }
    expect(paged.map((entry) => entry.position)).toEqual(done.report!.items.map((item) => (item as unknown as { position: string }).position));
    const unmatched = paged.filter((entry) => entry.outcome === "unmatched");
    expect(unmatched).toHaveLength(UNMATCHED);
    expect(unmatched.every((entry) => entry.flag_details.some((flag) => flag.kind === "unmatched" && flag.message.includes("no invoice")))).toBe(true);
    const badCursor = await callRoute(itemsRoute, context(), { path: `${location}/items?cursor=nonsense`, params: { id }, headers: world.api });
    expect(badCursor.status).toBe(422);
    const other = await bankWorld(db(), config, 1);
    const elsewhere = await callRoute(itemsRoute, context(), { path: `${location}/items`, params: { id }, headers: other.api });
    expect(elsewhere.status).toBe(404);
  });
});

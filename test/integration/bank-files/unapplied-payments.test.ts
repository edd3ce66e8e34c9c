// The queue of unapplied bank payments (#18 items 8 and 9): what an import cannot book waits for a
// person (a re-import adds none), who places it on invoices through the ledger (split to the öre,
// audited, with every side effect of a booking), marks it to be refunded or not ours; two clerks
// placing one payment at once book it once; a payer's "I have paid" is proposed, never booked.
import { describe, expect, it, vi } from "vitest";
import { and, eq, like } from "drizzle-orm";
import { events, invoices, payments } from "../../../db/schema";
import { newPublicId } from "~/domain/public-id";
import { countOpenBankQueueItems, listOpenBankQueueItems } from "~/features/bank-files/unapplied-payments.server";
import type { UnappliedPaymentJson } from "~/features/bank-files/api.json.server";
import * as listRoute from "~/routes/api.v1.unapplied-payments";
import * as oneRoute from "~/routes/api.v1.unapplied-payments.$id";
import * as allocateRoute from "~/routes/api.v1.unapplied-payments.$id.allocate";
import * as refundRoute from "~/routes/api.v1.unapplied-payments.$id.refund";
import * as notOursRoute from "~/routes/api.v1.unapplied-payments.$id.not-ours";
import { UNAPPLIED_PAYMENT_COMMANDS } from "../../../server/cli/unapplied-payments";
import { useTestDatabase } from "../../support/database";
import { callRoute, testConfig, testContext } from "../../support/context";
import { emailsOf, payerFixture, post as portalPost, webhookMessagesOf } from "../portal/payer-helpers";
import { BANKGIRO, bankWorld, bgmaxFile, importBankFileNow, type BankWorld, type BgMaxPayment } from "./bank-file-helpers";

const database = useTestDatabase();
const config = testConfig();
const db = () => database.get().db;
const context = () => testContext(database.get(), config);

const TOTAL = 1_229_700;
const NOW = new Date("2026-03-21T09:00:00Z");
/** A checked OCR reference that names none of the fixtures' invoices. */
const UNKNOWN_OCR = "5555555555555";

const services = () => ({ ...context().app, now: () => NOW });

async function importPayments(world: BankWorld, list: BgMaxPayment[], date = "2026-03-20") {
  const result = await importBankFileNow(services(), { supplierId: world.supplier.id, bytes: bgmaxFile({ bankgiro: BANKGIRO, date, payments: list }) });
  if (!result.ok) throw new Error(JSON.stringify(result.problem));
  return result.body;
}

type Answer<T> = { status: number; body: T };

async function call<T = UnappliedPaymentJson>(
  route: { loader: unknown; action: unknown },
  world: { api: Record<string, string> },
  init: { method?: string; path: string; id?: string; json?: unknown; headers?: Record<string, string> },
): Promise<Answer<T>> {
  const method = init.method ?? "GET";
  const fn = (method === "GET" ? route.loader : route.action) as Parameters<typeof callRoute>[0];
  const response = await callRoute(fn, context(), {
    method, path: init.path, params: init.id ? { id: init.id } : {}, headers: { ...world.api, ...init.headers }, json: init.json,
  });
  return { status: response.status, body: (await response.json()) as T };
}

const listQueue = (world: BankWorld, query = "?state=open") =>
  call<{ data: UnappliedPaymentJson[]; next_cursor: string | null }>(listRoute, world, { path: `/api/v1/unapplied-payments${query}` });
const readItem = (world: BankWorld, id: string) => call(oneRoute, world, { path: `/api/v1/unapplied-payments/${id}`, id });
const allocate = (world: { api: Record<string, string> }, id: string, json: unknown, headers: Record<string, string> = {}) =>
  call(allocateRoute, world, { method: "POST", path: `/api/v1/unapplied-payments/${id}/allocate`, id, json, headers });
const mark = (world: BankWorld, which: "refund" | "not-ours", id: string, json: unknown) =>
  call(which === "refund" ? refundRoute : notOursRoute, world, { method: "POST", path: `/api/v1/unapplied-payments/${id}/${which}`, id, json });

const ledgerOf = (supplierId: string, transactionId: string) =>
  db().select().from(payments).where(and(eq(payments.supplierId, supplierId), like(payments.providerReference, `bank:${transactionId}%`))).orderBy(payments.providerReference);
const invoiceOf = async (id: string) => (await db().select().from(invoices).where(eq(invoices.id, id)))[0]!;

describe("the queue fills from the import", () => {
  it("queues an unmatched payment whole and an over-payment's excess; a re-import adds none", async () => {
    const world = await bankWorld(db(), config, 2);
    const [first] = world.invoices;
    const file: BgMaxPayment[] = [
      { refs: [UNKNOWN_OCR], amount: 250_000, serial: 1, payerName: "Okänd Betalare AB", payerBankgiro: "0001234567" },
      { refs: [first!.ocr], amount: TOTAL + 50_000, serial: 2 },
    ];
    const report = await importPayments(world, file);
    expect(report).toMatchObject({ booked: 1, flags: { unmatched: [{ position: "line 3" }], overpaid: [{ invoice_id: first!.id }] } });

    const { status, body } = await listQueue(world);
    expect(status).toBe(200);
    expect(body.next_cursor).toBeNull();
    expect(body.data).toEqual([
      expect.objectContaining({
        state: "open", version: 1, reason: "unmatched", amount: 250_000, remaining: 250_000, currency: "SEK", paid_on: "2026-03-20", invoice_id: null,
        reason_detail: `${UNKNOWN_OCR}: no invoice has this OCR reference`,
        bank: expect.objectContaining({ format: "bgmax", position: "line 3", transaction_id: "50501055:2026-03-20:000000000001" }),
        payer: { name: "Okänd Betalare AB", account: "1234567", org_number: null, references: [UNKNOWN_OCR], free_text: null },
        allocations: [], proposals: [],
      }),
      expect.objectContaining({ state: "open", reason: "overpaid", amount: TOTAL + 50_000, remaining: 50_000, invoice_id: first!.id }),
    ]);
    expect(await countOpenBankQueueItems(db(), world.supplier.id)).toEqual({ count: 2, remaining: { SEK: 300_000 } });
    const audit = await db().select().from(events).where(and(eq(events.supplierId, world.supplier.id), eq(events.type, "unapplied_payment.queued")));
    expect(audit).toHaveLength(2);

    const again = await importPayments(world, file);
    expect(again).toMatchObject({ booked: 0, already_imported: 1 });
    expect((await listQueue(world, "")).body.data.map((item) => item.id)).toEqual(body.data.map((item) => item.id));
    const added = (await listOpenBankQueueItems(db(), world.supplier.id)).data.length - body.data.length;
    expect(added).toBe(0);
    console.info(`P8: re-import of a file with 1 unmatched and 1 overpaid payment → queue items added = ${added}`);
  });

  it("pages the open queue oldest first with a cursor, and refuses a cursor it did not hand out", async () => {
    const world = await bankWorld(db(), config, 1);
    await importPayments(world, [1, 2, 3].map((serial) => ({ refs: [UNKNOWN_OCR], amount: 1000 * serial, serial })));
    const first = await listQueue(world, "?state=open&limit=2");
    expect(first.body.data.map((item) => item.amount)).toEqual([1000, 2000]);
    const second = await listQueue(world, `?state=open&limit=2&cursor=${first.body.next_cursor}`);
    expect(second.body).toMatchObject({ data: [{ amount: 3000 }], next_cursor: null });
    expect((await listQueue(world, "?cursor=nonsense")).status).toBe(422);
    expect((await listQueue(world, "?state=lost")).status).toBe(422);
  });
});

describe("allocating", () => {
  it("splits one payment over two invoices to the öre through the ledger: paid, audited, receipts and webhooks; a re-import books nothing", async () => {
    const world = await bankWorld(db(), config, 2);
    const [one, two] = world.invoices;
    const file: BgMaxPayment[] = [{ refs: [UNKNOWN_OCR], amount: TOTAL + 500_000, serial: 7, payerName: "Fjällbacka Bygg AB" }];
    await importPayments(world, file);
    const [item] = (await listQueue(world)).body.data;

    const answer = await allocate(world, item!.id, { version: 1, parts: [{ invoice_id: one!.id, amount: TOTAL }, { invoice_id: two!.id, amount: 500_000 }], note: "Two invoices, one transfer" });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      state: "allocated", version: 2, remaining: 0, note: "Two invoices, one transfer", resolved_by: expect.stringMatching(/^key_/),
      allocations: [
        { invoice_id: one!.id, invoice_number: one!.number, amount: TOTAL, overpayment: false, payment_id: expect.stringMatching(/^pay_/) },
        { invoice_id: two!.id, invoice_number: two!.number, amount: 500_000, overpayment: false, payment_id: expect.stringMatching(/^pay_/) },
      ],
    });
    expect(await invoiceOf(one!.id)).toMatchObject({ amountPaid: TOTAL, paidAt: expect.any(Date) });
    expect(await invoiceOf(two!.id)).toMatchObject({ amountPaid: 500_000, paidAt: null });
    const ledger = await ledgerOf(world.supplier.id, item!.bank.transaction_id);
    expect(ledger.map((row) => [row.invoiceId, row.amount, row.providerReference, row.status, row.method])).toEqual([
      [one!.id, TOTAL, `bank:${item!.bank.transaction_id}#101`, "succeeded", "bank_transfer"],
      [two!.id, 500_000, `bank:${item!.bank.transaction_id}#102`, "succeeded", "bank_transfer"],
    ]);
    // The same side effects as an automatic booking, and who placed the money.
    expect((await emailsOf(db(), one!.id)).filter((email) => email.template === "payment-receipt")).toHaveLength(1);
    expect(await webhookMessagesOf(db(), world.supplier.id, "invoice.paid")).toHaveLength(1);
    expect(await webhookMessagesOf(db(), world.supplier.id, "payment.succeeded")).toHaveLength(2);
    const audit = await db().select().from(events).where(and(eq(events.supplierId, world.supplier.id), eq(events.type, "unapplied_payment.allocated"))).orderBy(events.seq);
    expect(audit.map((event) => [event.invoiceId, event.actor, (event.data as { amount: number }).amount])).toEqual([[one!.id, "supplier", TOTAL], [two!.id, "supplier", 500_000]]);

    // P8: the file again finds the bank id booked for its whole amount.
    const again = await importPayments(world, file);
    expect(again).toMatchObject({ booked: 0, already_imported: 1 });
    expect(await ledgerOf(world.supplier.id, item!.bank.transaction_id)).toHaveLength(2);
  });

  it("refuses every wrong part with a 422 naming it, and books nothing; part of it leaves the rest open", async () => {
    const world = await bankWorld(db(), config, 3);
    const [one, two, three] = world.invoices;
    const other = await payerFixture(db(), config);
    await db().update(invoices).set({ currency: "EUR" }).where(eq(invoices.id, three!.id));
    await importPayments(world, [{ refs: [UNKNOWN_OCR], amount: 2_000_000, serial: 9 }]);
    const [item] = (await listQueue(world)).body.data;
    const refused = async (json: unknown) => {
      const answer = await allocate(world, item!.id, json);
      expect(answer.status, JSON.stringify(answer.body)).toBe(422);
      return (answer.body as unknown as { errors: { field: string; message: string }[] }).errors;
    };

    expect(await refused({ version: 1, parts: [{ invoice_id: other.invoice.id, amount: 100 }] }))
      .toEqual([{ field: "parts[0].invoice_id", message: "no invoice of yours has this id" }]);
    const unknownId = newPublicId("inv");
    expect(await refused({ version: 1, parts: [{ invoice_id: unknownId, amount: 100 }] }))
      .toEqual([{ field: "parts[0].invoice_id", message: "no invoice of yours has this id" }]);
    expect(await refused({ version: 1, parts: [{ invoice_id: one!.id, amount: TOTAL + 1 }] }))
      .toEqual([{ field: "parts[0].amount", message: `12297.01 SEK is more than invoice ${one!.number}'s amount due, 12297.00 SEK; send overpayment: true to book it anyway` }]);
    expect(await refused({ version: 1, parts: [{ invoice_id: three!.id, amount: 100 }] }))
      .toEqual([{ field: "parts[0].invoice_id", message: `invoice ${three!.number} is in EUR; this payment is in SEK` }]);
    expect(await refused({ version: 1, parts: [{ invoice_id: one!.id, amount: TOTAL, overpayment: true }, { invoice_id: two!.id, amount: 800_000, overpayment: true }] }))
      .toEqual([{ field: "parts", message: "the parts add up to 20297.00 SEK; at most the remaining 20000.00 SEK can be placed" }]);
    expect(await refused({ version: 1, parts: [{ invoice_id: one!.id, amount: 100 }, { invoice_id: one!.id, amount: 100 }] }))
      .toEqual([{ field: "parts[1].invoice_id", message: `invoice ${one!.id} is named twice; give it one part` }]);
    expect(await refused({ version: 1, parts: [] })).toEqual([{ field: "parts", message: "parts must name at least one invoice" }]);
    expect(await refused({ parts: [{ invoice_id: one!.id, amount: 100 }] })).toEqual([
      { field: "version", message: "version is required: the version you read (it guards against two people changing one payment)" },
    ]);
    expect(await ledgerOf(world.supplier.id, item!.bank.transaction_id)).toEqual([]);

    // An over-payment, said so; the rest stays open at a new version.
    const part = await allocate(world, item!.id, { version: 1, parts: [{ invoice_id: one!.id, amount: TOTAL + 1000, overpayment: true }] });
    expect(part.body).toMatchObject({ state: "open", version: 2, remaining: 2_000_000 - TOTAL - 1000, allocations: [{ amount: TOTAL + 1000, overpayment: true }] });
    expect(await invoiceOf(one!.id)).toMatchObject({ amountPaid: TOTAL + 1000 });
    // A stale version is a conflict, whatever the body.
    const stale = await allocate(world, item!.id, { version: 1, parts: [{ invoice_id: two!.id, amount: 100 }] });
    expect(stale.status).toBe(409);
    const rest = await allocate(world, item!.id, { version: 2, parts: [{ invoice_id: two!.id, amount: 2_000_000 - TOTAL - 1000 }] });
    expect(rest.body).toMatchObject({ state: "allocated", version: 3, remaining: 0 });
    expect((await allocate(world, item!.id, { version: 3, parts: [{ invoice_id: two!.id, amount: 1 }] })).body)
      .toMatchObject({ status: 422, errors: [{ field: "state", message: "the payment is allocated; only an open payment can be changed" }] });
    expect((await ledgerOf(world.supplier.id, item!.bank.transaction_id)).map((row) => row.providerReference?.split("#")[1])).toEqual(["101", "102"]);
  });

  it("books a payment once when two clerks allocate it at the same moment: one 200, one 409", async () => {
    const world = await bankWorld(db(), config, 2);
    const [one, two] = world.invoices;
    await importPayments(world, [{ refs: [UNKNOWN_OCR], amount: TOTAL, serial: 11 }]);
    const [item] = (await listQueue(world)).body.data;
    const answers = await Promise.all([
      allocate(world, item!.id, { version: 1, parts: [{ invoice_id: one!.id, amount: TOTAL }] }),
      allocate(world, item!.id, { version: 1, parts: [{ invoice_id: two!.id, amount: TOTAL }] }),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    const loser = answers.find((answer) => answer.status === 409)!.body as unknown as { detail: string; errors: { field: string }[] };
    expect(loser.detail).toMatch(/changed since you read it \(version 1, now 2, allocated\)/);
    const ledger = await ledgerOf(world.supplier.id, item!.bank.transaction_id);
    expect(ledger).toHaveLength(1);
    const paid = (await invoiceOf(one!.id)).amountPaid + (await invoiceOf(two!.id)).amountPaid;
    expect(paid).toBe(TOTAL);
    console.info(`Queue concurrency: 2 simultaneous allocations of one payment → statuses ${answers.map((a) => a.status).sort().join("/")}, ledger bookings = ${ledger.length}`);
  });

  it("replays an allocation retried with its Idempotency-Key, booking it once", async () => {
    const world = await bankWorld(db(), config, 1);
    await importPayments(world, [{ refs: [UNKNOWN_OCR], amount: 5000, serial: 12 }]);
    const [item] = (await listQueue(world)).body.data;
    const body = { version: 1, parts: [{ invoice_id: world.invoices[0]!.id, amount: 5000 }] };
    const first = await allocate(world, item!.id, body, { "idempotency-key": "alloc-1" });
    const again = await allocate(world, item!.id, body, { "idempotency-key": "alloc-1" });
    expect(again).toEqual(first);
    expect(await ledgerOf(world.supplier.id, item!.bank.transaction_id)).toHaveLength(1);
  });
});

describe("refund and not ours", () => {
  it("marks an unmatched payment not ours and an over-payment to be refunded; nothing is booked, and an over-payment is never 'not ours'", async () => {
    const world = await bankWorld(db(), config, 1);
    await importPayments(world, [
      { refs: [UNKNOWN_OCR], amount: 40_000, serial: 21 },
      { refs: [world.invoices[0]!.ocr], amount: TOTAL * 2, serial: 22 },
    ]);
    const [unmatched, overpaid] = (await listQueue(world)).body.data;
    const paymentsBefore = await db().select().from(payments).where(eq(payments.supplierId, world.supplier.id));

    const notOurs = await mark(world, "not-ours", unmatched!.id, { version: 1, note: "Meant for Nordljus Bygg" });
    expect(notOurs).toMatchObject({ status: 200, body: { state: "not_ours", version: 2, note: "Meant for Nordljus Bygg", resolved_at: expect.any(String) } });
    expect((await mark(world, "refund", unmatched!.id, { version: 2 })).body).toMatchObject({ status: 422, errors: [{ field: "state" }] });

    expect((await mark(world, "not-ours", overpaid!.id, { version: 1 })).status).toBe(422);
    expect((await allocate(world, overpaid!.id, { version: 1, parts: [{ invoice_id: world.invoices[0]!.id, amount: 1 }] })).status).toBe(422);
    const refund = await mark(world, "refund", overpaid!.id, { version: 1, note: "Paid twice" });
    expect(refund.body).toMatchObject({ state: "refund_pending", remaining: TOTAL, invoice_id: world.invoices[0]!.id });

    expect(await db().select().from(payments).where(eq(payments.supplierId, world.supplier.id))).toHaveLength(paymentsBefore.length);
    expect((await listQueue(world)).body.data).toEqual([]);
    expect((await listQueue(world, "?state=refund_pending")).body.data.map((item) => item.id)).toEqual([overpaid!.id]);
    const types = (await db().select().from(events).where(eq(events.supplierId, world.supplier.id))).map((event) => event.type);
    expect(types).toEqual(expect.arrayContaining(["unapplied_payment.not_ours", "unapplied_payment.refund_pending"]));
  });

  it("answers another supplier's queued payment like an unknown one", async () => {
    const world = await bankWorld(db(), config, 1);
    const other = await payerFixture(db(), config);
    await importPayments(world, [{ refs: [UNKNOWN_OCR], amount: 40_000, serial: 31 }]);
    const [item] = (await listQueue(world)).body.data;
    const foreign = await call(oneRoute, other, { path: `/api/v1/unapplied-payments/${item!.id}`, id: item!.id });
    const unknown = await call(oneRoute, other, { path: "/api/v1/unapplied-payments/x", id: newPublicId("upa") });
    expect(foreign).toEqual(unknown);
    expect(foreign.status).toBe(404);
    expect((await allocate(other, item!.id, { version: 1, parts: [{ invoice_id: other.invoice.id, amount: 100 }] })).status).toBe(404);
    expect((await readItem(world, item!.id)).body).toMatchObject({ state: "open", version: 1 });
  });
});

describe('"I have paid" proposals (#18 item 9)', () => {
  it("proposes a reported invoice for a payment that arrives later, with the reason in words, and books nothing until allocated", async () => {
    const world = await bankWorld(db(), config, 2);
    const [, two] = world.invoices;
    const reported = await portalPost(context(), tokenOf(world, two!.id), {
      intent: "report-payment", paid_on: "2026-03-18", amount: "12 297,00", method: "bank_transfer",
    });
    expect(reported.status).toBe(303);

    await importPayments(world, [{ refs: [UNKNOWN_OCR], amount: TOTAL, serial: 41, payerName: "FJÄLLBACKA BYGG AB" }]);
    const [item] = (await listQueue(world)).body.data;
    expect(item!.proposals).toEqual([{
      invoice_id: two!.id, invoice_number: two!.number, report_id: expect.stringMatching(/^prp_/), created_at: expect.any(String),
      reason: `Fjällbacka Bygg AB reported paying 12297.00 SEK for invoice ${two!.number} on 2026-03-18; this payment of the same amount arrived 2026-03-20, 2 days later; the payer's name "FJÄLLBACKA BYGG AB" matches the customer Fjällbacka Bygg AB.`,
    }]);
    expect((await invoiceOf(two!.id)).amountPaid).toBe(0);

    const allocated = await allocate(world, item!.id, { version: item!.version, parts: [{ invoice_id: item!.proposals[0]!.invoice_id, amount: item!.remaining }] });
    expect(allocated.body).toMatchObject({ state: "allocated" });
    expect(await invoiceOf(two!.id)).toMatchObject({ amountPaid: TOTAL, paidAt: expect.any(Date) });
  });

  it("proposes a waiting payment when the report comes after it, only within −3/+10 days and for the same amount", async () => {
    const world = await bankWorld(db(), config, 2);
    const [one, two] = world.invoices;
    await importPayments(world, [{ refs: [UNKNOWN_OCR], amount: 700_000, serial: 51 }]);
    const report = (invoiceId: string, paidOn: string, amount: string) =>
      portalPost(context(), tokenOf(world, invoiceId), { intent: "report-payment", paid_on: paidOn, amount, method: "bank_transfer" });

    expect((await report(one!.id, "2026-03-24", "7 000,00")).status).toBe(303); // the bank's day 4 days before: outside
    expect((await report(one!.id, "2026-03-19", "6 999,00")).status).toBe(303); // another amount
    let [item] = (await listQueue(world)).body.data;
    expect(item!.proposals).toEqual([]);

    expect((await report(two!.id, "2026-03-10", "7 000,00")).status).toBe(303); // 10 days before the bank's day: inside
    [item] = (await listQueue(world)).body.data;
    expect(item!.proposals).toEqual([expect.objectContaining({ invoice_id: two!.id, reason: expect.stringContaining("arrived 2026-03-20, 10 days later.") })]);
    expect((await invoiceOf(two!.id)).amountPaid).toBe(0);
  });
});

describe("npm run cli -- payments:unapplied / payments:allocate", () => {
  /** Runs a command in this process, as server/cli/index.ts would after parsing its flags. */
  async function cli(name: string, values: Record<string, unknown>, args: string[] = []) {
    const out: string[] = [];
    const err: string[] = [];
    const log = vi.spyOn(console, "log").mockImplementation((line: string) => void out.push(line));
    const error = vi.spyOn(console, "error").mockImplementation((line: string) => void err.push(line));
    try {
      const command = UNAPPLIED_PAYMENT_COMMANDS[name]!;
      command.check?.(values as never);
      return { code: await command.run(db(), values as never, args), out, err };
    } finally {
      log.mockRestore();
      error.mockRestore();
    }
  }

  it("lists the open payments with their proposals and places one on an invoice, as the operator", async () => {
    const world = await bankWorld(db(), config, 1);
    const [one] = world.invoices;
    await importPayments(world, [{ refs: [UNKNOWN_OCR], amount: 20_000_00, serial: 61, payerName: "Okänd AB" }]);
    const [item] = (await listQueue(world)).body.data;

    const listed = await cli("payments:unapplied", { supplier: world.supplier.id });
    expect(listed.code).toBe(0);
    expect(listed.out[1]).toBe(`${item!.id.padEnd(26)}  2026-03-20  ${"20000.00 SEK".padStart(16)}  unmatched       Okänd AB, ${UNKNOWN_OCR}`);

    const refused = await cli("payments:allocate", { supplier: world.supplier.id, invoice: [`${one!.id}=12297.01`] }, [item!.id]);
    expect(refused).toMatchObject({ code: 1, err: [expect.stringMatching(/^error: parts\[0\]\.amount: 12297\.01 SEK is more than/), "Nothing was booked."] });

    const placed = await cli("payments:allocate", { supplier: world.supplier.id, invoice: [`${one!.id}=12297,00`] }, [item!.id]);
    expect(placed.code).toBe(0);
    expect(placed.out).toEqual([expect.stringMatching(new RegExp(`^booked 12297\\.00 SEK on ${one!.number} \\(pay_`)), `${item!.id}: open, 7703.00 SEK remaining`]);
    expect(await invoiceOf(one!.id)).toMatchObject({ amountPaid: TOTAL });
    const [event] = await db().select().from(events).where(and(eq(events.invoiceId, one!.id), eq(events.type, "unapplied_payment.allocated")));
    expect(event).toMatchObject({ actor: "operator", actorId: "cli" });
  });
});

/** The portal token of one of the world's invoices. */
function tokenOf(world: BankWorld, invoiceId: string): string {
  const found = world.tokens[invoiceId];
  if (!found) throw new Error(`no token for ${invoiceId}`);
  return found;
}

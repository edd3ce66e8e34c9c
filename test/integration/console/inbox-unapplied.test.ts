// Unmatched bank payments in the console inbox (#19 item 3, #18 item 8): a BgMax import that cannot
// book a payment opens an inbox item with the bank's facts; a clerk places it on an invoice from the
// item's page through the API's own use case (ledger row, invoice paid, item done), marks it to be
// paid back or not ours. Another supplier's item is a 404, sales a 403, a stale form a conflict:
// nothing written in each case.
import { describe, expect, it } from "vitest";
import { and, eq, like, sql } from "drizzle-orm";
import { inboxItems, invoices, payments } from "../../../db/schema";
import { useTestDatabase } from "../../support/database";
import { testConfig, testContext } from "../../support/context";
import { newConsoleUser, signedInCookie } from "../../support/console";
import { inboxTables, itemPage, openInbox, openItem, workOnItem } from "../../support/inbox";
import { BANKGIRO, bankWorld, bgmaxFile, importBankFileNow, type BankWorld } from "../bank-files/bank-file-helpers";

const database = useTestDatabase();
const config = testConfig();
const context = () => testContext(database.get(), config);
const db = () => database.get().db;

const TOTAL = 1_229_700;
const NOW = new Date("2026-03-21T09:00:00Z");
/** A checked OCR reference that names none of the fixtures' invoices. */
const UNKNOWN_OCR = "5555555555555";

/** A supplier with one invoice, a clerk (member) and a sales user, and a bank file with one payment it cannot match. */
async function unmatchedWorld(amount = TOTAL, invoiceCount = 1) {
  const world: BankWorld = await bankWorld(db(), config, invoiceCount);
  const cookieOf = async (role: "member" | "sales") => {
    const user = await newConsoleUser(db(), world.supplier.id, role);
    return signedInCookie(db(), user.user.id, world.supplier.id);
  };
  const clerk = await cookieOf("member");
  const sales = await cookieOf("sales");
  const result = await importBankFileNow(
    { ...context().app, now: () => NOW },
    { supplierId: world.supplier.id, bytes: bgmaxFile({ bankgiro: BANKGIRO, date: "2026-03-20", payments: [{ refs: [UNKNOWN_OCR], amount, serial: 1, payerName: "Okänd Betalare AB" }] }) },
  );
  if (!result.ok) throw new Error(JSON.stringify(result.problem));
  const [item] = (await openInbox(context(), clerk, "?kind=unapplied_payment")).items;
  return { world, clerk, sales, item: item!, invoice: world.invoices[0]! };
}

/** Everything placing a payment may write, beside the inbox's own tables. */
async function writes() {
  const [row] = await db().execute<Record<string, unknown>>(sql`
    select (select count(*) from payments) as payments,
           (select string_agg(id || state || remaining || version, ',' order by id) from unapplied_payments) as queue,
           (select string_agg(id || amount_paid, ',' order by id) from invoices) as invoices`);
  return { ...row, ...(await inboxTables(db())) };
}

describe("an unmatched bank payment in the inbox", () => {
  it("opens with the bank's facts when the import queues it, and placing it on an invoice from its page books the invoice and closes the item", async () => {
    const { world, clerk, item, invoice } = await unmatchedWorld();
    expect(item).toMatchObject({
      kind: "unapplied_payment",
      state: "new",
      detail: {
        type: "unapplied_payment", state: "open", version: 1, reason: "unmatched", amount: TOTAL, remaining: TOTAL, currency: "SEK", paidOn: "2026-03-20",
        payerName: "Okänd Betalare AB", references: [UNKNOWN_OCR], reasonDetail: `${UNKNOWN_OCR}: no invoice has this OCR reference`,
      },
    });
    const page = (await itemPage(context(), clerk, item.id)) as Awaited<ReturnType<typeof itemPage>> & { record: boolean };
    expect(page.record).toBe(true);

    // A wrong amount is named; nothing booked.
    const bad = await workOnItem(context(), clerk, item.id, { intent: "allocate", version: "1", invoice: invoice.number, amount: "tolv" });
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({ payment: { error: "console.inbox.payment.badRows", problem: null, draft: { rowErrors: [{ row: 0, error: "amount" }] } } });

    // The clerk types the invoice's number and the amount in kronor.
    const placed = await workOnItem(context(), clerk, item.id, { intent: "allocate", version: "1", invoice: invoice.number, amount: "12 297,00", note: "Called them." });
    expect(placed.status).toBe(303);

    const ledger = await db().select().from(payments).where(and(eq(payments.supplierId, world.supplier.id), like(payments.providerReference, "bank:%#101")));
    expect(ledger).toEqual([expect.objectContaining({ invoiceId: invoice.id, amount: TOTAL, status: "succeeded" })]);
    const [paid] = await db().select().from(invoices).where(eq(invoices.id, invoice.id));
    expect(paid).toMatchObject({ amountPaid: TOTAL, paidAt: expect.any(Date) });
    const [closed] = await db().select().from(inboxItems).where(eq(inboxItems.id, item.id));
    expect(closed!.state).toBe("done");
    expect((await itemPage(context(), clerk, item.id)).item.detail).toMatchObject({ state: "allocated", remaining: 0, allocations: [{ invoiceNumber: invoice.number, amount: TOTAL }], note: "Called them." });
  });

  it("marked not ours: nothing booked, the item is done", async () => {
    const { world, clerk, item } = await unmatchedWorld();
    expect((await workOnItem(context(), clerk, item.id, { intent: "not_ours", version: "1" })).status).toBe(303);
    expect((await itemPage(context(), clerk, item.id)).item).toMatchObject({ state: "done", detail: { state: "not_ours" } });
    expect(await db().select().from(payments).where(eq(payments.supplierId, world.supplier.id))).toEqual([]);
  });

  it("a form read before someone else's change: the conflict message, nothing booked", async () => {
    const { clerk, item, invoice } = await unmatchedWorld();
    // A colleague places part of it first (version 1 → 2).
    expect((await workOnItem(context(), clerk, item.id, { intent: "allocate", version: "1", invoice: invoice.id, amount: "100" })).status).toBe(303);
    const before = await writes();
    const stale = await workOnItem(context(), clerk, item.id, { intent: "allocate", version: "1", invoice: invoice.number, amount: "200" });
    expect(stale.status).toBe(409);
    expect(await stale.json()).toEqual({ payment: { error: "console.inbox.payment.conflict", problem: null, draft: null } });
    expect((await workOnItem(context(), clerk, item.id, { intent: "refund", version: "1" })).status).toBe(409);
    expect(await writes()).toEqual(before);
    // More than is left: the rows' sum against what is left.
    const tooMuch = await workOnItem(context(), clerk, item.id, { intent: "allocate", version: "2", invoice: invoice.number, amount: "20000", overpayment: "on" });
    expect(tooMuch.status).toBe(422);
    expect(await tooMuch.json()).toMatchObject({ payment: { error: "console.inbox.payment.tooMuch", draft: { total: 2_000_000, remaining: TOTAL - 10_000 } } });
    expect(await writes()).toEqual(before);
  });

  it("splits a payment over several invoices from the form's rows: more rows keep what was typed; a sum over what is left is refused", async () => {
    const { world, clerk, item } = await unmatchedWorld(TOTAL + 50_000, 2);
    const [first, second] = [world.invoices[0]!, world.invoices[1]!];
    const rows = (...pairs: [string, string][]): [string, string][] => pairs.flatMap(([invoice, amount]) => [["invoice", invoice], ["amount", amount]] as [string, string][]);

    // Five rows to start; "more rows" posts back and keeps the typed rows with five more.
    const more = await workOnItem(context(), clerk, item.id, [["intent", "allocate_more"], ["version", "1"], ...rows([first.number, "12 297,00"], ["", ""])]);
    expect(more.status).toBe(200);
    const { payment } = (await more.json()) as { payment: { error: null; draft: { rows: { invoice: string }[]; total: number } } };
    expect(payment.error).toBeNull();
    expect(payment.draft.rows.map((row) => row.invoice)).toEqual([first.number, "", "", "", "", "", ""]);
    expect(payment.draft.total).toBe(TOTAL);

    const before = await writes();
    const over = await workOnItem(context(), clerk, item.id, [["intent", "allocate"], ["version", "1"], ...rows([first.number, "12 297,00"], [second.number, "1000"])]);
    expect(over.status).toBe(422);
    expect(await over.json()).toMatchObject({ payment: { error: "console.inbox.payment.tooMuch", draft: { total: TOTAL + 100_000, remaining: TOTAL + 50_000 } } });
    const incomplete = await workOnItem(context(), clerk, item.id, [["intent", "allocate"], ["version", "1"], ...rows([first.number, ""], ["", "500"])]);
    expect(await incomplete.json()).toMatchObject({ payment: { error: "console.inbox.payment.badRows", draft: { rowErrors: [{ row: 0, error: "amount" }, { row: 1, error: "invoice" }] } } });
    expect(await writes()).toEqual(before);

    // Exactly what was paid, the second invoice by its OCR reference.
    const ocr = second.ocr;
    const placed = await workOnItem(context(), clerk, item.id, [["intent", "allocate"], ["version", "1"], ...rows([first.number, "12 297,00"], ["", ""], [ocr, "500"])]);
    expect(placed.status).toBe(303);
    const booked = await db().select({ invoiceId: payments.invoiceId, amount: payments.amount }).from(payments).where(and(eq(payments.supplierId, world.supplier.id), like(payments.providerReference, "bank:%#10%")));
    expect(booked.sort((a, b) => b.amount - a.amount)).toEqual([{ invoiceId: world.invoices[0]!.id, amount: TOTAL }, { invoiceId: world.invoices[1]!.id, amount: 50_000 }]);
    expect((await itemPage(context(), clerk, item.id)).item.detail).toMatchObject({ state: "allocated", remaining: 0 });
  });

  it("another supplier's item is a 404 and sales gets a 403 for every form, nothing written", async () => {
    const mine = await unmatchedWorld();
    const theirs = await unmatchedWorld();
    expect((await openItem(context(), mine.clerk, theirs.item.id)).status).toBe(404);
    const before = await writes();
    const forms: Record<string, string>[] = [
      { intent: "allocate", version: "1", invoice: theirs.invoice.number, amount: "12297" },
      { intent: "refund", version: "1" },
      { intent: "not_ours", version: "1" },
    ];
    for (const fields of forms) {
      expect((await workOnItem(context(), mine.clerk, theirs.item.id, fields)).status, fields.intent).toBe(404);
      expect((await workOnItem(context(), mine.sales, mine.item.id, fields)).status, fields.intent).toBe(403);
    }
    expect(await writes()).toEqual(before);
    // Sales still reads it, without the forms.
    const page = (await itemPage(context(), mine.sales, mine.item.id)) as Awaited<ReturnType<typeof itemPage>> & { record: boolean };
    expect(page).toMatchObject({ record: false, item: { detail: { type: "unapplied_payment", state: "open" } } });
  });
});

// The console inbox (/app/inbox): every kind of thing a payer or a mailbox brings about lands in
// one list as it happens; a clerk moves it through its states, assigns it, keeps internal notes
// (never on the payer's page) and answers the payer through the one dispute-answering use case;
// the new-items count on every page follows. Every change is on the audit log.
import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { disputes, emails, events, inboxItems } from "../../../db/schema";
import { resolveDisputeFromApi } from "~/features/invoices/disputes.server";
import { useTestDatabase } from "../../support/database";
import { testConfig, testContext } from "../../support/context";
import { openPage } from "../portal/payer-helpers";
import {
  billingAddressBounces, inboxTables, inboxWorld, itemPage, newItemsBadge, openInbox, payerReportsDeliveryProblem, payerReportsPayment,
  payerReportsProblem, workOnItem,
} from "../../support/inbox";

const database = useTestDatabase();
const config = testConfig();
const context = () => testContext(database.get(), config);
const db = () => database.get().db;

const userEvents = (supplierId: string) =>
  db().select().from(events).where(and(eq(events.supplierId, supplierId), eq(events.actor, "user"))).orderBy(events.seq);

describe("what lands in the inbox", () => {
  it("a problem report, a delivery problem, an \"I have paid\" report and a bounced billing address: one list, newest first, each with its facts", async () => {
    const world = await inboxWorld(db(), config);
    expect((await openInbox(context(), world.clerk.cookie)).items).toEqual([]);
    expect(await newItemsBadge(context(), world.clerk.cookie)).toBe(0);

    await payerReportsProblem(context(), world.token, "We agreed 900 kr per hour.");
    const other = await world.another();
    await payerReportsDeliveryProblem(context(), db(), { ...world, ...other });
    await payerReportsPayment(context(), (await world.another()).token);
    await billingAddressBounces(db(), world);

    const { items } = await openInbox(context(), world.clerk.cookie);
    expect(items.map((item) => [item.kind, item.state, item.customerName])).toEqual([
      ["failing_address", "new", "Fjällbacka Bygg AB"],
      ["payment_report", "new", "Fjällbacka Bygg AB"],
      ["delivery_problem", "new", "Fjällbacka Bygg AB"],
      ["dispute", "new", "Fjällbacka Bygg AB"],
    ]);
    expect(items[3]).toMatchObject({ invoiceNumber: world.invoice.number, detail: { type: "dispute", reason: "wrong_amount", message: "We agreed 900 kr per hour.", status: "open" } });
    expect(items[2]).toMatchObject({ invoiceNumber: other.invoice.number, detail: { type: "dispute", reason: "not_received", deliveryDescription: "Pallet of books" } });
    expect(items[1]!.detail).toMatchObject({ type: "payment_report", amount: 1_229_700, currency: "SEK", method: "bank_transfer" });
    expect(items[0]!.detail).toMatchObject({ type: "failing_address", address: "ekonomi@fjallbacka.example", reason: "bounced", lifted: false });
    expect(await newItemsBadge(context(), world.clerk.cookie)).toBe(4);

    // Filtered by kind: only that kind.
    const payments = await openInbox(context(), world.clerk.cookie, "?kind=payment_report");
    expect(payments.items.map((item) => item.kind)).toEqual(["payment_report"]);
  });
});

describe("working an item", () => {
  it("state, assignee and notes: each change audited, filters by state and \"assigned to me\", the badge counts only new items; notes never reach the payer", async () => {
    const world = await inboxWorld(db(), config);
    await payerReportsProblem(context(), world.token);
    await payerReportsPayment(context(), (await world.another()).token);
    const [payment, dispute] = (await openInbox(context(), world.clerk.cookie)).items;
    expect(await newItemsBadge(context(), world.clerk.cookie)).toBe(2);

    expect((await workOnItem(context(), world.clerk.cookie, dispute!.id, { intent: "state", state: "in_progress" })).status).toBe(303);
    expect((await workOnItem(context(), world.clerk.cookie, dispute!.id, { intent: "assign", assignee_id: world.colleague.id })).status).toBe(303);
    expect((await workOnItem(context(), world.clerk.cookie, dispute!.id, { intent: "assign", assignee_id: world.clerk.id })).status).toBe(303);
    expect((await workOnItem(context(), world.clerk.cookie, dispute!.id, { intent: "note", body: "  Called Anna: the 900 kr rate is in the May offer.\r\n" })).status).toBe(303);
    expect((await workOnItem(context(), world.clerk.cookie, payment!.id, { intent: "state", state: "waiting" })).status).toBe(303);

    const page = await itemPage(context(), world.clerk.cookie, dispute!.id);
    expect(page.item).toMatchObject({ state: "in_progress", assigneeId: world.clerk.id, assigneeEmail: world.clerk.email });
    expect(page.notes).toEqual([expect.objectContaining({ body: "Called Anna: the 900 kr rate is in the May offer.", authorEmail: world.clerk.email })]);
    expect(page).toMatchObject({ work: true, answerable: true });

    expect((await openInbox(context(), world.clerk.cookie, "?assignee=me")).items.map((item) => item.id)).toEqual([dispute!.id]);
    expect((await openInbox(context(), world.clerk.cookie, "?assignee=none")).items.map((item) => item.id)).toEqual([payment!.id]);
    expect((await openInbox(context(), world.clerk.cookie, `?assignee=${world.colleague.id}`)).items).toEqual([]);
    expect((await openInbox(context(), world.clerk.cookie, "?state=waiting")).items.map((item) => item.id)).toEqual([payment!.id]);
    expect(await newItemsBadge(context(), world.clerk.cookie)).toBe(0);

    // Done items leave the default list ("not done") and stay under "done" and "all".
    expect((await workOnItem(context(), world.clerk.cookie, payment!.id, { intent: "state", state: "done" })).status).toBe(303);
    expect((await openInbox(context(), world.clerk.cookie)).items.map((item) => item.id)).toEqual([dispute!.id]);
    expect((await openInbox(context(), world.clerk.cookie, "?state=done")).items.map((item) => item.id)).toEqual([payment!.id]);
    expect((await openInbox(context(), world.clerk.cookie, "?state=all")).items).toHaveLength(2);

    expect((await userEvents(world.supplier.id)).map((event) => [event.type, event.actorId, event.data])).toEqual([
      ["inbox.state_changed", world.clerk.id, expect.objectContaining({ item_id: dispute!.id, kind: "dispute", from: "new", to: "in_progress" })],
      ["inbox.assigned", world.clerk.id, expect.objectContaining({ from: null, to: world.colleague.id })],
      ["inbox.assigned", world.clerk.id, expect.objectContaining({ from: world.colleague.id, to: world.clerk.id })],
      ["inbox.note_added", world.clerk.id, expect.objectContaining({ item_id: dispute!.id })],
      ["inbox.state_changed", world.clerk.id, expect.objectContaining({ item_id: payment!.id, from: "new", to: "waiting" })],
      ["inbox.state_changed", world.clerk.id, expect.objectContaining({ item_id: payment!.id, from: "waiting", to: "done" })],
    ]);

    const payerPage = JSON.stringify(await openPage(context(), world.token));
    expect(payerPage).not.toContain("900 kr rate");
  });

  it.each([
    ["an unknown state", { intent: "state", state: "archived" }, "console.inbox.error.invalid_state"],
    ["someone not on the team", { intent: "assign", assignee_id: "usr_0000000000000000000000" }, "console.inbox.error.not_member"],
    ["an empty note", { intent: "note", body: "   " }, "console.inbox.error.empty_note"],
    ["a note too long", { intent: "note", body: "x".repeat(4001) }, "console.inbox.error.note_too_long"],
    ["a rejection without a message", { intent: "answer", status: "rejected", message: "" }, "console.inbox.error.invalid"],
  ])("%s → 422 naming what is wrong, nothing written", async (_name, fields, error) => {
    const world = await inboxWorld(db(), config);
    await payerReportsProblem(context(), world.token);
    const [item] = (await openInbox(context(), world.clerk.cookie)).items;
    const before = await inboxTables(db());
    const response = await workOnItem(context(), world.clerk.cookie, item!.id, fields);
    expect(response.status).toBe(422);
    const body = (await response.json()) as { error: string; errors: Record<string, string> };
    expect(body.error).toBe(error);
    if (fields.intent === "answer") expect(body.errors).toEqual({ message: "console.inbox.error.answer.message" });
    expect(await inboxTables(db())).toEqual(before);
  });
});

describe("answering the payer", () => {
  it("a rejection goes through the dispute use case: the payer is emailed, the payer's page shows it, the item is done, the clerk is on the log", async () => {
    const world = await inboxWorld(db(), config);
    await payerReportsProblem(context(), world.token);
    const [item] = (await openInbox(context(), world.clerk.cookie)).items;

    const response = await workOnItem(context(), world.clerk.cookie, item!.id, { intent: "answer", status: "rejected", message: "The 950 kr rate is in the signed offer of 3 May." });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`/app/inbox/${item!.id}`);

    const page = await itemPage(context(), world.clerk.cookie, item!.id);
    expect(page.item).toMatchObject({ state: "done", detail: { status: "rejected", answer: { message: "The 950 kr rate is in the signed offer of 3 May." } } });
    expect(page.answerable).toBe(false);

    const payer = await openPage(context(), world.token);
    expect(payer.panel.disputes).toMatchObject([{ status: "rejected", answer: { message: "The 950 kr rate is in the signed offer of 3 May." } }]);
    const [answered] = await db().select().from(emails).where(and(eq(emails.invoiceId, world.invoice.id), eq(emails.template, "dispute-answered")));
    expect(answered).toMatchObject({ toAddress: "anna@kund.example" });
    const [resolved] = await db().select().from(events).where(and(eq(events.invoiceId, world.invoice.id), eq(events.type, "dispute.resolved")));
    expect(resolved).toMatchObject({ actor: "user", actorId: world.clerk.id });

    // A second answer (say from a second tab) changes nothing.
    const before = await inboxTables(db());
    const again = await workOnItem(context(), world.clerk.cookie, item!.id, { intent: "answer", status: "rejected", message: "Again." });
    expect(again.status).toBe(422);
    expect(await inboxTables(db())).toEqual(before);
  });

  it("an answer through the API also closes the item", async () => {
    const world = await inboxWorld(db(), config);
    await payerReportsProblem(context(), world.token);
    const [dispute] = await db().select().from(disputes).where(eq(disputes.invoiceId, world.invoice.id));
    const result = await resolveDisputeFromApi(db(), config, {
      supplierId: world.supplier.id, apiKeyId: "key_test", invoiceId: world.invoice.id, disputeId: dispute!.id,
      input: { status: "accepted", credit_note_reference: "KF-1001" },
    });
    expect(result.ok).toBe(true);
    const [item] = await db().select().from(inboxItems).where(eq(inboxItems.sourceId, dispute!.id));
    expect(item).toMatchObject({ kind: "dispute", state: "done" });
    expect(await newItemsBadge(context(), world.clerk.cookie)).toBe(0);
  });
});

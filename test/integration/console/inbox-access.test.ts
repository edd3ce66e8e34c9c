// Who may see and work the inbox (security C7): reading needs invoices.read, every change
// invoices.work — a sales user reads and gets 403 for each change, nothing written; another
// supplier's item is a 404 for every page and form, nothing written; each supplier's list and
// badge hold only its own items. Paging walks the whole list without skipping or repeating.
import { describe, expect, it } from "vitest";
import { openInboxItem } from "~/features/inbox/open-inbox-item.server";
import { INBOX_PAGE_SIZE } from "~/features/inbox/inbox.server";
import { useTestDatabase } from "../../support/database";
import { testConfig, testContext } from "../../support/context";
import { inboxTables, inboxWorld, itemPage, newItemsBadge, openInbox, openItem, payerReportsProblem, workOnItem } from "../../support/inbox";

const database = useTestDatabase();
const config = testConfig();
const context = () => testContext(database.get(), config);
const db = () => database.get().db;

const CHANGES: Record<string, string>[] = [
  { intent: "state", state: "in_progress" },
  { intent: "assign", assignee_id: "" },
  { intent: "note", body: "Looked at it." },
  { intent: "answer", status: "rejected", message: "No." },
];

async function twoSuppliers() {
  const mine = await inboxWorld(db(), config);
  const theirs = await inboxWorld(db(), config);
  await payerReportsProblem(context(), mine.token, "Mine.");
  await payerReportsProblem(context(), theirs.token, "Theirs.");
  const [myItem] = (await openInbox(context(), mine.clerk.cookie)).items;
  const [theirItem] = (await openInbox(context(), theirs.clerk.cookie)).items;
  return { mine, theirs, myItem: myItem!, theirItem: theirItem! };
}

describe("another supplier's item", () => {
  it("is a 404 to open and to every change, with every table unchanged; each list and badge hold only the supplier's own", async () => {
    const { mine, theirs, theirItem, myItem } = await twoSuppliers();
    expect((await openItem(context(), mine.clerk.cookie, theirItem.id)).status).toBe(404);
    const before = await inboxTables(db());
    for (const fields of CHANGES) {
      expect((await workOnItem(context(), mine.clerk.cookie, theirItem.id, fields)).status, fields.intent).toBe(404);
    }
    expect(await inboxTables(db())).toEqual(before);

    expect((await openInbox(context(), mine.clerk.cookie, "?state=all")).items.map((item) => item.id)).toEqual([myItem.id]);
    expect(await newItemsBadge(context(), mine.clerk.cookie)).toBe(1);
    // Assigning to someone of the other supplier's team: not on this team.
    const response = await workOnItem(context(), mine.clerk.cookie, myItem.id, { intent: "assign", assignee_id: theirs.clerk.id });
    expect(response.status).toBe(422);
  });

  it("a malformed id is a 404 as well", async () => {
    const { mine } = await twoSuppliers();
    expect((await openItem(context(), mine.clerk.cookie, "1 or 1=1")).status).toBe(404);
    expect((await workOnItem(context(), mine.clerk.cookie, "ibx_nope", { intent: "state", state: "done" })).status).toBe(404);
  });
});

describe("roles", () => {
  it("sales reads the inbox and the item but has no forms, and every change is a 403 with nothing written", async () => {
    const { mine, myItem } = await twoSuppliers();
    const sales = await mine.signIn("sales");
    expect((await openInbox(context(), sales.cookie)).items.map((item) => item.id)).toEqual([myItem.id]);
    expect(await itemPage(context(), sales.cookie, myItem.id)).toMatchObject({ work: false });
    expect(await newItemsBadge(context(), sales.cookie)).toBe(1);
    const before = await inboxTables(db());
    for (const fields of CHANGES) {
      expect((await workOnItem(context(), sales.cookie, myItem.id, fields)).status, fields.intent).toBe(403);
    }
    expect(await inboxTables(db())).toEqual(before);
  });

  it.each(["owner", "admin", "member"] as const)("%s may change an item", async (role) => {
    const { mine, myItem } = await twoSuppliers();
    const user = await mine.signIn(role);
    expect((await workOnItem(context(), user.cookie, myItem.id, { intent: "state", state: "waiting" })).status).toBe(303);
  });

  it("an unknown intent is a 400", async () => {
    const { mine, myItem } = await twoSuppliers();
    expect((await workOnItem(context(), mine.clerk.cookie, myItem.id, { intent: "delete" })).status).toBe(400);
  });
});

describe("paging", () => {
  it("walks every item once, newest first, by cursor; the badge stops counting at 99+", async () => {
    const world = await inboxWorld(db(), config);
    const start = Date.UTC(2026, 10, 1);
    const total = INBOX_PAGE_SIZE + 60;
    await db().transaction(async (tx) => {
      for (let i = 0; i < total; i += 1) {
        // Two items share each instant: the id breaks the tie, so none is skipped or repeated.
        await openInboxItem(tx, { supplierId: world.supplier.id, kind: "failing_address", sourceId: `person${i}@example.test`, openedAt: new Date(start + Math.floor(i / 2) * 1000) });
      }
    });
    const first = await openInbox(context(), world.clerk.cookie);
    expect(first.items).toHaveLength(INBOX_PAGE_SIZE);
    const second = await openInbox(context(), world.clerk.cookie, `?cursor=${encodeURIComponent(first.nextCursor!)}`);
    const third = await openInbox(context(), world.clerk.cookie, `?cursor=${encodeURIComponent(second.nextCursor!)}`);
    expect(third.nextCursor).toBeNull();
    const seen = [...first.items, ...second.items, ...third.items];
    expect(new Set(seen.map((item) => item.id)).size).toBe(total);
    const opened = seen.map((item) => item.openedAt);
    expect(opened).toEqual([...opened].sort().reverse());
    expect(await newItemsBadge(context(), world.clerk.cookie)).toBe(100);
  });
});

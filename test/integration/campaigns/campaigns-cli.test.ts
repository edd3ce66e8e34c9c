// The operator's campaign commands, run as the real CLI process against this file's database:
// create, start (the fan-out happens in the command, the worker sends), show, export, list and
// cancel, with every wrong flag named and nothing written when one is wrong.
import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { asc, eq } from "drizzle-orm";
import { campaigns, contacts, customers, emails, events } from "../../../db/schema";
import { useTestDatabase } from "../../support/database";
import { CLI_TIMEOUT, runCli } from "../../support/cli";
import { testConfig, testContext, TEST_BASE_URL, TEST_CREDENTIALS_KEYS, TEST_LINK_KEYS } from "../../support/context";
import { createSupplierWithCustomer } from "../../support/fixtures";
import { newPublicId } from "~/domain/public-id";
import { drainJobs } from "~/platform/jobs/queue.server";
import { CAMPAIGN_QUEUE_JOB } from "~/features/campaigns/campaigns.server";

const database = useTestDatabase();
const db = () => database.get().db;

/** The server's variables: the CLI signs the campaign links with the keys the server checks them with. */
const SERVER_ENV = {
  CREDENTIALS_KEYS: TEST_CREDENTIALS_KEYS, LINK_SIGNING_KEYS: TEST_LINK_KEYS, PUBLIC_BASE_URL: TEST_BASE_URL, CAMPAIGN_EMAILS_PER_MINUTE: "600",
};
const cli = (args: string[]) => runCli(args, { DATABASE_URL: database.url(), ...SERVER_ENV });
const config = testConfig(SERVER_ENV);

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** A supplier whose customers have two billing addresses, one, and none. */
async function supplierWithCustomers() {
  const owner = await createSupplierWithCustomer(db());
  const supplierId = owner.supplier.id;
  const addCustomer = async (name: string, addresses: (string | null)[]) => {
    const id = newPublicId("cus");
    await db().insert(customers).values({ id, supplierId, name });
    for (const email of addresses) {
      await db().insert(contacts).values({ id: newPublicId("con"), supplierId, customerId: id, name: `AP ${name}`, email, channel: email ? "email" : "post" });
    }
    return id;
  };
  const ids = [
    await addCustomer("Alpha AB", ["ap@alpha.test", "cfo@alpha.test"]),
    await addCustomer("Beta Ltd", ["invoices@beta.test"]),
    await addCustomer("Gamma HB", [null]),
  ];
  return { supplierId, ids };
}

const campaignsOf = (supplierId: string) => db().select().from(campaigns).where(eq(campaigns.supplierId, supplierId));

describe("npm run cli -- campaign:…", CLI_TIMEOUT, () => {
  it("creates and starts a campaign: the emails are queued once, the summary and the export show each customer", async () => {
    const { supplierId, ids } = await supplierWithCustomers();
    const folder = mkdtempSync(path.join(tmpdir(), "campaign-cli-"));
    const messageFile = path.join(folder, "message.txt");
    writeFileSync(messageFile, "Hej!\n\nStämmer uppgifterna vi skickar fakturor till?\n");

    const created = await cli([
      "campaign:create", "--supplier", supplierId, "--name", "Årlig kontroll 2026", "--audience", `ids:${ids.join(",")}`,
      "--message-file", messageFile, "--deadline", inDays(30), "--json",
    ]);
    expect(created.code, created.stderr).toBe(0);
    const campaign = JSON.parse(created.stdout) as { id: string; status: string; message: string; audience: unknown };
    expect(campaign).toMatchObject({ status: "draft", message: "Hej!\n\nStämmer uppgifterna vi skickar fakturor till?", audience: { customer_ids: ids } });

    // Not a terminal: no progress bar, the summary at once, and where the sending happens.
    const started = await cli(["campaign:start", campaign.id, "--supplier", supplierId]);
    expect(started.code, started.stderr).toBe(0);
    expect(started.stdout).toContain(`Started campaign ${campaign.id}: 3 emails queued to 2 customers.`);
    expect(started.stdout).toContain("1 customer has no billing contact with an email address");
    expect(started.stdout).toMatch(/customers\s+3\n/);
    expect(started.stdout).toMatch(/no answer\s+3\n/);
    expect(started.stdout).toMatch(/emails\s+3 {2}queued 3, sent 0/);
    expect(started.stdout).toContain("npm run worker");
    const queued = await db().select({ to: emails.toAddress, status: emails.status }).from(emails)
      .where(eq(emails.campaignId, campaign.id)).orderBy(asc(emails.toAddress));
    expect(queued).toEqual([
      { to: "ap@alpha.test", status: "queued" }, { to: "cfo@alpha.test", status: "queued" }, { to: "invoices@beta.test", status: "queued" },
    ]);

    // The worker's run of the same fan-out finds it done; a second start is refused.
    await drainJobs(testContext(database.get(), config).app, { names: [CAMPAIGN_QUEUE_JOB] });
    expect(await db().select().from(emails).where(eq(emails.campaignId, campaign.id))).toHaveLength(3);
    const again = await cli(["campaign:start", campaign.id, "--supplier", supplierId]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/error: The campaign was already started/);

    const shown = await cli(["campaign:show", campaign.id, "--supplier", supplierId]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain(`${campaign.id}  Årlig kontroll 2026`);
    expect(shown.stdout).toMatch(/3 listed customers; deadline end of \d{4}-\d{2}-\d{2} \(Europe\/Stockholm\)/);
    const showJson = await cli(["campaign:show", campaign.id, "--supplier", supplierId, "--json"]);
    expect(JSON.parse(showJson.stdout)).toMatchObject({ id: campaign.id, counts: { customers: 3, no_answer: 3 }, emails: { total: 3 } });

    const out = path.join(folder, "answers.csv");
    const exported = await cli(["campaign:export", campaign.id, "--supplier", supplierId, "--out", out]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr).toContain(`Wrote 4 lines (one per billing contact) and the header to ${out}`);
    const file = readFileSync(out, "utf8");
    expect(file.startsWith("\ufeffcustomer_id,")).toBe(true);
    const toStdout = await cli(["campaign:export", campaign.id, "--supplier", supplierId]);
    expect(toStdout.stdout).toBe(file.slice(1));
    // One line per billing contact (Gamma's has no address, still a line), customers in id order.
    const linesOf: Record<string, string[]> = { [ids[0]!]: ["Alpha AB", "Alpha AB"], [ids[1]!]: ["Beta Ltd"], [ids[2]!]: ["Gamma HB"] };
    expect(toStdout.stdout.split("\r\n").filter(Boolean).map((line) => line.split(",")[2])).toEqual(
      ["customer_name", ...[...ids].sort().flatMap((id) => linesOf[id]!)],
    );

    const audited = await db().select({ type: events.type, actor: events.actor, actorId: events.actorId }).from(events)
      .where(eq(events.supplierId, supplierId)).orderBy(asc(events.seq));
    expect(audited).toEqual(expect.arrayContaining([
      { type: "campaign.created", actor: "operator", actorId: "cli" },
      { type: "campaign.started", actor: "operator", actorId: "cli" },
    ]));
  });

  it("names every wrong flag, exits 1 and creates nothing", async () => {
    const { supplierId, ids } = await supplierWithCustomers();
    const stranger = newPublicId("cus");
    const base = ["campaign:create", "--supplier", supplierId, "--name", "Kontroll", "--message", "Hej"];

    const badAudience = await cli([...base, "--audience", "everyone", "--deadline", inDays(30)]);
    expect(badAudience.code).toBe(1);
    expect(badAudience.stderr).toContain("error: --audience: must be all, open_invoices, stale:<months> or ids:cus_a,cus_b");

    const unknownIds = await cli([...base, "--audience", `ids:${ids[0]},${stranger}`, "--deadline", inDays(30)]);
    expect(unknownIds.code).toBe(1);
    expect(unknownIds.stderr).toContain(`error: --audience ids: ${stranger}: no customer with this id`);

    const badDates = await cli([...base, "--audience", "stale:0", "--deadline", "2026-02-30", "--start-at", "soon"]);
    expect(badDates.code).toBe(1);
    expect(badDates.stderr).toContain("error: --audience: stale_months must be 1 to 120");
    expect(badDates.stderr).toContain("error: --deadline: deadline must be a date (2026-12-31)");
    expect(badDates.stderr).toContain("error: --start-at: start_at must be a date");

    const tooFar = await cli([...base, "--audience", "all", "--deadline", inDays(400)]);
    expect(tooFar.code).toBe(1);
    expect(tooFar.stderr).toContain("error: --deadline: deadline must be within 366 days");

    const noMessage = await cli(["campaign:create", "--supplier", supplierId, "--name", "x", "--audience", "all", "--deadline", inDays(30)]);
    expect(noMessage.code).toBe(64);
    expect(noMessage.stderr).toContain("needs either --message");

    const noSupplier = await cli([...base.slice(0, 2), newPublicId("sup"), ...base.slice(3), "--audience", "all", "--deadline", inDays(30)]);
    expect(noSupplier.code).toBe(1);
    expect(noSupplier.stderr).toMatch(/No supplier with id sup_/);

    expect(await campaignsOf(supplierId)).toEqual([]);
  });

  it("lists the campaigns and cancels one; a second cancel and an unknown id exit 1", async () => {
    const { supplierId } = await supplierWithCustomers();
    const create = async (name: string) => {
      const run = await cli(["campaign:create", "--supplier", supplierId, "--name", name, "--audience", "open_invoices", "--message", "Hej", "--deadline", inDays(20), "--json"]);
      expect(run.code, run.stderr).toBe(0);
      return (JSON.parse(run.stdout) as { id: string }).id;
    };
    const first = await create("Vår 2026");
    const second = await create("Höst 2026");

    const cancelled = await cli(["campaign:cancel", first, "--supplier", supplierId]);
    expect(cancelled.code, cancelled.stderr).toBe(0);
    expect(cancelled.stdout).toContain(`Cancelled campaign ${first}`);
    const twice = await cli(["campaign:cancel", first, "--supplier", supplierId]);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain("already cancelled");
    const unknown = newPublicId("cmp");
    const missing = await cli(["campaign:show", unknown, "--supplier", supplierId]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`No campaign ${unknown} of supplier ${supplierId}`);

    const listed = await cli(["campaign:list", "--supplier", supplierId]);
    expect(listed.code, listed.stderr).toBe(0);
    const rows = listed.stdout.trim().split("\n");
    expect(rows[0]).toMatch(/^campaign\s+status\s+deadline\s+answered\s+name$/);
    expect(rows.slice(1).map((row) => row.split(/\s{2,}/).filter(Boolean))).toEqual([
      [second, "draft", expect.stringMatching(/^end of /), "0/0", "Höst 2026"],
      [first, "cancelled", expect.stringMatching(/^end of /), "0/0", "Vår 2026"],
    ]);
    const usage = await cli(["campaign:list"]);
    expect(usage.code).toBe(64);
  });
});

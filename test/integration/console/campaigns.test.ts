// Contact-update campaigns from the console, as an admin runs one: the create form with the API's
// rules and errors by field, start (the fan-out job queued with it), the live report with each
// customer's state, the answers export (formula-safe CSV) and cancel. Roles and other
// suppliers' ids are in campaigns-access.test.ts.
import { describe, expect, it } from "vitest";
import { and, asc, eq, sql } from "drizzle-orm";
import { campaigns, contacts, customers, events } from "../../../db/schema";
import * as listRoute from "~/routes/app.campaigns._index";
import * as reportRoute from "~/routes/app.campaigns.$id";
import * as csvRoute from "~/routes/app.campaigns.$id.answers[.]csv";
import { newPublicId } from "~/domain/public-id";
import { queueCampaign } from "~/features/campaigns/campaigns.server";
import { useTestDatabase } from "../../support/database";
import { testConfig, testContext } from "../../support/context";
import { getPage, newConsoleUser, postForm, signedInCookie } from "../../support/console";
import { newSupplier } from "../../support/suppliers";
import { recordTables } from "../../support/console-records";

const database = useTestDatabase();
const db = () => database.get().db;
const context = () => testContext(database.get());

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

async function adminWithCustomers() {
  const { supplierId } = await newSupplier(db());
  const admin = await newConsoleUser(db(), supplierId, "admin");
  const cookie = await signedInCookie(db(), admin.user.id, supplierId);
  const customer = async (name: string, email: string | null) => {
    const id = newPublicId("cus");
    await db().insert(customers).values({ id, supplierId, name });
    if (email) await db().insert(contacts).values({ id: newPublicId("con"), supplierId, customerId: id, email, channel: "email" });
    return id;
  };
  // A name a spreadsheet would run as a formula: the export must neutralise it.
  const formula = await customer("=HYPERLINK(\"http://evil.example\")", "ap@formula.example");
  const plain = await customer("Alfa AB", "ap@alfa.example");
  const silent = await customer("Tyst AB", null);
  return { supplierId, admin, cookie, formula, plain, silent };
}

const form = (overrides: Record<string, string> = {}) => ({
  intent: "create", name: "Årlig kontroll", message: "Stämmer våra uppgifter?", audience: "all", stale_months: "12", start_at: "", deadline: inDays(30), ...overrides,
});

describe("creating a campaign", () => {
  it("names each wrong field and writes nothing; a good form makes a draft and goes to its page", async () => {
    const { supplierId, admin, cookie } = await adminWithCustomers();
    const before = await recordTables(db());
    const wrong = await postForm(listRoute, context(), "/app/campaigns", form({ name: "", audience: "stale", stale_months: "500", deadline: "2026-02-30" }), { cookie });
    expect(wrong.status).toBe(422);
    expect(await wrong.json()).toMatchObject({
      errors: { name: "console.campaigns.error.name", stale_months: "console.campaigns.error.staleMonths", deadline: "console.campaigns.error.deadline" },
      values: { audience: "stale", stale_months: "500" },
    });
    // The deadline rule needs the clock (at least a day after the start): checked by the use case.
    const tooSoon = await postForm(listRoute, context(), "/app/campaigns", form({ deadline: inDays(0) }), { cookie });
    expect(tooSoon.status).toBe(422);
    expect(await tooSoon.json()).toMatchObject({ errors: { deadline: "console.campaigns.error.deadline" } });
    expect(await recordTables(db())).toEqual(before);

    const created = await postForm(listRoute, context(), "/app/campaigns", form(), { cookie });
    expect(created.status).toBe(303);
    const [row] = await db().select().from(campaigns).where(eq(campaigns.supplierId, supplierId));
    expect(created.headers.get("location")).toBe(`/app/campaigns/${row!.id}`);
    expect(row).toMatchObject({ name: "Årlig kontroll", status: "draft", audience: "all" });
    const [audit] = await db().select().from(events).where(and(eq(events.supplierId, supplierId), eq(events.type, "campaign.created")));
    expect(audit).toMatchObject({ actor: "user", actorId: admin.user.id });

    const list = (await (await getPage(listRoute, context(), "/app/campaigns", { cookie })).json()) as { manage: boolean; campaigns: { id: string; status: string }[] };
    expect(list).toMatchObject({ manage: true, campaigns: [{ id: row!.id, status: "draft" }] });
  });
});

describe("running a campaign", () => {
  it("start queues the fan-out once; the report shows each customer's state; the export is formula-safe; cancel stops it", async () => {
    const { supplierId, cookie, formula, plain, silent } = await adminWithCustomers();
    await postForm(listRoute, context(), "/app/campaigns", form(), { cookie });
    const [row] = await db().select().from(campaigns).where(eq(campaigns.supplierId, supplierId));
    const id = row!.id;
    const path = `/app/campaigns/${id}`;
    const post = (intent: string) => postForm(reportRoute, context(), path, { intent }, { cookie, params: { id } });
    const report = async () =>
      (await (await getPage(reportRoute, context(), path, { cookie, params: { id } })).json()) as {
        campaign: { status: string; counts: { customers: number } };
        recipients: { data: { customer_id: string; state: string }[] };
      };

    expect((await report()).recipients.data).toEqual([]);
    expect((await post("start")).status).toBe(303);
    const jobs = await db().execute<{ n: number }>(sql`select count(*)::int as n from pgboss.job where name = 'campaign.queue' and data->>'campaignId' = ${id}`);
    expect(jobs[0]!.n).toBe(1);
    const again = await post("start");
    expect(again.status).toBe(409);
    expect(await again.json()).toEqual({ error: "console.campaigns.error.cannotStart" });

    // The job's work, run here rather than by a worker.
    await queueCampaign({ db: db(), config: testConfig() }, { campaignId: id, supplierId });
    const live = await report();
    expect(live.campaign.counts.customers).toBe(3);
    expect(Object.fromEntries(live.recipients.data.map((r) => [r.customer_id, r.state]))).toEqual({ [formula]: "queued", [plain]: "queued", [silent]: "no_email" });

    const csv = await getPage(csvRoute, context(), `${path}/answers.csv`, { cookie, params: { id } });
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const text = await csv.text();
    expect(text.split("\r\n")[0]).toContain("customer_id,external_id,customer_name");
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
    expect(text).not.toMatch(/(^|,)=HYPERLINK/m);

    expect((await post("cancel")).status).toBe(303);
    expect((await report()).campaign.status).toBe("cancelled");
    const audit = await db().select({ type: events.type }).from(events).where(and(eq(events.supplierId, supplierId), eq(events.actor, "user"))).orderBy(asc(events.createdAt));
    expect(audit.map((e) => e.type)).toEqual(["campaign.created", "campaign.started", "campaign.cancelled"]);
  });
});

// The campaigns API as an integrating supplier uses it: create (every wrong field named), start
// (once), follow the counts while the worker sends and customers answer, export the answers as
// CSV, cancel, page through campaigns; and another supplier's key sees none of it.
import { describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { campaignRecipients, campaigns, contacts, customers, emails, events } from "../../../db/schema";
import { useTestDatabase } from "../../support/database";
import { callRoute, testConfig, testContext } from "../../support/context";
import { createInvoiceWithLink, createSupplierWithCustomer, tokenFromUrl } from "../../support/fixtures";
import { parseCsv } from "~/domain/csv";
import { newPublicId } from "~/domain/public-id";
import { drainJobs } from "~/platform/jobs/queue.server";
import { createApiKey } from "~/api/db/api-keys.server";
import { recordEmailOutcome } from "~/features/emails/db/emails.server";
import { recordCampaignAnswer } from "~/features/campaigns/campaign-answers.server";
import { resolveCampaignToken } from "~/features/campaigns/campaign-links.server";
import { CAMPAIGN_QUEUE_JOB } from "~/features/campaigns/campaigns.server";
import { EMAIL_SEND_JOB } from "~/features/emails/email.server";
import { emailLinkUrl } from "~/features/links/links.server";
import * as listRoute from "~/routes/api.v1.campaigns";
import * as reportRoute from "~/routes/api.v1.campaigns.$id";
import * as startRoute from "~/routes/api.v1.campaigns.$id.start";
import * as cancelRoute from "~/routes/api.v1.campaigns.$id.cancel";
import * as csvRoute from "~/routes/api.v1.campaigns.$id.answers[.]csv";
import { loader as invoiceLoader } from "~/routes/api.v1.invoices.$id";

const database = useTestDatabase();
const db = () => database.get().db;
// Every email's send job due at once, so draining sends them all (the rate has tests of its own).
const config = testConfig({ CAMPAIGN_EMAILS_PER_MINUTE: "1000000" });
const context = () => testContext(database.get(), config);

const DAY_MS = 86_400_000;
/** A calendar date `days` from today: the API checks deadlines against the real clock. */
const inDays = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10);

type Json = Record<string, unknown>;
type Counts = Record<string, number>;
type Report = Json & {
  id: string;
  status: string;
  counts: Counts;
  emails: Counts;
  recipients: { data: (Json & { customer_id: string; state: string })[]; has_more: boolean; next_after: string | null };
};
type Call = { headers?: Record<string, string>; json?: unknown; body?: string; query?: string };

/** A supplier with an API key and three customers: two billing addresses, one, and only a postal contact. */
async function supplierWithCustomers() {
  const owner = await createSupplierWithCustomer(db());
  const supplierId = owner.supplier.id;
  const key = await createApiKey(db(), supplierId);
  const addCustomer = async (name: string, people: { name: string; email: string | null }[]) => {
    const id = newPublicId("cus");
    await db().insert(customers).values({ id, supplierId, name, externalId: `K-${name.split(" ")[0]}` });
    for (const person of people) {
      await db().insert(contacts).values({
        id: newPublicId("con"), supplierId, customerId: id, name: person.name, email: person.email,
        channel: person.email ? "email" : "post", addressLine1: "Box 1", postalCode: "111 11", city: "Stockholm",
      });
    }
    return id;
  };
  const alpha = await addCustomer("Alpha AB", [{ name: "Anna Ek", email: "ap@alpha.test" }, { name: "Bo Ek", email: "cfo@alpha.test" }]);
  const beta = await addCustomer("Beta Ltd", [{ name: "=HYPERLINK(\"https://evil.test\")", email: "invoices@beta.test" }]);
  const gamma = await addCustomer("Gamma HB", [{ name: "Post room", email: null }]);
  const auth = { authorization: `Bearer ${key.key}` };
  return { owner, supplierId, auth, alpha, beta, gamma, ids: [alpha, beta, gamma].sort() };
}

const campaignBody = (audience: unknown, extra: Json = {}) => ({
  name: "Kontaktuppdatering 2026",
  audience,
  message: "Stämmer uppgifterna vi skickar fakturor till?\n\nTack!",
  deadline: inDays(30),
  ...extra,
});

/** The URL the route module serves, so the answer is checked against the right operation. */
function pathOf(route: object, id: string | undefined): string {
  const suffix = route === startRoute ? "/start" : route === cancelRoute ? "/cancel" : route === csvRoute ? "/answers.csv" : "";
  return `/api/v1/campaigns${id ? `/${id}` : ""}${suffix}`;
}

function get(route: { loader: unknown }, auth: Record<string, string>, id: string | undefined, call: Call = {}) {
  const path = `${pathOf(route, id)}${call.query ?? ""}`;
  return callRoute(route.loader as never, context(), { path, params: id ? { id } : {}, headers: { ...auth, ...call.headers } });
}

function post(route: { action: unknown }, auth: Record<string, string>, id: string | undefined, call: Call = {}) {
  return callRoute(route.action as never, context(), {
    method: "POST",
    path: pathOf(route, id),
    params: id ? { id } : {},
    headers: { ...auth, ...call.headers },
    ...(call.json !== undefined ? { json: call.json } : {}),
    ...(call.body !== undefined ? { body: call.body } : {}),
  });
}

async function body<T = Json>(response: Response, status: number): Promise<T> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  return JSON.parse(text) as T;
}

async function create(auth: Record<string, string>, json: unknown): Promise<string> {
  return (await body<{ id: string }>(await post(listRoute, auth, undefined, { json }), 201)).id;
}

const report = async (auth: Record<string, string>, id: string, query = "") => body<Report>(await get(reportRoute, auth, id, { query }), 200);

const queueJobs = async (campaignId: string) => {
  const [row] = await db().execute<{ n: number }>(
    sql`select count(*)::int as n from pgboss.job where name = ${CAMPAIGN_QUEUE_JOB} and data->>'campaignId' = ${campaignId}`,
  );
  return row!.n;
};

/** The worker: the fan-out and the emails, as two workers at once would run them. */
const runWorkers = () => Promise.all([1, 2].map(() => drainJobs(context().app, { names: [CAMPAIGN_QUEUE_JOB, EMAIL_SEND_JOB] })));

/** The customer answers on its campaign page, through the link its email carried. */
async function answer(campaignId: string, customerId: string, given: "confirmed" | "corrected") {
  const [recipient] = await db().select({ linkId: campaignRecipients.linkId }).from(campaignRecipients)
    .where(and(eq(campaignRecipients.campaignId, campaignId), eq(campaignRecipients.customerId, customerId)));
  const url = await emailLinkUrl(db(), config, recipient!.linkId!);
  const resolved = await resolveCampaignToken(db(), config, tokenFromUrl(url!));
  if (!resolved.ok) throw new Error(`link of ${customerId} does not resolve: ${resolved.reason}`);
  const [customer] = await db().select({ id: customers.id, name: customers.name }).from(customers).where(eq(customers.id, customerId));
  await db().transaction((tx) => recordCampaignAnswer(tx, resolved.link, given, { customer: customer!, origin: { ip: null, userAgent: null } }, new Date()));
  return tokenFromUrl(url!);
}

const emailsOf = (campaignId: string, customerId: string) =>
  db().select({ id: emails.id, to: emails.toAddress }).from(emails)
    .where(and(eq(emails.campaignId, campaignId), eq(emails.customerId, customerId)));

describe("POST /api/v1/campaigns", () => {
  it("creates a draft (201, Location) and sends nothing yet", async () => {
    const { supplierId, auth, alpha, beta } = await supplierWithCustomers();
    const response = await post(listRoute, auth, undefined, { json: campaignBody({ customer_ids: [alpha, beta, alpha] }, { deadline: "2026-12-31" }) });
    const created = await body<Json & { id: string }>(response, 201);
    expect(response.headers.get("location")).toBe(`https://pay.example.test/api/v1/campaigns/${created.id}`);
    expect(created).toMatchObject({
      object: "campaign",
      name: "Kontaktuppdatering 2026",
      message: "Stämmer uppgifterna vi skickar fakturor till?\n\nTack!",
      // The same customer twice is asked once.
      audience: { customer_ids: [alpha, beta] },
      status: "draft",
      start_at: null,
      // A date is the end of that day in the supplier's time zone (Europe/Stockholm, winter time).
      deadline: "2026-12-31T23:00:00.000Z",
      started_at: null,
      counts: { customers: 0, sent: 0, delivered: 0, bounced: 0, opened: 0, confirmed: 0, corrected: 0, no_answer: 0 },
    });
    expect(await db().select().from(emails).where(eq(emails.supplierId, supplierId))).toEqual([]);
    expect(await queueJobs(created.id)).toBe(0);
    const logged = await db().select({ type: events.type, actor: events.actor }).from(events)
      .where(and(eq(events.supplierId, supplierId), eq(events.type, "campaign.created")));
    expect(logged).toEqual([{ type: "campaign.created", actor: "supplier" }]);
  });

  it.each([
    ["all", "all"],
    ["open_invoices", "open_invoices"],
    ["stale months", { stale_months: 12 }],
  ])("accepts the audience %s", async (_label, audience) => {
    const { auth } = await supplierWithCustomers();
    const created = await body(await post(listRoute, auth, undefined, { json: campaignBody(audience) }), 201);
    expect(created.audience).toEqual(audience);
  });

  const now = Date.now();
  const inHours = (hours: number) => new Date(now + hours * 3_600_000).toISOString();
  it.each<[string, Json, [string, RegExp][]]>([
    ["nothing at all", {}, [["name", /required/], ["audience", /audience must be/], ["message", /required/], ["deadline", /required/]]],
    ["an unknown audience", { audience: "everyone" }, [["audience", /"all", "open_invoices", \{"stale_months": N\}/]]],
    ["stale_months of 0", { audience: { stale_months: 0 } }, [["audience.stale_months", /1 to 120/]]],
    ["stale_months not whole", { audience: { stale_months: 1.5 } }, [["audience.stale_months", /whole number/]]],
    ["an unknown field in the audience", { audience: { stale_months: 6, since: "2025" } }, [["audience.since", /unknown field/]]],
    ["an empty customer list", { audience: { customer_ids: [] } }, [["audience.customer_ids", /at least one/]]],
    ["an invoice id as customer", { audience: { customer_ids: ["inv_4mZ7Qk2Vb9XcYtR1sPq3Lw"] } }, [["audience.customer_ids[0]", /customer id \(cus_…\)/]]],
    ["an empty name", { name: "  " }, [["name", /must not be empty/]]],
    ["a message too long", { message: "x".repeat(5001) }, [["message", /at most 5000/]]],
    ["a deadline that is no date", { deadline: "31/12/2026" }, [["deadline", /deadline must be a date \(2026-12-31\)/]]],
    ["a deadline that is no calendar day", { deadline: "2026-02-30" }, [["deadline", /deadline must be a date/]]],
    ["a deadline time without offset", { deadline: "2026-12-31T16:00:00" }, [["deadline", /with its offset/]]],
    ["a deadline that is a number", { deadline: 20261231 }, [["deadline", /must be a date or a date-time string/]]],
    ["a deadline in the past", { deadline: "2020-01-01" }, [["deadline", /at least one day after the campaign starts/]]],
    ["a deadline too close", { deadline: inHours(12) }, [["deadline", /at least one day after/]]],
    ["a deadline too far", { deadline: inDays(400) }, [["deadline", /within 366 days/]]],
    ["a deadline too close to start_at", { start_at: `${inDays(10)}T08:00:00+01:00`, deadline: `${inDays(10)}T20:00:00+01:00` }, [["deadline", /at least one day after/]]],
    ["a start_at that is no date", { start_at: "tomorrow" }, [["start_at", /start_at must be a date/]]],
    ["an unknown field", { deadlines: "2026-12-31" }, [["deadlines", /unknown field/]]],
  ])("refuses %s with 422 naming the field, and writes nothing", async (_label, changes, expected) => {
    const { supplierId, auth } = await supplierWithCustomers();
    const json = Object.keys(changes).length === 0 ? {} : { ...campaignBody("all"), ...changes };
    const problem = await body<{ title: string; errors: { field: string; message: string }[] }>(
      await post(listRoute, auth, undefined, { json }), 422);
    expect(problem.title).toBe("Validation failed");
    expect(problem.errors.map((error) => error.field)).toEqual(expected.map(([field]) => field));
    expected.forEach(([, message], index) => expect(problem.errors[index]!.message).toMatch(message));
    expect(await db().select().from(campaigns).where(eq(campaigns.supplierId, supplierId))).toEqual([]);
  });

  it("names each unknown customer id by its place in the list", async () => {
    const { supplierId, auth, alpha } = await supplierWithCustomers();
    const other = await supplierWithCustomers();
    const stranger = newPublicId("cus");
    const problem = await body<{ errors: Json[] }>(
      await post(listRoute, auth, undefined, { json: campaignBody({ customer_ids: [alpha, stranger, other.alpha] }) }), 422);
    expect(problem.errors).toEqual([
      { field: "audience.customer_ids[1]", message: "no customer with this id" },
      // Another supplier's customer answers exactly like an unknown one.
      { field: "audience.customer_ids[2]", message: "no customer with this id" },
    ]);
    expect(await db().select().from(campaigns).where(eq(campaigns.supplierId, supplierId))).toEqual([]);
  });

  it("answers 415 for a body that is not JSON and 400 for broken JSON", async () => {
    const { auth } = await supplierWithCustomers();
    expect((await post(listRoute, auth, undefined, { body: "name=x" })).status).toBe(415);
    expect((await post(listRoute, auth, undefined, { body: "{", headers: { "content-type": "application/json" } })).status).toBe(400);
  });

  it("creates one campaign per Idempotency-Key: a retry answers the first answer", async () => {
    const { supplierId, auth } = await supplierWithCustomers();
    const call = { json: campaignBody("all"), headers: { "idempotency-key": "create-1" } };
    const first = await post(listRoute, auth, undefined, call);
    const again = await post(listRoute, auth, undefined, call);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await body(again, 201)).toEqual(await body(first, 201));
    expect(await db().select().from(campaigns).where(eq(campaigns.supplierId, supplierId))).toHaveLength(1);
    const changed = await post(listRoute, auth, undefined, { ...call, json: { ...call.json, name: "Another" } });
    expect((await body<{ errors: Json[] }>(changed, 422)).errors).toEqual([{ field: "Idempotency-Key", message: "already used with another request body" }]);
  });
});

describe("POST /api/v1/campaigns/:id/start", () => {
  it("answers 202 and queues the fan-out once; a second start is a 409, a retry with the key a replay", async () => {
    const { auth, ids } = await supplierWithCustomers();
    const id = await create(auth, campaignBody({ customer_ids: ids }));
    const key = { headers: { "idempotency-key": "start-1" } };
    const started = await post(startRoute, auth, id, key);
    const first = await body<Json>(started, 202);
    expect(first).toMatchObject({ id, status: "sending", started_at: expect.any(String) });
    expect(await queueJobs(id)).toBe(1);

    const replay = await post(startRoute, auth, id, key);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(await body(replay, 202)).toEqual(first);

    const twice = await body<{ detail: string }>(await post(startRoute, auth, id), 409);
    expect(twice.detail).toMatch(/already started/);
    expect(await queueJobs(id)).toBe(1);
  });

  it("waits for a future start_at: scheduled, the fan-out due then", async () => {
    const { auth } = await supplierWithCustomers();
    const startAt = `${inDays(3)}T08:00:00+01:00`;
    const id = await create(auth, campaignBody("all", { start_at: startAt }));
    expect(await body(await post(startRoute, auth, id), 202)).toMatchObject({ status: "scheduled", start_at: new Date(startAt).toISOString() });
    const [job] = await db().execute<{ start_after: string }>(
      sql`select start_after::text from pgboss.job where name = ${CAMPAIGN_QUEUE_JOB} and data->>'campaignId' = ${id}`,
    );
    expect(new Date(job!.start_after).toISOString()).toBe(new Date(startAt).toISOString());
  });

  it("answers 404 for an id that is not a campaign's", async () => {
    const { auth } = await supplierWithCustomers();
    for (const id of [newPublicId("cmp"), "cmp_nope", newPublicId("inv")]) {
      expect(await body(await post(startRoute, auth, id), 404)).toMatchObject({ detail: "Campaign not found." });
    }
  });
});

describe("GET /api/v1/campaigns/:id: progress while the emails go out and customers answer", () => {
  it("counts sent, delivered, bounced, opened and the answers, per customer too", async () => {
    const { owner, auth, alpha, beta, gamma, ids } = await supplierWithCustomers();
    const id = await create(auth, campaignBody({ customer_ids: ids }));
    await body(await post(startRoute, auth, id), 202);
    await runWorkers();

    let progress = await report(auth, id);
    expect(progress.status).toBe("open");
    // The outbox delivers at once; Gamma has no email address, so nobody could be asked.
    expect(progress.counts).toEqual({ customers: 3, sent: 2, delivered: 2, bounced: 0, opened: 0, confirmed: 0, corrected: 0, no_answer: 3 });
    expect(progress.emails).toEqual({ total: 3, queued: 0, sent: 3, delivered: 3, opened: 0, bounced: 0, suppressed: 0, failed: 0 });
    const stateOf = (r: Report) => Object.fromEntries(r.recipients.data.map((row) => [row.customer_id, row.state]));
    expect(stateOf(progress)).toEqual({ [alpha]: "delivered", [beta]: "delivered", [gamma]: "no_email" });
    expect(progress.recipients.data.find((row) => row.customer_id === alpha)).toMatchObject({
      customer_name: "Alpha AB",
      external_id: "K-Alpha",
      answer: null,
      contacts_confirmed_at: null,
    });
    const alphaEmails = progress.recipients.data.find((row) => row.customer_id === alpha)!.emails as Json[];
    expect(alphaEmails.map(({ to, kind, status }) => ({ to, kind, status })).sort((x, y) => String(x.to).localeCompare(String(y.to)))).toEqual([
      { to: "ap@alpha.test", kind: "request", status: "sent" },
      { to: "cfo@alpha.test", kind: "request", status: "sent" },
    ]);

    // Beta's address bounces; one of Alpha's is opened, and Alpha answers "All correct".
    const [betaEmail] = await emailsOf(id, beta);
    await recordEmailOutcome(db(), betaEmail!.id, "bounced", new Date());
    const [alphaEmail] = await emailsOf(id, alpha);
    await recordEmailOutcome(db(), alphaEmail!.id, "opened", new Date());
    await answer(id, alpha, "confirmed");

    progress = await report(auth, id);
    expect(progress.counts).toEqual({ customers: 3, sent: 2, delivered: 2, bounced: 1, opened: 1, confirmed: 1, corrected: 0, no_answer: 2 });
    expect(stateOf(progress)).toEqual({ [alpha]: "confirmed", [beta]: "bounced", [gamma]: "no_email" });
    const alphaRow = progress.recipients.data.find((row) => row.customer_id === alpha)!;
    expect(alphaRow).toMatchObject({ answer: "confirmed", answered_at: expect.any(String), contacts_confirmed_at: alphaRow.answered_at });

    // Beta corrects its contacts after all: corrected, and the confirmation date shows on its invoices.
    await answer(id, beta, "corrected");
    progress = await report(auth, id);
    expect(progress.counts).toMatchObject({ confirmed: 1, corrected: 1, no_answer: 1 });
    const betaRow = progress.recipients.data.find((row) => row.customer_id === beta)!;
    const invoice = await createInvoiceWithLink(db(), config, { supplier: owner.supplier, customerId: beta });
    const invoiceJson = await body<Json>(
      await callRoute(invoiceLoader as never, context(), { path: `/api/v1/invoices/${invoice.invoice.id}`, params: { id: invoice.invoice.id }, headers: auth }), 200);
    expect((invoiceJson.customer as Json).contacts_confirmed_at).toBe(betaRow.contacts_confirmed_at);
    expect(betaRow.contacts_confirmed_at).not.toBeNull();
  });

  it("pages the customers with ?limit and ?after, and names a bad query parameter", async () => {
    const { auth, ids } = await supplierWithCustomers();
    const id = await create(auth, campaignBody({ customer_ids: ids }));
    await body(await post(startRoute, auth, id), 202);
    await runWorkers();

    const first = await report(auth, id, "?limit=2");
    expect(first.recipients.data.map((row) => row.customer_id)).toEqual(ids.slice(0, 2));
    expect(first.recipients).toMatchObject({ has_more: true, next_after: ids[1] });
    const second = await report(auth, id, `?limit=2&after=${first.recipients.next_after}`);
    expect(second.recipients.data.map((row) => row.customer_id)).toEqual(ids.slice(2));
    expect(second.recipients).toMatchObject({ has_more: false, next_after: null });
    // The counts are the whole campaign's on every page.
    expect(second.counts.customers).toBe(3);

    for (const [query, field] of [["?limit=0", "limit"], ["?limit=1001", "limit"], ["?limit=ten", "limit"], ["?after=inv_1", "after"], ["?page=2", "page"]]) {
      const problem = await body<{ errors: { field: string }[] }>(await get(reportRoute, auth, id, { query }), 422);
      expect(problem.errors.map((error) => error.field), query).toEqual([field]);
    }
  });
});

describe("GET /api/v1/campaigns/:id/answers.csv", () => {
  it("exports one line per billing contact, a header, UTF-8 with BOM, and formulas neutralised", async () => {
    const { auth, alpha, beta, gamma, ids } = await supplierWithCustomers();
    const id = await create(auth, campaignBody({ customer_ids: ids }));
    await body(await post(startRoute, auth, id), 202);
    await runWorkers();
    await answer(id, alpha, "confirmed");

    const response = await get(csvRoute, auth, id);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="${id}-answers.csv"`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const parsed = parseCsv(new TextDecoder().decode(bytes));
    if (!parsed.ok) throw new Error(parsed.error.message);
    const { header, rows } = parsed.table;
    expect(header.slice(0, 6)).toEqual(["customer_id", "external_id", "customer_name", "org_number", "state", "answer"]);
    const lines = rows.map((row) => Object.fromEntries(header.map((name, index) => [name, row.fields[index]])));
    // Customers in id order, each billing contact on a line of its own (a customer without an address too).
    const expected: Record<string, string[][]> = {
      [alpha]: [["Alpha AB", "Anna Ek", "ap@alpha.test", "confirmed", "confirmed"], ["Alpha AB", "Bo Ek", "cfo@alpha.test", "confirmed", "confirmed"]],
      // A payer-typed formula stays text in a spreadsheet.
      [beta]: [["Beta Ltd", "'=HYPERLINK(\"https://evil.test\")", "invoices@beta.test", "delivered", ""]],
      [gamma]: [["Gamma HB", "Post room", "", "no_email", ""]],
    };
    expect(lines.map((line) => [line.customer_name, line.contact_name, line.email, line.state, line.answer])).toEqual(
      ids.flatMap((customerId) => expected[customerId]!),
    );
    expect(rows.every((row) => row.fields.length === header.length)).toBe(true);
    expect(lines.find((line) => line.customer_id === alpha)!.answered_at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });
});

describe("POST /api/v1/campaigns/:id/cancel", () => {
  it("stops the campaign: its links stop working, a second cancel or a start is a 409", async () => {
    const { auth, ids, alpha } = await supplierWithCustomers();
    const id = await create(auth, campaignBody({ customer_ids: ids }));
    await body(await post(startRoute, auth, id), 202);
    await runWorkers();
    const token = await answer(id, alpha, "confirmed");

    const cancelled = await body<Json>(await post(cancelRoute, auth, id), 200);
    expect(cancelled).toMatchObject({ id, status: "cancelled", cancelled_at: expect.any(String) });
    expect(await resolveCampaignToken(db(), config, token)).toMatchObject({ ok: false });
    expect(await body<{ detail: string }>(await post(cancelRoute, auth, id), 409)).toMatchObject({ detail: expect.stringMatching(/already cancelled/) });
    expect((await post(startRoute, auth, id)).status).toBe(409);
    // The answers given stay readable.
    expect((await report(auth, id)).counts).toMatchObject({ confirmed: 1, no_answer: 2 });
  });

  it("cancels a draft, which can then never start", async () => {
    const { auth } = await supplierWithCustomers();
    const id = await create(auth, campaignBody("all"));
    expect(await body(await post(cancelRoute, auth, id), 200)).toMatchObject({ status: "cancelled", started_at: null });
    expect((await post(startRoute, auth, id)).status).toBe(409);
    expect(await queueJobs(id)).toBe(0);
  });
});

describe("GET /api/v1/campaigns", () => {
  it("lists the supplier's campaigns newest first, cursor-paged", async () => {
    const { auth } = await supplierWithCustomers();
    for (const name of ["First", "Second", "Third"]) await create(auth, campaignBody("all", { name }));
    const first = await body<{ data: Json[]; next_cursor: string | null }>(await get(listRoute, auth, undefined, { query: "?limit=2" }), 200);
    expect(first.data.map((campaign) => campaign.name)).toEqual(["Third", "Second"]);
    expect(first.next_cursor).toEqual(expect.any(String));
    const second = await body<{ data: Json[]; next_cursor: string | null }>(
      await get(listRoute, auth, undefined, { query: `?limit=2&cursor=${first.next_cursor}` }), 200);
    expect(second).toMatchObject({ data: [expect.objectContaining({ name: "First", status: "draft" })], next_cursor: null });

    for (const [query, field] of [["?limit=0", "limit"], ["?cursor=abc", "cursor"], ["?status=open", "status"]]) {
      const problem = await body<{ errors: { field: string }[] }>(await get(listRoute, auth, undefined, { query }), 422);
      expect(problem.errors.map((error) => error.field), query).toEqual([field]);
    }
  });
});

describe("another supplier's key", () => {
  it("cannot see, start, cancel or export the campaign: 404 exactly like an unknown id", async () => {
    const a = await supplierWithCustomers();
    const b = await supplierWithCustomers();
    const id = await create(a.auth, campaignBody({ customer_ids: a.ids }));
    const unknownId = newPublicId("cmp");
    const same = async (call: (campaignId: string) => Promise<Response>) => {
      const foreign = await call(id);
      const unknown = await call(unknownId);
      expect(foreign.status).toBe(404);
      expect(await foreign.text()).toBe(await unknown.text());
    };
    await same((campaignId) => get(reportRoute, b.auth, campaignId));
    await same((campaignId) => get(csvRoute, b.auth, campaignId));
    await same((campaignId) => post(startRoute, b.auth, campaignId));
    await same((campaignId) => post(cancelRoute, b.auth, campaignId));
    expect(await body(await get(listRoute, b.auth, undefined), 200)).toEqual({ data: [], next_cursor: null });

    // A's campaign is untouched: still a draft that A can start.
    expect(await report(a.auth, id)).toMatchObject({ status: "draft", started_at: null });
    expect(await queueJobs(id)).toBe(0);
    expect((await post(startRoute, a.auth, id)).status).toBe(202);
  });
});

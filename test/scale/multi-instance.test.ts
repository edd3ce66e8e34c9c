// Three web processes and three workers (real processes of the production server) on one
// PostgreSQL database, as three hosts behind a load balancer would run them. Invoices are created
// through all three (a retried Idempotency-Key lands on another process), the reminder run and a
// contact-update campaign fan out over the workers, every event goes to a supplier's webhook, and
// each Stripe event arrives twice at different processes. Everything must happen exactly once,
// and one rate limit must hold across the processes.
//
// SCALE_INVOICES / SCALE_CUSTOMERS set the volume. CI runs a small one that still spreads every
// kind of work over every process; the issue's full run (#20) is
// `SCALE_INVOICES=2000 SCALE_CUSTOMERS=1000 npx vitest run --project scale test/scale/multi-instance.test.ts`.
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import postgres from "postgres";
import { fakeResend } from "../support/fake-resend";
import { apiInvoiceBody, daysFromToday } from "../support/api-bodies";
import { startFakeStripe, type FakeStripe } from "../../server/fakes/stripe";
import { describeEnds, postStripeEvent, startCardCheckout, startInstances, type Instances } from "./instances";
import { evaluateReminders } from "~/features/reminders/reminders.server";
import { connect } from "../../db/client";

const INVOICES = Number(process.env.SCALE_INVOICES ?? 240);
const CUSTOMERS = Number(process.env.SCALE_CUSTOMERS ?? 120);
const IN_FLIGHT = 24;
// Above the requests in flight: the limit counts each request before it runs (and gives it back
// unless refused), so a lower one would refuse good requests sent at once.
const FAILED_KEYS_PER_MINUTE = 40;

const resend = fakeResend();
let stripe: FakeStripe;
let instances: Instances;
let receiver: Server;
const received: { id: string; type: string }[] = [];
let sql: postgres.Sql;
const t0 = Date.now();
const timings: Record<string, number> = {};

beforeAll(async () => {
  await resend.start();
  stripe = await startFakeStripe();
  receiver = createServer((request, response) => {
    request.resume().on("end", () => {
      received.push({ id: String(request.headers["webhook-id"]), type: String(request.headers["webhook-event-type"] ?? "") });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  instances = await startInstances({
    name: "multi",
    serverUrl: inject("templateDatabaseUrl"),
    webs: 3,
    workers: 3,
    env: {
      RESEND_API_KEY: "re_test_scale",
      RESEND_BASE_URL: resend.url(),
      EMAIL_FROM: "Scale AB <pay@scale.example>",
      STRIPE_API_URL: stripe.url,
      CAMPAIGN_EMAILS_PER_MINUTE: "1000000",
      API_REQUESTS_PER_MINUTE: "1000000",
      FAILED_API_KEYS_PER_MINUTE: String(FAILED_KEYS_PER_MINUTE),
      // The key guesser below comes from its own address (X-Forwarded-For), so its minute starts with it.
      TRUST_PROXY_HOPS: "1",
    },
  });
  const demoStripe = instances.demo.stripe!;
  stripe.addAccount(demoStripe.secretKey, { webhookUrl: demoStripe.webhookUrl, webhookSecret: demoStripe.webhookSecret });
  sql = postgres(instances.databaseUrl, { max: 2, onnotice: () => {} });
  timings.start = Date.now() - t0;
}, 600_000);

afterAll(async () => {
  await sql?.end();
  await instances?.stop();
  await stripe?.close();
  await resend.stop();
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
});

const web = (index: number) => instances.webs[index % instances.webs.length]!;
const api = (index: number, path: string, init: RequestInit & { key?: string } = {}) =>
  fetch(`${web(index).url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${init.key ?? instances.demo.apiKey}`, "content-type": "application/json", ...init.headers },
  });

async function inBatches<T>(count: number, run: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let start = 0; start < count; start += IN_FLIGHT) {
    results.push(...(await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, count - start) }, (_, k) => run(start + k)))));
  }
  return results;
}

/**
 * Waits until no job is due or running and no email or webhook delivery is pending (other
 * processes do the work). Jobs due later (a campaign's follow-ups) do not count.
 */
async function settled(ms = 120_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const [row] = await sql`
      select (select count(*) from pgboss.job where state = 'active' or (state in ('created', 'retry') and start_after <= now()))::int as jobs,
             (select count(*) from emails where status = 'queued')::int as emails,
             (select count(*) from webhook_deliveries where status = 'pending')::int as deliveries`;
    if (row!.jobs === 0 && row!.emails === 0 && row!.deliveries === 0) return;
    if (Date.now() > deadline) throw new Error(`not settled: ${JSON.stringify(row)}`);
    await new Promise((resolve) => setTimeout(resolve, 200)); // polling other processes' work
  }
}

/** The last weekday at 10:00 in Stockholm (09:00 UTC) before today: reminders go out on working hours. */
function workingMorning(): Date {
  const day = new Date(`${daysFromToday(-1)}T09:00:00Z`);
  while (day.getUTCDay() === 0 || day.getUTCDay() === 6) day.setUTCDate(day.getUTCDate() - 1);
  return day;
}

it(`${INVOICES} invoices, a reminder run, a ${CUSTOMERS}-customer campaign, webhooks and doubled Stripe events: each exactly once over 3 web and 3 worker processes`, async () => {
  // A webhook endpoint for every event.
  const endpoint = await api(0, "/api/v1/webhook-endpoints", {
    method: "POST",
    body: JSON.stringify({ url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks` }),
  });
  expect(endpoint.status).toBe(201);

  // Invoices through all three processes; every fifth is retried with its key on the next process.
  const morning = workingMorning();
  const overdueDue = new Date(morning.getTime() - 10 * 86_400_000).toISOString().slice(0, 10);
  let started = Date.now();
  const created = await inBatches(INVOICES, async (i) => {
    const customer = i % CUSTOMERS;
    const overdue = i % 4 === 0;
    const body = JSON.stringify(
      apiInvoiceBody({
        number: `S-${i}`,
        customer: { external_id: `SC-${customer}`, name: `Kund ${customer} AB`, email: `ap${customer}@kund.example` },
        send: true,
        ...(overdue ? { issue_date: daysFromToday(-40), due_date: overdueDue } : {}),
      }),
    );
    const key = `scale-invoice-${i}`;
    const first = await api(i, "/api/v1/invoices", { method: "POST", body, headers: { "idempotency-key": key } });
    expect(first.status, await first.clone().text()).toBe(201);
    const { id } = (await first.json()) as { id: string };
    if (i % 5 === 0) {
      const retry = await api(i + 1, "/api/v1/invoices", { method: "POST", body, headers: { "idempotency-key": key } });
      expect(retry.headers.get("idempotent-replayed")).toBe("true");
      expect(((await retry.json()) as { id: string }).id).toBe(id);
    }
    return id;
  });
  timings.invoices = Date.now() - started;
  expect(new Set(created).size).toBe(INVOICES);

  // The reminder run, started by two processes at once (as two schedulers might): each reminder queued once.
  started = Date.now();
  const connections = [connect(instances.databaseUrl, { max: 1 }), connect(instances.databaseUrl, { max: 1 })];
  const runs = await Promise.all(connections.map(({ db }) => evaluateReminders(db, { now: morning })));
  await Promise.all(connections.map((connection) => connection.close()));
  const overdueCount = Math.ceil(INVOICES / 4);
  expect(runs[0]!.queued.length + runs[1]!.queued.length).toBeGreaterThanOrEqual(overdueCount);

  // A contact-update campaign to every customer.
  const campaign = await api(1, "/api/v1/campaigns", {
    method: "POST",
    body: JSON.stringify({ name: "Kontaktuppgifter", audience: "all", message: "Stämmer uppgifterna?", deadline: daysFromToday(30) }),
  });
  expect(campaign.status, await campaign.clone().text()).toBe(201);
  const campaignId = ((await campaign.json()) as { id: string }).id;
  const start = await api(2, `/api/v1/campaigns/${campaignId}/start`, { method: "POST", headers: { "idempotency-key": "scale-campaign" } });
  expect(start.status, await start.clone().text()).toBeLessThan(300);
  const again = await api(0, `/api/v1/campaigns/${campaignId}/start`, { method: "POST", headers: { "idempotency-key": "scale-campaign" } });
  expect(again.status).toBeLessThan(300);

  // Stripe: the demo payer pays two invoices; each event reaches two different processes.
  const paid: string[] = [];
  for (const [n, invoice] of instances.demo.invoices.filter((inv) => inv.label !== "paid").entries()) {
    const sessionId = await startCardCheckout(instances, web(n), invoice.url);
    for (const type of ["checkout.session.completed", "payment_intent.succeeded"] as const) {
      const payload = JSON.stringify(stripe.buildEvent(sessionId, { type }));
      for (const target of [web(n), web(n + 1)]) {
        const answer = await postStripeEvent(instances, target, payload);
        expect(answer.status).toBeLessThan(300);
      }
    }
    paid.push(invoice.id);
  }

  // One rate limit across processes: bad API keys spread over all three are refused after the limit.
  const statuses = await inBatches(FAILED_KEYS_PER_MINUTE * 2, (i) =>
    api(i, "/api/v1/invoices", { key: "pp_live_not_a_key", headers: { "x-forwarded-for": "203.0.113.7" } }).then((r) => r.status),
  );
  expect(statuses.filter((status) => status === 401).length).toBe(FAILED_KEYS_PER_MINUTE);
  expect(statuses.filter((status) => status === 429).length).toBe(FAILED_KEYS_PER_MINUTE);

  await settled();
  timings.settled = Date.now() - started;

  // Every email once: one row per purpose and recipient, each sent, and Resend asked once per row.
  const emailRows = await sql<{ template: string; status: string; key: string }[]>`select template, status, idempotency_key as key from emails`;
  expect(emailRows.filter((row) => row.status !== "sent")).toEqual([]);
  const keys = resend.requests.map((request) => String(request.headers["idempotency-key"]));
  expect(keys.length).toBe(emailRows.length);
  expect(new Set(keys).size).toBe(keys.length);
  const byTemplate = (template: string) => emailRows.filter((row) => row.template === template).length;
  const [counts] = await sql`
    select (select count(*) from invoices where number like 'S-%')::int as invoices,
           (select count(*) from reminders)::int as reminders,
           (select count(*) - count(distinct (invoice_id, step)) from reminders)::int as duplicate_reminders,
           (select count(*) from campaign_recipients where campaign_id = ${campaignId})::int as recipients,
           (select count(*) from campaign_recipients where campaign_id = ${campaignId} and queued_at is null)::int as unqueued,
           (select count(*) from emails where campaign_id = ${campaignId})::int as campaign_emails,
           (select count(*) from webhook_deliveries)::int as deliveries,
           (select count(*) from webhook_deliveries where status <> 'succeeded')::int as undelivered,
           (select count(*) from pgboss.job where state = 'failed')::int as failed_jobs`;
  // Each (invoice, step) queued once however many runs; their sending waits for working hours in
  // the supplier's time zone (the reminder.send jobs due later), so it is not awaited here.
  expect(counts).toMatchObject({ invoices: INVOICES, duplicate_reminders: 0, unqueued: 0, undelivered: 0, failed_jobs: 0 });
  expect(counts!.reminders).toBeGreaterThanOrEqual(overdueCount);
  expect(counts!.recipients).toBeGreaterThanOrEqual(CUSTOMERS);
  expect(counts!.campaign_emails).toBe(counts!.recipients);
  expect(byTemplate("invoice-notice")).toBe(INVOICES);

  // Every webhook delivery once: one POST per (message, endpoint), none twice.
  expect(received.length).toBe(counts!.deliveries);
  expect(new Set(received.map((hook) => hook.id)).size).toBe(received.length);

  // The ledger: each doubled Stripe event booked once.
  const ledger = await sql<{ invoice_id: string; n: number }[]>`select invoice_id, count(*)::int as n from payments where invoice_id in ${sql(paid)} group by invoice_id`;
  expect(ledger.map((row) => row.n)).toEqual(paid.map(() => 1));

  // No process died on the way.
  expect([...instances.webs, ...instances.workers].flatMap((instance) => instance.exits), describeEnds(instances)).toEqual([]);

  console.log(
    `multi-instance: ${INVOICES} invoices (${Math.round(INVOICES / (timings.invoices! / 1000))}/s over 3 web processes), ` +
      `${counts!.reminders} reminders, ${counts!.campaign_emails} campaign emails, ${emailRows.length} emails, ` +
      `${counts!.deliveries} webhook deliveries, ${paid.length * 4} Stripe deliveries → ${paid.length} payments; ` +
      `start ${(timings.start! / 1000).toFixed(1)} s, invoices ${(timings.invoices! / 1000).toFixed(1)} s, rest settled in ${(timings.settled! / 1000).toFixed(1)} s`,
  );
}, 600_000);

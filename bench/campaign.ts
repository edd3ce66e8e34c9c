// `npm run bench:campaign`: one supplier with 10,000 customers (1–2 billing contacts each, in
// Swedish and English), and a contact-update campaign to all of them, created and started through
// the service. Times the fan-out (the campaign.queue job: recipients, links, one email row and one
// email.send job per contact, in one transaction) and then the drain of every email.send job with
// the outbox transport (render in the contact's language, store, mark sent), one job after another
// as one worker does. Checks that every contact got exactly one email carrying its customer's
// working /c/ link, and that starting again sends nothing. Prints tables; the exit code is the check.
// BENCH_CUSTOMERS sets the number of customers; BENCH_WORKERS runs that many drain loops at once
// in this process (they share one core: it shows how much the database's round trips cost).
// DATABASE_URL's server when set (a scratch database is created and dropped), else an embedded one.
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import type postgres from "postgres";
import pino from "pino";
import { openScratchDatabase } from "./scratch-database";
import { loadConfig } from "../app/platform/config.server";
import type { AppServices } from "../app/platform/context";
import { drainJobs } from "../app/platform/jobs/queue.server";
import type { AnyJob } from "../app/platform/jobs/registry.server";
import { emailSendJob } from "../app/features/emails/email-send.job.server";
import { getEmail } from "../app/features/emails/db/emails.server";
import { createSupplier } from "../app/features/suppliers/db/suppliers.server";
import { resolveCampaignToken } from "../app/features/campaigns/campaign-links.server";
import { CAMPAIGN_QUEUE_JOB, createCampaign, queueCampaign, startCampaign } from "../app/features/campaigns/campaigns.server";
import { deliveredCopy } from "../app/features/emails/email-context.server";

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 10_000);
const WORKERS = Math.max(1, Number(process.env.BENCH_WORKERS ?? 1));
/** Every second customer has a second billing contact. */
const EXPECTED_EMAILS = CUSTOMERS + Math.floor(CUSTOMERS / 2);
const SAMPLES = 25;

const seconds = (start: number) => (performance.now() - start) / 1000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

/**
 * Customers and contacts in SQL. Languages: contacts alternate sv, en and none; a contact without
 * one gets its customer's (every fifth customer reads English) or else the supplier's Swedish.
 */
async function generate(sql: postgres.Sql, supplierId: string) {
  await sql`
    insert into customers (id, supplier_id, name, language)
    select 'cus_' || lpad(i::text, 22, '0'), ${supplierId}, 'Kund ' || i || ' AB', case when i % 5 = 0 then 'en' end
    from generate_series(1, ${CUSTOMERS}) i`;
  await sql`
    insert into contacts (id, supplier_id, customer_id, name, email, language, channel, is_billing)
    select 'con_' || lpad(i::text, 22, '0'), ${supplierId}, 'cus_' || lpad(i::text, 22, '0'), 'Ekonomi ' || i,
           'faktura@kund' || i || '.example', (array['sv', 'en', null])[i % 3 + 1], 'email', true
    from generate_series(1, ${CUSTOMERS}) i
    union all
    select 'con_' || lpad((${CUSTOMERS} + i)::text, 22, '0'), ${supplierId}, 'cus_' || lpad(i::text, 22, '0'), 'Controller ' || i,
           'controller@kund' || i || '.example', (array['en', 'sv', null])[i % 3 + 1], case when i % 4 = 0 then 'post' else 'email' end, true
    from generate_series(2, ${CUSTOMERS}, 2) i`;
  await sql`analyze customers, contacts`;
}

/** The email.send job with each email's time recorded (render, store, mark sent; not the queue's own work). */
function timedEmailSend(timings: number[]): AnyJob {
  return {
    ...emailSendJob,
    handle: async (payload, services) => {
      const start = performance.now();
      await emailSendJob.handle(payload, services);
      timings.push(performance.now() - start);
    },
  };
}

/** Drains until no email is left queued; jobs spread out by the throttle may not be due yet. */
async function drainEmails(services: AppServices, sql: postgres.Sql, job: AnyJob): Promise<number> {
  let ran = 0;
  for (;;) {
    const counts = await Promise.all(Array.from({ length: WORKERS }, () => drainJobs(services, { jobs: [job] })));
    ran += counts.reduce((sum, n) => sum + n, 0);
    const [left] = await sql<{ n: number }[]>`select count(*)::int as n from emails where status = 'queued'`;
    if (left!.n === 0) return ran;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const database = await openScratchDatabase("campaign", WORKERS + 2);
const config = loadConfig({
  NODE_ENV: "development",
  PUBLIC_BASE_URL: "https://pay.example.test",
  LINK_SIGNING_KEYS: `bench1:${randomBytes(32).toString("hex")}`,
  // The throttle is for the real provider's limits; here it would only measure the clock.
  CAMPAIGN_EMAILS_PER_MINUTE: "1000000",
  LOG_LEVEL: "silent",
});
const services: AppServices = { config, db: database.db, log: pino({ level: "silent" }), isDatabaseReady: async () => true };
const actor = { actor: "supplier" as const, actorId: null };

try {
  let start = performance.now();
  const supplier = await createSupplier(database.db, { name: "Nordljus Konsult AB", timeZone: "Europe/Stockholm", language: "sv" });
  await generate(database.sql, supplier.id);
  console.log(`Generated ${CUSTOMERS.toLocaleString("en")} customers with ${EXPECTED_EMAILS.toLocaleString("en")} billing contacts in ${seconds(start).toFixed(1)} s.`);

  const deadline = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  const input = { name: "Kontaktuppgifter 2027", audience: "all" as const, message: "Hej!\n\nStämmer det vi har om er?\nTack för hjälpen.", deadline };
  start = performance.now();
  const created = await createCampaign(database.db, { supplierId: supplier.id, input, actor });
  if (!created.ok) throw new Error(`createCampaign refused: ${JSON.stringify(created.problem)}`);
  const campaignId = created.body.id;
  const started = await startCampaign(database.db, { supplierId: supplier.id, campaignId, actor });
  if (!started.ok) throw new Error(`startCampaign refused: ${JSON.stringify(started.problem)}`);
  const fanOutJobs = await drainJobs(services, { names: [CAMPAIGN_QUEUE_JOB] });
  const fanOut = seconds(start);
  const [queued] = await database.sql<{ emails: number; jobs: number; links: number }[]>`
    select (select count(*)::int from emails where campaign_id = ${campaignId}) as emails,
           (select count(*)::int from pgboss.job where name = 'email.send') as jobs,
           (select count(*)::int from links where campaign_id = ${campaignId}) as links`;

  const timings: number[] = [];
  start = performance.now();
  const sent = await drainEmails(services, database.sql, timedEmailSend(timings));
  const drain = seconds(start);

  // Starting again is refused, and running the fan-out again adds nothing.
  const again = await startCampaign(database.db, { supplierId: supplier.id, campaignId, actor });
  const secondFanOut = await queueCampaign(services, { campaignId, supplierId: supplier.id });
  const [after] = await database.sql<{ emails: number; sent: number; keys: number; linked: number; delivered: number }[]>`
    select count(*)::int as emails, count(*) filter (where status = 'sent' and transport = 'outbox')::int as sent,
           count(distinct idempotency_key)::int as keys, count(link_id)::int as linked, count(delivered_at)::int as delivered
    from emails where campaign_id = ${campaignId}`;

  // A sample of emails as their readers get them: each link opens its own customer's campaign.
  const sample = await database.sql<{ id: string }[]>`
    select id from emails where campaign_id = ${campaignId} order by md5(id) limit ${SAMPLES}`;
  let linksOk = 0;
  for (const { id } of sample) {
    const email = (await getEmail(database.db, id))!;
    const text = (await deliveredCopy(database.db, config, email)).text ?? "";
    const token = /https:\/\/pay\.example\.test\/c\/([A-Za-z0-9._~-]+)/.exec(text)?.[1];
    const resolved = token ? await resolveCampaignToken(database.db, config, token) : null;
    if (resolved?.ok && resolved.link.customerId === email.customerId && resolved.link.campaignId === campaignId) linksOk += 1;
  }

  const sorted = [...timings].sort((a, b) => a - b);
  console.log(`\ncampaign to ${CUSTOMERS.toLocaleString("en")} customers, outbox transport, ${WORKERS} drain loop(s), ${database.server}, Node ${process.version}`);
  console.table([
    { step: "fan-out (create, start, campaign.queue)", items: queued!.emails, seconds: Number(fanOut.toFixed(2)), "per second": Math.round(queued!.emails / fanOut) },
    { step: "email.send drain (render + store + sent)", items: sent, seconds: Number(drain.toFixed(2)), "per second": Math.round(sent / drain) },
  ]);
  console.table([
    {
      customers: CUSTOMERS,
      "emails queued": queued!.emails,
      "email.send jobs": queued!.jobs,
      links: queued!.links,
      "emails/s": Math.round(sent / drain),
      "ms p50": Number(percentile(sorted, 50).toFixed(2)),
      "ms p95": Number(percentile(sorted, 95).toFixed(2)),
      "ms p99": Number(percentile(sorted, 99).toFixed(2)),
    },
  ]);
  const checks = {
    [`${EXPECTED_EMAILS} emails, one per contact, one job each`]: queued!.emails === EXPECTED_EMAILS && queued!.jobs === EXPECTED_EMAILS && fanOutJobs === 1,
    [`one link per customer (${CUSTOMERS})`]: queued!.links === CUSTOMERS,
    "every email sent once, delivered to the outbox, with its link": after!.emails === EXPECTED_EMAILS && after!.sent === EXPECTED_EMAILS && after!.keys === EXPECTED_EMAILS && after!.linked === EXPECTED_EMAILS && after!.delivered === EXPECTED_EMAILS && sent === EXPECTED_EMAILS,
    "a second start is refused (409) and a second fan-out adds nothing": !again.ok && again.problem.status === 409 && secondFanOut === null,
    [`${SAMPLES} sampled emails open their own customer's campaign`]: linksOk === sample.length && sample.length === Math.min(SAMPLES, EXPECTED_EMAILS),
  };
  console.table(Object.entries(checks).map(([check, ok]) => ({ check, ok })));
  const ok = Object.values(checks).every(Boolean);
  console.log(ok ? "PASS" : "FAIL");
  process.exitCode = ok ? 0 : 1;
} finally {
  await database.drop();
}

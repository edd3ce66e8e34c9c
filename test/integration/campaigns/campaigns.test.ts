// Contact-update campaigns end to end on real PostgreSQL and pg-boss: the start, the fan-out job,
// the emails (through the real email job to the outbox), the follow-ups on the reminders schedule
// and the counts. The clock is fixed (in the past, so pg-boss hands out the jobs at once).
import { afterEach, describe, expect, it } from "vitest";
import { and, asc, eq, sql } from "drizzle-orm";
import { campaignRecipients, contacts, customers, emails, invoices, links, webhookMessages } from "../../../db/schema";
import { connect } from "../../../db/client";
import { useTestDatabase } from "../../support/database";
import { testConfig, testContext } from "../../support/context";
import { createInvoiceWithLink, createSupplierWithCustomer, tokenFromUrl } from "../../support/fixtures";
import { drainJobs } from "~/platform/jobs/queue.server";
import { newPublicId } from "~/domain/public-id";
import type { AppServices } from "~/platform/context";
import {
  announceClosedCampaigns, CAMPAIGN_QUEUE_JOB, campaignReport, cancelCampaign, createCampaign, queueCampaign, sendCampaignFollowUps,
  startCampaign,
} from "~/features/campaigns/campaigns.server";
import { resolveCampaignToken } from "~/features/campaigns/campaign-links.server";
import { deliveredCopy } from "~/features/emails/email-context.server";
import { EMAIL_SEND_JOB } from "~/features/emails/email.server";
import { receiveResendEvent } from "~/features/emails/email-events.server";
import { createCampaignSchema, type CreateCampaignInput } from "~/features/campaigns/api.schemas";

const database = useTestDatabase();
const db = () => database.get().db;
const config = testConfig({ CAMPAIGN_EMAILS_PER_MINUTE: "1000000" });
const OPERATOR = { actor: "operator" as const, actorId: null };

let clock = new Date("2026-03-02T09:00:00+01:00"); // a Monday
const services = (): AppServices => ({ ...testContext(database.get(), config).app, now: () => clock });

afterEach(() => {
  clock = new Date("2026-03-02T09:00:00+01:00");
});

/** A supplier with three customers: two billing contacts, one, and one without any email. */
async function threeCustomers() {
  const owner = await createSupplierWithCustomer(db(), { supplier: { notificationEmail: "ar@nordljus.test" } });
  const supplierId = owner.supplier.id;
  const addCustomer = async (name: string, addresses: (string | null)[], language: "sv" | "en" | null = null) => {
    const id = newPublicId("cus");
    await db().insert(customers).values({ id, supplierId, name, language });
    for (const email of addresses) {
      await db().insert(contacts).values({
        id: newPublicId("con"), supplierId, customerId: id, name: `AP ${name}`, email,
        channel: email ? "email" : "post", addressLine1: "Box 1", postalCode: "111 11", city: "Stockholm",
      });
    }
    return id;
  };
  const alpha = await addCustomer("Alpha AB", ["ap@alpha.test", "cfo@alpha.test"]);
  const beta = await addCustomer("Beta Ltd", ["invoices@beta.test"], "en");
  const gamma = await addCustomer("Gamma HB", [null]);
  return { supplierId, owner, alpha, beta, gamma, ids: [alpha, beta, gamma] };
}

function input(overrides: Partial<CreateCampaignInput> & { audience: CreateCampaignInput["audience"] }): CreateCampaignInput {
  return createCampaignSchema.parse({
    name: "Annual check 2026",
    message: "Please check who should receive our invoices.\n\nThank you!",
    deadline: "2026-03-31",
    ...overrides,
  });
}

async function createAndStart(supplierId: string, audience: CreateCampaignInput["audience"], extra: Partial<CreateCampaignInput> = {}) {
  const created = await createCampaign(db(), { supplierId, input: input({ audience, ...extra }), actor: OPERATOR, now: clock });
  if (!created.ok) throw new Error(JSON.stringify(created.problem));
  const started = await startCampaign(db(), { supplierId, campaignId: created.body.id, actor: OPERATOR, now: clock });
  if (!started.ok) throw new Error(JSON.stringify(started.problem));
  return created.body.id;
}

const campaignEmails = (campaignId: string) =>
  db()
    .select({ to: emails.toAddress, kind: sql<string>`${emails.props}->>'kind'`, status: emails.status, locale: emails.locale, customerId: emails.customerId })
    .from(emails)
    .where(eq(emails.campaignId, campaignId))
    .orderBy(asc(emails.toAddress), asc(emails.createdAt));

async function report(supplierId: string, campaignId: string) {
  const result = await campaignReport(db(), { supplierId, campaignId, now: clock });
  if (!result) throw new Error("campaign not found");
  return result;
}

describe("starting a campaign", () => {
  it("asks each customer once: one link per customer, one email per billing contact, even when started twice", async () => {
    const { supplierId, ids } = await threeCustomers();
    const campaignId = await createAndStart(supplierId, { customer_ids: ids });
    const again = await startCampaign(db(), { supplierId, campaignId, actor: OPERATOR, now: clock });
    expect(again).toMatchObject({ ok: false, problem: { status: 409 } });

    await drainJobs(services(), { names: [CAMPAIGN_QUEUE_JOB, EMAIL_SEND_JOB] });
    await drainJobs(services(), { names: [CAMPAIGN_QUEUE_JOB, EMAIL_SEND_JOB] });

    expect(await campaignEmails(campaignId)).toEqual([
      { to: "ap@alpha.test", kind: "request", status: "sent", locale: "sv", customerId: ids[0] },
      { to: "cfo@alpha.test", kind: "request", status: "sent", locale: "sv", customerId: ids[0] },
      { to: "invoices@beta.test", kind: "request", status: "sent", locale: "en", customerId: ids[1] },
    ]);
    const linkRows = await db().select().from(links).where(eq(links.campaignId, campaignId));
    expect(linkRows.map((row) => row.customerId).sort()).toEqual([ids[0], ids[1]].sort());
    expect(linkRows.every((row) => row.invoiceId === null && row.expiresAt.toISOString() === "2026-06-29T22:00:00.000Z")).toBe(true);

    const { counts, emails: emailCounts, recipients, status } = await report(supplierId, campaignId);
    expect(status).toBe("open");
    expect(counts).toEqual({ customers: 3, sent: 2, delivered: 2, bounced: 0, opened: 0, confirmed: 0, corrected: 0, no_answer: 3 });
    expect(emailCounts).toMatchObject({ total: 3, queued: 0, sent: 3, failed: 0 });
    expect(recipients.data.map((row) => [row.customer_name, row.state])).toEqual(
      expect.arrayContaining([["Gamma HB", "no_email"], ["Alpha AB", "delivered"]]),
    );
  });

  it("two workers running the fan-out at the same time queue each email once", async () => {
    const { supplierId, ids } = await threeCustomers();
    const created = await createCampaign(db(), { supplierId, input: input({ audience: { customer_ids: ids } }), actor: OPERATOR, now: clock });
    if (!created.ok) throw new Error("not created");
    const campaignId = created.body.id;
    await startCampaign(db(), { supplierId, campaignId, actor: OPERATOR, now: clock });
    const instances = [connect(database.url(), { max: 2 }), connect(database.url(), { max: 2 })];
    try {
      const outcomes = await Promise.all(instances.map((instance) => queueCampaign({ db: instance.db, config }, { campaignId, supplierId }, clock)));
      expect(outcomes.filter((outcome) => outcome !== null)).toEqual([{ customers: 3, emails: 3, withoutEmail: 1 }]);
      await Promise.all(instances.map((instance) => drainJobs({ ...services(), db: instance.db }, { names: [CAMPAIGN_QUEUE_JOB, EMAIL_SEND_JOB] })));
    } finally {
      await Promise.all(instances.map((instance) => instance.close()));
    }
    const rows = await campaignEmails(campaignId);
    expect(rows.map((row) => [row.to, row.status])).toEqual([
      ["ap@alpha.test", "sent"], ["cfo@alpha.test", "sent"], ["invoices@beta.test", "sent"],
    ]);
    const recipients = await db().select().from(campaignRecipients).where(eq(campaignRecipients.campaignId, campaignId));
    expect(recipients).toHaveLength(3);
  });

  it("each email carries its customer's own /c/ link, which opens only that customer", async () => {
    const { supplierId, ids } = await threeCustomers();
    const campaignId = await createAndStart(supplierId, { customer_ids: ids });
    await drainJobs(services(), { names: [CAMPAIGN_QUEUE_JOB, EMAIL_SEND_JOB] });
    const rows = await db().select().from(emails).where(eq(emails.campaignId, campaignId)).orderBy(asc(emails.toAddress));
    const tokens = await Promise.all(
      rows.map(async (row) => {
        expect(row.html ?? "").not.toContain("/c/"); // the stored copy holds a placeholder (L1)
        const copy = await deliveredCopy(db(), config, row);
        const url = /https:\/\/pay\.example\.test\/c\/[A-Za-z0-9._-]+/.exec(copy.text ?? "")?.[0];
        expect(url, `link in the email to ${row.toAddress}`).toBeDefined();
        return tokenFromUrl(url!);
      }),
    );
    // Both of Alpha's contacts get Alpha's one link; Beta's is another.
    expect(tokens[0]).toBe(tokens[1]);
    expect(tokens[2]).not.toBe(tokens[0]);
    const opened = await Promise.all(tokens.map((token) => resolveCampaignToken(db(), config, token, clock)));
    expect(opened.map((result) => (result.ok ? result.link.customerId : result.reason))).toEqual([ids[0], ids[0], ids[1]]);
    const afterGrace = new Date("2026-06-30T00:00:00Z");
    expect(await resolveCampaignToken(db(), config, tokens[2]!, afterGrace)).toEqual({ ok: false, reason: "expired" });
  });

  it("resolves the audience when it starts: all, open invoices, not confirmed for N months", async () => {
    const { supplierId, owner, alpha, beta, gamma } = await threeCustomers();
    await createInvoiceWithLink(db(), config, { supplier: owner.supplier, customerId: beta }, { dueDate: "2026-03-20" });
    const paid = await createInvoiceWithLink(db(), config, { supplier: owner.supplier, customerId: alpha }, { dueDate: "2026-03-20" });
    await db().update(invoices).set({ paidAt: clock, amountPaid: paid.invoice.total }).where(eq(invoices.id, paid.invoice.id));
    await db().update(customers).set({ contactsConfirmedAt: new Date("2026-01-10T10:00:00Z") }).where(eq(customers.id, alpha));
    await db().update(customers).set({ contactsConfirmedAt: new Date("2025-01-10T10:00:00Z") }).where(eq(customers.id, gamma));

    const audienceOf = async (audience: CreateCampaignInput["audience"]) => {
      const id = await createAndStart(supplierId, audience);
      await drainJobs(services(), { names: [CAMPAIGN_QUEUE_JOB] });
      const rows = await db().select({ customerId: campaignRecipients.customerId }).from(campaignRecipients).where(eq(campaignRecipients.campaignId, id));
      return rows.map((row) => row.customerId).sort();
    };
    expect(await audienceOf("all")).toEqual([owner.customerId, alpha, beta, gamma].sort());
    expect(await audienceOf("open_invoices")).toEqual([beta]);
    expect(await audienceOf({ stale_months: 12 })).toEqual([owner.customerId, beta, gamma].sort());
  });
});

describe("follow-ups", () => {
  async function startedCampaign() {
    const fixture = await threeCustomers();
    // From Monday 2 March 09:00 to the end of 31 March: halfway is 16 March 21:30Z, the final one 3 days before.
    const campaignId = await createAndStart(fixture.supplierId, { customer_ids: fixture.ids });
    await drainJobs(services(), { names: [CAMPAIGN_QUEUE_JOB, EMAIL_SEND_JOB] });
    return { ...fixture, campaignId };
  }

  async function runAt(iso: string) {
    clock = new Date(iso);
    await sendCampaignFollowUps(db(), config, clock);
    await drainJobs(services(), { names: [EMAIL_SEND_JOB] });
  }

  it("reminds customers that have not answered halfway and near the deadline, once each, and stops when they answer", async () => {
    const { campaignId, alpha } = await startedCampaign();
    await runAt("2026-03-16T12:00:00+01:00"); // before halfway
    expect((await campaignEmails(campaignId)).filter((row) => row.kind !== "request")).toEqual([]);

    await runAt("2026-03-17T09:00:00+01:00");
    await runAt("2026-03-17T09:10:00+01:00");
    const halfway = (await campaignEmails(campaignId)).filter((row) => row.kind === "halfway").map((row) => row.to);
    expect(halfway).toEqual(["ap@alpha.test", "cfo@alpha.test", "invoices@beta.test"]);

    // Alpha answers: no more reminders for it.
    await db()
      .update(campaignRecipients)
      .set({ answer: "confirmed", answeredAt: clock })
      .where(and(eq(campaignRecipients.campaignId, campaignId), eq(campaignRecipients.customerId, alpha)));
    await runAt("2026-03-28T10:00:00+01:00"); // 3 days before the end of 31 March (00:00 on 1 April, +02:00 then)
    await runAt("2026-03-30T10:00:00+02:00");
    const final = (await campaignEmails(campaignId)).filter((row) => row.kind === "final").map((row) => row.to);
    expect(final).toEqual(["invoices@beta.test"]);

    await runAt("2026-04-02T10:00:00+02:00"); // after the deadline: nothing more
    expect(await campaignEmails(campaignId)).toHaveLength(3 + 3 + 1);
  });

  it("sends only the final reminder when the schedule was down through both", async () => {
    const { campaignId } = await startedCampaign();
    await runAt("2026-03-30T10:00:00+02:00");
    const kinds = (await campaignEmails(campaignId)).map((row) => row.kind);
    expect(kinds.filter((kind) => kind === "halfway")).toEqual([]);
    expect(kinds.filter((kind) => kind === "final")).toHaveLength(3);
  });

  it("puts follow-ups claimed out of hours off to the next working morning", async () => {
    const { campaignId } = await startedCampaign();
    clock = new Date("2026-03-21T23:00:00+01:00"); // a Saturday night, after halfway
    expect(await sendCampaignFollowUps(db(), config, clock)).toBe(3);
    const [job] = await db().execute<{ start_after: Date }>(sql`
      select start_after from pgboss.job where name = ${EMAIL_SEND_JOB} and data->>'emailId' in (
        select id from emails where campaign_id = ${campaignId} and props->>'kind' = 'halfway') order by start_after limit 1`);
    expect(new Date(job!.start_after).toISOString()).toBe("2026-03-23T07:00:00.000Z"); // Monday 08:00 in Stockholm
  });
});

describe("counts", () => {
  it("follow what customers do: opened, confirmed, corrected, no answer", async () => {
    const { supplierId, ids, alpha, beta } = await threeCustomers();
    const campaignId = await createAndStart(supplierId, { customer_ids: ids });
    await drainJobs(services(), { names: [CAMPAIGN_QUEUE_JOB, EMAIL_SEND_JOB] });
    const recipient = (customerId: string) => and(eq(campaignRecipients.campaignId, campaignId), eq(campaignRecipients.customerId, customerId));
    await db().update(campaignRecipients).set({ openedAt: clock, answer: "confirmed", answeredAt: clock }).where(recipient(alpha));
    await db().update(campaignRecipients).set({ openedAt: clock, answer: "corrected", answeredAt: clock }).where(recipient(beta));
    const { counts, recipients } = await report(supplierId, campaignId);
    expect(counts).toMatchObject({ customers: 3, opened: 2, confirmed: 1, corrected: 1, no_answer: 1 });
    expect(Object.fromEntries(recipients.data.map((row) => [row.customer_name, row.state]))).toEqual({
      "Alpha AB": "confirmed", "Beta Ltd": "corrected", "Gamma HB": "no_email",
    });
  });
});

describe("throttling and bounces", () => {
  it("spreads the request emails out to the configured rate", async () => {
    const { supplierId, ids } = await threeCustomers();
    const slow = testConfig({ CAMPAIGN_EMAILS_PER_MINUTE: "30" });
    const created = await createCampaign(db(), { supplierId, input: input({ audience: { customer_ids: ids } }), actor: OPERATOR, now: clock });
    if (!created.ok) throw new Error("not created");
    await startCampaign(db(), { supplierId, campaignId: created.body.id, actor: OPERATOR, now: clock });
    await queueCampaign({ db: db(), config: slow }, { campaignId: created.body.id, supplierId }, clock);
    const jobs = await db().execute<{ start_after: Date }>(sql`
      select start_after from pgboss.job where name = ${EMAIL_SEND_JOB} and data->>'emailId' in (
        select id from emails where campaign_id = ${created.body.id}) order by start_after`);
    expect([...jobs].map((job) => (new Date(job.start_after).getTime() - clock.getTime()) / 1000)).toEqual([0, 2, 4]);
  });

  it("reports a bounced campaign email to the supplier and counts it; later mail to it is suppressed", async () => {
    const { supplierId, ids, beta } = await threeCustomers();
    const campaignId = await createAndStart(supplierId, { customer_ids: ids });
    await drainJobs(services(), { names: [CAMPAIGN_QUEUE_JOB, EMAIL_SEND_JOB] });
    const [betaEmail] = await db().select().from(emails).where(and(eq(emails.campaignId, campaignId), eq(emails.customerId, beta)));
    await db().update(emails).set({ providerId: "re_bounce_1", deliveredAt: null }).where(eq(emails.id, betaEmail!.id));

    const fact = { kind: "bounced" as const, providerEmailId: "re_bounce_1", detail: "Mailbox does not exist" };
    expect(await receiveResendEvent(db(), { eventId: "evt_bounce_1", type: "email.bounced", fact, now: clock })).toMatchObject({ outcome: "applied" });

    const { counts, recipients } = await report(supplierId, campaignId);
    expect(counts).toMatchObject({ sent: 2, bounced: 1 });
    expect(recipients.data.find((row) => row.customer_id === beta)).toMatchObject({ state: "bounced" });
    const supplierMail = await db().select().from(emails).where(and(eq(emails.supplierId, supplierId), eq(emails.template, "email-failing")));
    expect(supplierMail.map((row) => [row.toAddress, row.customerId])).toEqual([["ar@nordljus.test", beta]]);
    const hooks = await db().select().from(webhookMessages).where(and(eq(webhookMessages.supplierId, supplierId), eq(webhookMessages.type, "contact.email_failing")));
    expect(hooks.map((hook) => hook.payload.address)).toEqual(["invoices@beta.test"]);

    // The halfway follow-up to that address is not sent.
    clock = new Date("2026-03-17T09:00:00+01:00");
    await sendCampaignFollowUps(db(), config, clock);
    await drainJobs(services(), { names: [EMAIL_SEND_JOB] });
    const followUp = await db()
      .select({ status: emails.status })
      .from(emails)
      .where(and(eq(emails.campaignId, campaignId), eq(emails.customerId, beta), sql`${emails.props}->>'kind' = 'halfway'`));
    expect(followUp).toEqual([{ status: "suppressed" }]);
  });
});

describe("closing", () => {
  it("tells the supplier once, when the deadline has passed, how its customers answered", async () => {
    const { supplierId, ids, alpha } = await threeCustomers();
    const campaignId = await createAndStart(supplierId, { customer_ids: ids });
    const cancelledId = await createAndStart(supplierId, { customer_ids: ids });
    await cancelCampaign(db(), { supplierId, campaignId: cancelledId, actor: OPERATOR, now: clock });
    await drainJobs(services(), { names: [CAMPAIGN_QUEUE_JOB, EMAIL_SEND_JOB] });
    await db()
      .update(campaignRecipients)
      .set({ answer: "confirmed", answeredAt: clock })
      .where(and(eq(campaignRecipients.campaignId, campaignId), eq(campaignRecipients.customerId, alpha)));

    expect(await announceClosedCampaigns(db(), new Date("2026-03-31T21:00:00Z"))).toBe(0); // 23:00 on the last day in Stockholm
    const after = new Date("2026-04-01T06:00:00Z");
    // (Other tests' campaigns in this database close at the same time: this one's webhook is counted below.)
    expect(await announceClosedCampaigns(db(), after)).toBeGreaterThanOrEqual(1);
    expect(await announceClosedCampaigns(db(), new Date("2026-04-01T06:10:00Z"))).toBe(0);

    const hooks = await db().select().from(webhookMessages).where(and(eq(webhookMessages.supplierId, supplierId), eq(webhookMessages.type, "campaign.closed")));
    expect(hooks.map((hook) => hook.payload.campaign)).toEqual([
      expect.objectContaining({ id: campaignId, status: "closed", counts: expect.objectContaining({ customers: 3, confirmed: 1, no_answer: 2 }) }),
    ]);
    const mail = await db().select().from(emails).where(and(eq(emails.supplierId, supplierId), eq(emails.template, "campaign-closed")));
    expect(mail.map((row) => [row.toAddress, row.props.campaignId])).toEqual([["ar@nordljus.test", campaignId]]);
  });
});

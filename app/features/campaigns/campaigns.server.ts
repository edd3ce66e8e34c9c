// Contact-update campaigns (issue #7): a supplier asks every customer in an audience to confirm
// or correct its billing contacts by a deadline. Starting one queues the `campaign.queue` job,
// which resolves the audience, gives each customer one signed link (campaign-links.server.ts)
// and queues one email per billing contact, spread out to the configured rate, all in one
// transaction under the campaign's row lock: however often it is started or run, and by however
// many workers, each recipient is asked once. Follow-ups go out on the reminders schedule.
import type { Db, DbOrTx, Tx } from "../../../db/client";
import type { CampaignAudience } from "../../../db/schema";
import type { Config } from "~/platform/config.server";
import { campaignJson, recipientJson, type CampaignJson, type CampaignReportJson } from "~/features/campaigns/api.json.server";
import type { CreateCampaignInput } from "~/features/campaigns/api.schemas";
import type { FieldError, ProblemBody } from "~/api/problem.server";
import { BAD_CURSOR, decodeCursor, nextCursor } from "~/api/cursor";
import { campaignInstant, emailSlot, MAX_CAMPAIGN_MS, MIN_CAMPAIGN_MS } from "~/domain/campaign-schedule";
import { csvLine } from "~/domain/csv";
import { newPublicId } from "~/domain/public-id";
import { nextWorkingTime } from "~/domain/reminder-policy";
import { enqueueJob, enqueueJobs } from "~/platform/jobs/queue.server";
import {
  audienceCustomerIds, billingContactsOf, campaignCounts, claimClosedCampaigns, claimDueFollowUps, findCampaign, insertCampaign,
  insertCampaignEmails, insertLinks, insertRecipients, listCampaignRows, lockCampaign, markRecipientsQueued, recipientReport,
  failQueuedCampaignEmails, revokeCampaignLinks, unqueuedRecipients, updateCampaign, type CampaignRow, type NewCampaignEmail,
} from "~/features/campaigns/db/campaigns.server";
import type { ContactRow } from "~/features/customers/db/contacts.server";
import { findCustomersByIds } from "~/features/customers/db/customers.server";
import { appendEvent, type EventActor } from "~/platform/audit/db/events.server";
import { getSupplier, type Supplier } from "~/features/suppliers/db/suppliers.server";
import { newCampaignLink } from "~/features/campaigns/campaign-links.server";
import { EMAIL_SEND_JOB, emailRecipients, queueEmail } from "~/features/emails/email.server";
import { publishWebhookEvent } from "~/features/webhooks/webhooks.server";
import { runIdempotent, type Keyed } from "~/api/idempotency.server";
import { parseEmailProps } from "../../../emails";

export const CAMPAIGN_QUEUE_JOB = "campaign.queue";

export type CampaignActor = { actor: EventActor; actorId: string | null; ip?: string | null; userAgent?: string | null };

const notFound: ProblemBody = { status: 404, title: "Not found", detail: "Campaign not found." };
const invalid = (errors: FieldError[]): ProblemBody => ({ status: 422, title: "Validation failed", detail: "The request has invalid fields.", errors });
const conflict = (detail: string): ProblemBody => ({ status: 409, title: "Conflict", detail });

async function countsOf(db: DbOrTx, row: CampaignRow, now: Date): Promise<CampaignJson> {
  return campaignJson(row, await campaignCounts(db, row.id), now);
}

function auditOf(actor: CampaignActor) {
  return { actor: actor.actor, actorId: actor.actorId, ip: actor.ip ?? null, userAgent: actor.userAgent ?? null };
}

/** The checks that need the supplier's time zone, its customers or the clock. */
async function checkCampaign(
  db: DbOrTx,
  supplier: Supplier,
  input: CreateCampaignInput,
  now: Date,
): Promise<{ ok: true; deadline: Date; startAt: Date | null; audience: CampaignAudience } | { ok: false; errors: FieldError[] }> {
  const errors: FieldError[] = [];
  const deadline = campaignInstant(input.deadline, supplier.timeZone, "deadline");
  const startAt = input.start_at ? campaignInstant(input.start_at, supplier.timeZone, "start") : null;
  // A start in the past means "as soon as it is started".
  const start = startAt && startAt.getTime() > now.getTime() ? startAt : now;
  if (deadline.getTime() - start.getTime() < MIN_CAMPAIGN_MS) {
    errors.push({ field: "deadline", message: "deadline must be at least one day after the campaign starts" });
  } else if (deadline.getTime() - start.getTime() > MAX_CAMPAIGN_MS) {
    errors.push({ field: "deadline", message: "deadline must be within 366 days of the campaign's start" });
  }
  let audience: CampaignAudience = input.audience;
  if (typeof audience === "object" && "customer_ids" in audience) {
    const ids = [...new Set(audience.customer_ids)];
    const known = new Set((await findCustomersByIds(db, supplier.id, ids)).map((customer) => customer.id));
    // The id is not echoed: another supplier's customer must answer exactly like an unknown id.
    audience.customer_ids.forEach((id, index) => {
      if (!known.has(id) && errors.length < 20) errors.push({ field: `audience.customer_ids[${index}]`, message: "no customer with this id" });
    });
    audience = { customer_ids: ids };
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, deadline, startAt, audience };
}

export async function createCampaign(
  db: Db,
  request: { supplierId: string; input: CreateCampaignInput; actor: CampaignActor; idempotencyKey?: string; now?: Date },
): Promise<Keyed<CampaignJson>> {
  const now = request.now ?? new Date();
  const { supplierId, input } = request;
  return db
    .transaction(async (tx): Promise<Keyed<CampaignJson>> => {
      // The key first: a retry gets the first answer even once the deadline has come too close.
      return runIdempotent(tx, { supplierId, key: request.idempotencyKey, route: "POST /api/v1/campaigns", input }, async () => {
        const supplier = await getSupplier(tx, supplierId);
        if (!supplier) throw new Error(`supplier ${supplierId} not found`);
        const checked = await checkCampaign(tx, supplier, input, now);
        if (!checked.ok) throw new Refusal(invalid(checked.errors));
        const row = await insertCampaign(tx, {
          id: newPublicId("cmp"),
          supplierId,
          name: input.name,
          message: input.message,
          audience: checked.audience,
          startAt: checked.startAt,
          deadline: checked.deadline,
          createdAt: now,
          updatedAt: now,
        });
        await appendEvent(tx, { supplierId, ...auditOf(request.actor), type: "campaign.created", data: { campaign_id: row.id, name: row.name } });
        return { status: 201, body: campaignJson(row, undefined, now) };
      });
    })
    .catch(refused);
}

const CHANGE_EVENT = { start: "campaign.started", cancel: "campaign.cancelled" } as const;

type CampaignChange = { supplierId: string; campaignId: string; actor: CampaignActor; idempotencyKey?: string; now?: Date };

/**
 * A POST on one campaign (start, cancel): under its row lock and the request's Idempotency-Key,
 * in one transaction; a refusal rolls the key's claim back with it.
 */
async function changeCampaign(
  db: Db,
  request: CampaignChange,
  verb: "start" | "cancel",
  change: (tx: Tx, campaign: CampaignRow, now: Date) => Promise<{ status: number; row: CampaignRow }>,
): Promise<Keyed<CampaignJson>> {
  const now = request.now ?? new Date();
  const { supplierId, campaignId } = request;
  const route = `POST /api/v1/campaigns/${campaignId}/${verb}`;
  return db
    .transaction((tx) =>
      runIdempotent(tx, { supplierId, key: request.idempotencyKey, route, input: {} }, async () => {
        const campaign = await lockCampaign(tx, supplierId, campaignId);
        if (!campaign) throw new Refusal(notFound);
        const { status, row } = await change(tx, campaign, now);
        await appendEvent(tx, { supplierId, ...auditOf(request.actor), type: CHANGE_EVENT[verb], data: { campaign_id: campaignId } });
        return { status, body: await countsOf(tx, row, now) };
      }),
    )
    .catch(refused);
}

/** Carries a problem out of the transaction, so the Idempotency-Key's claim rolls back with it. */
class Refusal extends Error {
  constructor(readonly problem: ProblemBody) {
    super(problem.detail);
  }
}

function refused(error: unknown): Keyed<never> {
  if (error instanceof Refusal) return { ok: false, problem: error.problem };
  throw error;
}

/**
 * Starts a draft campaign: the fan-out job is queued in the same transaction, to run at the
 * campaign's start. A second start is refused (409), so a campaign is sent once.
 */
export function startCampaign(db: Db, request: CampaignChange): Promise<Keyed<CampaignJson>> {
  return changeCampaign(db, request, "start", async (tx, campaign, now) => {
    if (campaign.status === "started") throw new Refusal(conflict(`The campaign was already started at ${campaign.startedAt?.toISOString()}.`));
    if (campaign.status === "cancelled") throw new Refusal(conflict("The campaign was cancelled."));
    if (campaign.deadline.getTime() - now.getTime() < MIN_CAMPAIGN_MS) {
      throw new Refusal(conflict("The campaign's deadline is less than a day away; create a new campaign with a later deadline."));
    }
    const row = await updateCampaign(tx, campaign.id, { status: "started", startedAt: now, updatedAt: now });
    const startAfter = campaign.startAt && campaign.startAt.getTime() > now.getTime() ? campaign.startAt : undefined;
    const job = { campaignId: campaign.id, supplierId: campaign.supplierId };
    await enqueueJob(tx, CAMPAIGN_QUEUE_JOB, job, { singletonKey: campaign.id, startAfter });
    return { status: 202, row };
  });
}

/** Stops a campaign: its links answer 404, queued emails are not sent, no follow-ups go out. */
export function cancelCampaign(db: Db, request: CampaignChange): Promise<Keyed<CampaignJson>> {
  return changeCampaign(db, request, "cancel", async (tx, campaign, now) => {
    if (campaign.status === "cancelled") throw new Refusal(conflict("The campaign is already cancelled."));
    const row = await updateCampaign(tx, campaign.id, { status: "cancelled", cancelledAt: now, updatedAt: now });
    await revokeCampaignLinks(tx, campaign.id, now);
    await failQueuedCampaignEmails(tx, campaign.id, "campaign cancelled");
    return { status: 200, row };
  });
}

type CampaignEmailContext = {
  supplier: Supplier;
  campaign: Pick<CampaignRow, "id" | "name" | "message" | "deadline">;
  kind: "request" | "halfway" | "final";
};

/** One email per billing contact with an address (any channel: everyone on file is asked), once per address. */
function emailsFor(
  context: CampaignEmailContext,
  recipient: { customerId: string; customerName: string; customerLanguage: "sv" | "en" | null; linkId: string },
  contacts: readonly ContactRow[],
): NewCampaignEmail[] {
  const { supplier, campaign, kind } = context;
  const seen = new Set<string>();
  return emailRecipients(contacts, { language: recipient.customerLanguage }, supplier, { anyChannel: true }).flatMap((to) => {
    const address = to.address.toLowerCase();
    if (seen.has(address)) return [];
    seen.add(address);
    return [
      {
        id: newPublicId("msg"),
        supplierId: supplier.id,
        invoiceId: null,
        customerId: recipient.customerId,
        campaignId: campaign.id,
        linkId: recipient.linkId,
        idempotencyKey: `campaign:${campaign.id}:${recipient.customerId}:${kind}:${address}`,
        template: "campaign-request",
        locale: to.locale,
        toAddress: to.address,
        props: parseEmailProps("campaign-request", {
          customerName: recipient.customerName,
          campaignName: campaign.name,
          message: campaign.message,
          deadline: campaign.deadline.toISOString(),
          kind,
        }),
      },
    ];
  });
}

/** Inserts the emails and their send jobs, the jobs spread out to the configured rate from `base`. */
async function queueSpreadOut(tx: Tx, config: Pick<Config, "campaignEmailsPerMinute">, rows: NewCampaignEmail[], base: Date) {
  const created = await insertCampaignEmails(tx, rows);
  await enqueueJobs(tx, EMAIL_SEND_JOB, created.map((emailId) => ({ emailId })), (index) => emailSlot(base, index, config.campaignEmailsPerMinute));
  return created.length;
}

export type QueueOutcome = { customers: number; emails: number; withoutEmail: number } | null;

/** The `campaign.queue` job: the fan-out, once per campaign (null when there was nothing to do). */
export async function queueCampaign(
  services: { db: Db; config: Pick<Config, "linkKeys" | "linkGraceDays" | "publicBaseUrl" | "campaignEmailsPerMinute"> },
  job: { campaignId: string; supplierId: string },
  now = new Date(),
): Promise<QueueOutcome> {
  const { db, config } = services;
  return db.transaction(async (tx) => {
    const campaign = await lockCampaign(tx, job.supplierId, job.campaignId);
    if (!campaign || campaign.status !== "started" || campaign.queuedAt !== null) return null;
    const supplier = await getSupplier(tx, campaign.supplierId);
    if (!supplier) throw new Error(`supplier ${campaign.supplierId} not found`);

    await insertRecipients(tx, campaign, await audienceCustomerIds(tx, supplier.id, campaign.audience, now), now);
    const pending = await unqueuedRecipients(tx, campaign.id);
    const contactsBy = await billingContactsOf(tx, supplier.id, pending.map((recipient) => recipient.customerId));
    const context: CampaignEmailContext = { supplier, campaign, kind: "request" };
    const linkRows: ReturnType<typeof newCampaignLink>[] = [];
    const emailRows: NewCampaignEmail[] = [];
    const updates: { id: string; linkId: string | null; emailCount: number }[] = [];
    for (const recipient of pending) {
      const link = newCampaignLink(config, { supplierId: supplier.id, campaignId: campaign.id, customerId: recipient.customerId }, campaign.deadline, now);
      const rows = emailsFor(context, { ...recipient, linkId: link.id }, contactsBy.get(recipient.customerId) ?? []);
      // Nobody to ask by email: no link either (nobody would get it); the report lists the customer.
      if (rows.length > 0) linkRows.push(link);
      emailRows.push(...rows);
      updates.push({ id: recipient.id, linkId: rows.length > 0 ? link.id : null, emailCount: rows.length });
    }
    await insertLinks(tx, linkRows);
    const emails = await queueSpreadOut(tx, config, emailRows, now);
    await markRecipientsQueued(tx, updates, now);
    await updateCampaign(tx, campaign.id, { queuedAt: now, updatedAt: now });
    const outcome = { customers: pending.length, emails, withoutEmail: updates.filter((row) => row.emailCount === 0).length };
    await appendEvent(tx, { supplierId: supplier.id, actor: "system", type: "campaign.queued", data: { campaign_id: campaign.id, ...outcome } });
    return outcome;
  });
}

/**
 * The follow-ups due now (part of the reminders schedule): to the billing contacts on file now,
 * with the customer's own link, within the supplier's working hours, spread out like the request.
 */
export async function sendCampaignFollowUps(
  db: Db,
  config: Pick<Config, "campaignEmailsPerMinute">,
  now: Date,
): Promise<number> {
  return db.transaction(async (tx) => {
    const due = await claimDueFollowUps(tx, now);
    if (due.length === 0) return 0;
    const bySupplier = new Map<string, typeof due>();
    for (const row of due) bySupplier.set(row.supplierId, [...(bySupplier.get(row.supplierId) ?? []), row]);
    let queued = 0;
    for (const [supplierId, rows] of bySupplier) {
      const supplier = await getSupplier(tx, supplierId);
      if (!supplier) continue;
      const contactsBy = await billingContactsOf(tx, supplierId, rows.map((row) => row.customerId));
      const campaignsById = new Map<string, CampaignRow>();
      const emailRows: NewCampaignEmail[] = [];
      for (const row of rows) {
        const campaign = campaignsById.get(row.campaignId) ?? (await findCampaign(tx, supplierId, row.campaignId));
        if (!campaign) continue;
        campaignsById.set(campaign.id, campaign);
        emailRows.push(...emailsFor({ supplier, campaign, kind: row.kind }, row, contactsBy.get(row.customerId) ?? []));
      }
      queued += await queueSpreadOut(tx, config, emailRows, nextWorkingTime(supplier.timeZone, now) ?? now);
    }
    return queued;
  });
}

/**
 * Part of the reminders schedule: each campaign whose deadline has passed is announced once, with
 * its final counts, by webhook (`campaign.closed`) and to the supplier's notification address.
 */
export async function announceClosedCampaigns(db: Db, now: Date): Promise<number> {
  return db.transaction(async (tx) => {
    const closed = await claimClosedCampaigns(tx, now);
    for (const row of closed) {
      const campaign = await countsOf(tx, row, now);
      await appendEvent(tx, { supplierId: row.supplierId, actor: "system", type: "campaign.closed", data: { campaign_id: row.id, counts: campaign.counts } });
      await publishWebhookEvent(tx, { supplierId: row.supplierId, type: "campaign.closed", payload: { campaign } });
      const supplier = await getSupplier(tx, row.supplierId);
      if (!supplier?.notificationEmail) continue;
      await queueEmail(tx, {
        supplierId: row.supplierId,
        template: "campaign-closed",
        locale: supplier.language,
        to: supplier.notificationEmail,
        idempotencyKey: `campaign-closed:${row.id}`,
        props: { campaignId: row.id, campaignName: row.name, deadline: row.deadline.toISOString(), counts: campaign.counts },
      });
    }
    return closed.length;
  });
}

export async function getCampaign(db: DbOrTx, request: { supplierId: string; campaignId: string; now?: Date }): Promise<CampaignJson | null> {
  const row = await findCampaign(db, request.supplierId, request.campaignId);
  return row ? countsOf(db, row, request.now ?? new Date()) : null;
}

/** The campaign with its counts and one page of the per-customer state. */
export async function campaignReport(
  db: DbOrTx,
  request: { supplierId: string; campaignId: string; after?: string; limit?: number; now?: Date },
): Promise<CampaignReportJson | null> {
  const row = await findCampaign(db, request.supplierId, request.campaignId);
  if (!row) return null;
  const page = await recipientReport(db, row.id, { after: request.after, limit: request.limit ?? 100 });
  const last = page.rows.at(-1);
  return {
    ...(await countsOf(db, row, request.now ?? new Date())),
    recipients: { data: page.rows.map(recipientJson), has_more: page.hasMore, next_after: page.hasMore && last ? last.customerId : null },
  };
}

export async function listCampaigns(
  db: DbOrTx,
  request: { supplierId: string; cursor?: string; limit?: number; now?: Date },
): Promise<{ ok: true; body: { data: CampaignJson[]; next_cursor: string | null } } | { ok: false; problem: ProblemBody }> {
  const after = request.cursor === undefined ? undefined : decodeCursor(request.cursor, "cmp");
  if (request.cursor !== undefined && !after) return { ok: false, problem: BAD_CURSOR };
  const page = await listCampaignRows(db, request.supplierId, { after, limit: request.limit ?? 20 });
  const now = request.now ?? new Date();
  const data = await Promise.all(page.rows.map((row) => countsOf(db, row, now)));
  return { ok: true, body: { data, next_cursor: nextCursor(page.rows, page.hasMore) } };
}

export const ANSWERS_CSV_HEADER = [
  "customer_id", "external_id", "customer_name", "org_number", "state", "answer", "answered_at", "contacts_confirmed_at",
  "contact_id", "contact_name", "email", "email_status", "phone", "invoice_reference", "address_line1", "address_line2",
  "postal_code", "city", "country", "channel", "peppol_id", "language", "contact_updated_at",
] as const;

/**
 * The answers as CSV, one line per billing contact now on file (a customer without one gets a
 * line of its own), for the supplier's ERP. Null when the campaign is not the supplier's.
 */
export async function campaignAnswersCsv(db: DbOrTx, request: { supplierId: string; campaignId: string }): Promise<string | null> {
  const row = await findCampaign(db, request.supplierId, request.campaignId);
  if (!row) return null;
  const lines = [csvLine(ANSWERS_CSV_HEADER)];
  let after: string | undefined;
  for (;;) {
    const page = await recipientReport(db, row.id, { after, limit: 1000 });
    const customerIds = page.rows.map((recipient) => recipient.customerId);
    const contactsBy = await billingContactsOf(db, request.supplierId, customerIds);
    const orgNumbers = new Map((await findCustomersByIds(db, request.supplierId, customerIds)).map((customer) => [customer.id, customer.orgNumber]));
    for (const recipient of page.rows) {
      const json = recipientJson(recipient);
      const customer = [
        json.customer_id, json.external_id, json.customer_name, orgNumbers.get(json.customer_id) ?? null, json.state, json.answer,
        json.answered_at, json.contacts_confirmed_at,
      ];
      const own = contactsBy.get(json.customer_id) ?? [];
      if (own.length === 0) lines.push(csvLine(customer));
      for (const contact of own) {
        lines.push(
          csvLine([
            ...customer, contact.id, contact.name, contact.email, contact.emailFailure ?? (contact.email ? "ok" : null), contact.phone,
            contact.invoiceReference, contact.addressLine1, contact.addressLine2, contact.postalCode, contact.city, contact.country,
            contact.channel, contact.peppolId, contact.language, contact.updatedAt.toISOString(),
          ]),
        );
      }
    }
    if (!page.hasMore) break;
    after = page.rows.at(-1)?.customerId;
  }
  return lines.join("");
}

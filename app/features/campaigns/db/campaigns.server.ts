// Contact-update campaigns and their recipients. Every query is scoped by supplier (or runs in
// the campaign's own job, which carries it); the fan-out and follow-ups are set-based, so a
// campaign over 10,000 customers costs a handful of statements, not 10,000 round trips.
import { and, asc, desc, eq, gt, inArray, isNull, sql, type SQL } from "drizzle-orm";
import { campaignRecipients, campaigns, customers, emails, links } from "../../../../db/schema";
import type { DbOrTx, Tx } from "../../../../db/client";
import type { CampaignAudience } from "../../../../db/schema";
import { chunks } from "~/domain/chunks";
import { newPublicId } from "~/domain/public-id";
import type { ContactRow } from "~/features/customers/db/contacts.server";
import { listBillingContactsOf } from "~/features/customers/db/customers.server";

export type CampaignRow = typeof campaigns.$inferSelect;
export type NewCampaign = typeof campaigns.$inferInsert;

export async function insertCampaign(db: DbOrTx, row: NewCampaign): Promise<CampaignRow> {
  const [inserted] = await db.insert(campaigns).values(row).returning();
  return inserted!;
}

export async function findCampaign(db: DbOrTx, supplierId: string, id: string): Promise<CampaignRow | undefined> {
  const [row] = await db
    .select()
    .from(campaigns)
    .where(and(eq(campaigns.supplierId, supplierId), eq(campaigns.id, id)))
    .limit(1);
  return row;
}

/** Serialises starts, cancellations and fan-outs of one campaign. */
export async function lockCampaign(tx: Tx, supplierId: string, id: string): Promise<CampaignRow | undefined> {
  const [row] = await tx
    .select()
    .from(campaigns)
    .where(and(eq(campaigns.supplierId, supplierId), eq(campaigns.id, id)))
    .limit(1)
    .for("update");
  return row;
}

export async function updateCampaign(tx: Tx, id: string, fields: Partial<CampaignRow>): Promise<CampaignRow> {
  const [row] = await tx.update(campaigns).set(fields).where(eq(campaigns.id, id)).returning();
  return row!;
}

/** Newest first, keyset-paged on (created_at, id). */
export async function listCampaignRows(
  db: DbOrTx,
  supplierId: string,
  page: { after?: { createdAt: string; id: string }; limit: number },
): Promise<{ rows: (CampaignRow & { createdAtExact: string })[]; hasMore: boolean }> {
  const conditions: SQL[] = [eq(campaigns.supplierId, supplierId)];
  if (page.after) conditions.push(sql`(${campaigns.createdAt}, ${campaigns.id}) < (${page.after.createdAt}::timestamptz, ${page.after.id})`);
  const rows = await db
    .select({
      ...campaignColumns,
      createdAtExact: sql<string>`to_char(${campaigns.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
    })
    .from(campaigns)
    .where(and(...conditions))
    .orderBy(desc(campaigns.createdAt), desc(campaigns.id))
    .limit(page.limit + 1);
  return { rows: rows.slice(0, page.limit), hasMore: rows.length > page.limit };
}

const campaignColumns = {
  id: campaigns.id, supplierId: campaigns.supplierId, name: campaigns.name, message: campaigns.message,
  audience: campaigns.audience, startAt: campaigns.startAt, deadline: campaigns.deadline, status: campaigns.status,
  startedAt: campaigns.startedAt, queuedAt: campaigns.queuedAt, cancelledAt: campaigns.cancelledAt, closedAt: campaigns.closedAt,
  createdAt: campaigns.createdAt, updatedAt: campaigns.updatedAt,
};

/** The customers a campaign covers, resolved now (when it starts). */
export async function audienceCustomerIds(db: DbOrTx, supplierId: string, audience: CampaignAudience, now: Date): Promise<string[]> {
  const conditions: SQL[] = [eq(customers.supplierId, supplierId)];
  if (audience === "open_invoices") {
    conditions.push(sql`exists (
      select 1 from invoices i
      where i.supplier_id = ${customers.supplierId} and i.customer_id = ${customers.id}
        and i.paid_at is null and i.cancelled_at is null and i.credits_invoice_id is null)`);
  } else if (typeof audience === "object" && "stale_months" in audience) {
    conditions.push(
      sql`(${customers.contactsConfirmedAt} is null or ${customers.contactsConfirmedAt} < ${now.toISOString()}::timestamptz - make_interval(months => ${audience.stale_months}))`,
    );
  } else if (typeof audience === "object" && "customer_ids" in audience) {
    conditions.push(inArray(customers.id, audience.customer_ids));
  }
  const rows = await db.select({ id: customers.id }).from(customers).where(and(...conditions)).orderBy(asc(customers.id));
  return rows.map((row) => row.id);
}

const CHUNK = 2000;

/** One recipient row per customer; a customer already in the campaign is left as it is. */
export async function insertRecipients(tx: Tx, campaign: { id: string; supplierId: string }, customerIds: readonly string[], now: Date) {
  for (const part of chunks(customerIds, CHUNK)) {
    await tx
      .insert(campaignRecipients)
      .values(part.map((customerId) => ({ id: newPublicId("cre"), campaignId: campaign.id, supplierId: campaign.supplierId, customerId, createdAt: now })))
      .onConflictDoNothing({ target: [campaignRecipients.campaignId, campaignRecipients.customerId] });
  }
}

export type PendingRecipient = { id: string; customerId: string; customerName: string; customerLanguage: "sv" | "en" | null };

export async function unqueuedRecipients(tx: Tx, campaignId: string): Promise<PendingRecipient[]> {
  return tx
    .select({
      id: campaignRecipients.id,
      customerId: campaignRecipients.customerId,
      customerName: customers.name,
      customerLanguage: customers.language,
    })
    .from(campaignRecipients)
    .innerJoin(customers, eq(customers.id, campaignRecipients.customerId))
    .where(and(eq(campaignRecipients.campaignId, campaignId), isNull(campaignRecipients.queuedAt)))
    .orderBy(asc(campaignRecipients.customerId));
}

/**
 * The billing contacts of many customers (oldest first per customer), in chunks: an "all"
 * campaign may name more customers than one statement can carry as parameters.
 */
export async function billingContactsOf(db: DbOrTx, supplierId: string, customerIds: readonly string[]): Promise<Map<string, ContactRow[]>> {
  const byCustomer = new Map<string, ContactRow[]>();
  for (const part of chunks(customerIds, CHUNK)) {
    for (const row of await listBillingContactsOf(db, supplierId, part)) byCustomer.set(row.customerId, [...(byCustomer.get(row.customerId) ?? []), row]);
  }
  return byCustomer;
}

export async function insertLinks(tx: Tx, rows: readonly (typeof links.$inferInsert)[]) {
  for (const part of chunks(rows, CHUNK)) await tx.insert(links).values(part);
}

export type NewCampaignEmail = typeof emails.$inferInsert;

/** Inserts the emails not yet queued (by idempotency key); answers the ids it created, in order. */
export async function insertCampaignEmails(tx: Tx, rows: readonly NewCampaignEmail[]): Promise<string[]> {
  const created: string[] = [];
  for (const part of chunks(rows, 1000)) {
    const inserted = await tx.insert(emails).values(part).onConflictDoNothing({ target: emails.idempotencyKey }).returning({ id: emails.id });
    created.push(...inserted.map((row) => row.id));
  }
  return created;
}

/** Records each recipient's link and how many emails asked it. */
export async function markRecipientsQueued(
  tx: Tx,
  updates: readonly { id: string; linkId: string | null; emailCount: number }[],
  now: Date,
) {
  for (const part of chunks(updates, CHUNK)) {
    const values = sql.join(part.map((row) => sql`(${row.id}, ${row.linkId}, ${row.emailCount}::int)`), sql`, `);
    await tx.execute(sql`
      update campaign_recipients r set link_id = v.link_id, email_count = v.email_count, queued_at = ${now.toISOString()}::timestamptz
      from (values ${values}) as v(id, link_id, email_count)
      where r.id = v.id`);
  }
}

export type DueFollowUp = {
  recipientId: string;
  campaignId: string;
  supplierId: string;
  customerId: string;
  customerName: string;
  customerLanguage: "sv" | "en" | null;
  linkId: string;
  kind: "halfway" | "final";
};

/**
 * Claims the follow-ups due at `now` in one statement per kind: recipients who have not answered
 * (here or, since this campaign began, in another one) and were asked by email. When both are due
 * (the schedule was down), only the final one is sent. Each claim is a column set once, so any
 * number of concurrent evaluations send each follow-up once.
 */
export async function claimDueFollowUps(tx: Tx, now: Date): Promise<DueFollowUp[]> {
  const at = sql`${now.toISOString()}::timestamptz`;
  // A campaign runs from its start (start_at, else when it was started) to its deadline.
  const start = sql`greatest(c.started_at, coalesce(c.start_at, c.started_at))`;
  const unanswered = sql`
    c.id = r.campaign_id and c.status = 'started' and c.queued_at is not null and ${at} < c.deadline
    and r.answered_at is null and r.email_count > 0 and r.link_id is not null
    and cu.id = r.customer_id and (cu.contacts_confirmed_at is null or cu.contacts_confirmed_at < ${start})`;
  const returning = sql`returning r.id as "recipientId", r.campaign_id as "campaignId", r.supplier_id as "supplierId",
    r.customer_id as "customerId", cu.name as "customerName", cu.language as "customerLanguage", r.link_id as "linkId"`;
  const finals = await tx.execute<Omit<DueFollowUp, "kind">>(sql`
    update campaign_recipients r set follow_up_final_at = ${at}, follow_up_halfway_at = coalesce(r.follow_up_halfway_at, ${at})
    from campaigns c, customers cu
    where ${unanswered} and r.follow_up_final_at is null
      and ${at} >= c.deadline - least(interval '3 days', (c.deadline - ${start}) / 4)
    ${returning}`);
  const halfways = await tx.execute<Omit<DueFollowUp, "kind">>(sql`
    update campaign_recipients r set follow_up_halfway_at = ${at}
    from campaigns c, customers cu
    where ${unanswered} and r.follow_up_halfway_at is null
      and ${at} >= ${start} + (c.deadline - ${start}) / 2
    ${returning}`);
  return [
    ...[...finals].map((row) => ({ ...row, kind: "final" as const })),
    ...[...halfways].map((row) => ({ ...row, kind: "halfway" as const })),
  ];
}

export type CampaignCounts = {
  customers: number;
  sent: number;
  delivered: number;
  bounced: number;
  opened: number;
  confirmed: number;
  corrected: number;
  no_answer: number;
};

export type CampaignEmailCounts = { total: number; queued: number; sent: number; delivered: number; opened: number; bounced: number; suppressed: number; failed: number };

/** Per customer: whether any of its emails was sent, delivered, opened or bounced. */
const perCustomerEmails = (campaignId: string) => sql`
  select e.customer_id,
    bool_or(e.status = 'sent') as sent,
    bool_or(e.delivered_at is not null) as delivered,
    bool_or(e.opened_at is not null) as opened,
    bool_or(e.bounced_at is not null or e.status = 'suppressed') as bounced
  from emails e where e.campaign_id = ${campaignId} group by e.customer_id`;

export async function campaignCounts(db: DbOrTx, campaignId: string): Promise<{ customers: CampaignCounts; emails: CampaignEmailCounts }> {
  const [customerRow] = await db.execute<Record<keyof CampaignCounts, number>>(sql`
    with e as (${perCustomerEmails(campaignId)})
    select count(*)::int as customers,
      count(*) filter (where e.sent)::int as sent,
      count(*) filter (where e.delivered)::int as delivered,
      count(*) filter (where e.bounced)::int as bounced,
      count(*) filter (where r.opened_at is not null or e.opened)::int as opened,
      count(*) filter (where r.answer = 'confirmed')::int as confirmed,
      count(*) filter (where r.answer = 'corrected')::int as corrected,
      count(*) filter (where r.answer is null)::int as no_answer
    from campaign_recipients r left join e on e.customer_id = r.customer_id
    where r.campaign_id = ${campaignId}`);
  const [emailRow] = await db.execute<Record<keyof CampaignEmailCounts, number>>(sql`
    select count(*)::int as total,
      count(*) filter (where status = 'queued')::int as queued,
      count(*) filter (where status = 'sent')::int as sent,
      count(*) filter (where delivered_at is not null)::int as delivered,
      count(*) filter (where opened_at is not null)::int as opened,
      count(*) filter (where bounced_at is not null)::int as bounced,
      count(*) filter (where status = 'suppressed')::int as suppressed,
      count(*) filter (where status = 'failed')::int as failed
    from emails where campaign_id = ${campaignId}`);
  return { customers: customerRow!, emails: emailRow! };
}

export type RecipientReportRow = {
  customerId: string;
  customerName: string;
  externalId: string | null;
  contactsConfirmedAt: Date | null;
  emailCount: number;
  queuedAt: Date | null;
  openedAt: Date | null;
  answer: "confirmed" | "corrected" | null;
  answeredAt: Date | null;
  emails: { to: string; kind: string; status: string; sent_at: string | null; delivered_at: string | null; opened_at: string | null; bounced_at: string | null }[];
};

/** The per-customer state, paged by customer id (CSV export: all pages). */
export async function recipientReport(
  db: DbOrTx,
  campaignId: string,
  page: { after?: string; limit: number },
): Promise<{ rows: RecipientReportRow[]; hasMore: boolean }> {
  const conditions: SQL[] = [eq(campaignRecipients.campaignId, campaignId)];
  if (page.after) conditions.push(gt(campaignRecipients.customerId, page.after));
  const rows = await db
    .select({
      customerId: campaignRecipients.customerId,
      customerName: customers.name,
      externalId: customers.externalId,
      contactsConfirmedAt: customers.contactsConfirmedAt,
      emailCount: campaignRecipients.emailCount,
      queuedAt: campaignRecipients.queuedAt,
      openedAt: campaignRecipients.openedAt,
      answer: campaignRecipients.answer,
      answeredAt: campaignRecipients.answeredAt,
      emails: sql<RecipientReportRow["emails"]>`coalesce((
        select json_agg(json_build_object(
          'to', e.to_address, 'kind', coalesce(e.props->>'kind', 'request'), 'status', e.status,
          'sent_at', e.sent_at, 'delivered_at', e.delivered_at, 'opened_at', e.opened_at, 'bounced_at', e.bounced_at
        ) order by e.created_at, e.to_address, e.id)
        from emails e where e.campaign_id = ${campaignId} and e.customer_id = ${campaignRecipients.customerId}), '[]'::json)`,
    })
    .from(campaignRecipients)
    .innerJoin(customers, eq(customers.id, campaignRecipients.customerId))
    .where(and(...conditions))
    .orderBy(asc(campaignRecipients.customerId))
    .limit(page.limit + 1);
  return { rows: rows.slice(0, page.limit), hasMore: rows.length > page.limit };
}

/** Revokes the campaign's links (cancellation): they answer 404 from now on. */
export async function revokeCampaignLinks(tx: Tx, campaignId: string, now: Date) {
  await tx.update(links).set({ revokedAt: now }).where(and(eq(links.campaignId, campaignId), isNull(links.revokedAt)));
}

/** A cancelled campaign's emails still waiting are not sent (their jobs find them settled). */
export async function failQueuedCampaignEmails(tx: Tx, campaignId: string, reason: string) {
  await tx
    .update(emails)
    .set({ status: "failed", error: reason })
    .where(and(eq(emails.campaignId, campaignId), eq(emails.status, "queued")));
}

/** Claims the started campaigns whose deadline has passed and whose close is not yet announced. */
export async function claimClosedCampaigns(tx: Tx, now: Date): Promise<CampaignRow[]> {
  return tx
    .update(campaigns)
    .set({ closedAt: now })
    .where(and(eq(campaigns.status, "started"), isNull(campaigns.closedAt), sql`${campaigns.deadline} <= ${now.toISOString()}::timestamptz`))
    .returning();
}

// Reads and writes of a campaign's customer-level page (/c/<token>): what the page shows, the
// recipient's first view and its answer. Every query is scoped by the resolved link's supplier
// and recipient, so a link reaches its own customer only.
import { and, eq, isNull, sql } from "drizzle-orm";
import { campaignRecipients, campaigns, customers, suppliers } from "../../../../db/schema";
import type { DbOrTx, Tx } from "../../../../db/client";
import { billingContactsJson } from "~/features/portal/db/payer-invoices.server";

export type CampaignScope = { supplierId: string; recipientId: string };

export type CampaignAnswer = "confirmed" | "corrected";

/** The campaign, supplier, customer, its billing contacts and the recipient's answer, in one round trip. */
export async function findCampaignPage(db: DbOrTx, scope: CampaignScope) {
  const [row] = await db
    .select({
      campaign: { id: campaigns.id, name: campaigns.name, message: campaigns.message, deadline: campaigns.deadline },
      supplier: {
        name: suppliers.name,
        logoUrl: suppliers.logoUrl,
        brandColor: suppliers.brandColor,
        timeZone: suppliers.timeZone,
        language: suppliers.language,
      },
      customer: {
        id: customers.id,
        name: customers.name,
        orgNumber: customers.orgNumber,
        language: customers.language,
        contactsConfirmedAt: customers.contactsConfirmedAt,
      },
      recipient: { answer: campaignRecipients.answer, answeredAt: campaignRecipients.answeredAt },
      contacts: billingContactsJson(customers.id, customers.supplierId),
    })
    .from(campaignRecipients)
    .innerJoin(campaigns, and(eq(campaigns.id, campaignRecipients.campaignId), eq(campaigns.supplierId, campaignRecipients.supplierId)))
    .innerJoin(suppliers, eq(suppliers.id, campaignRecipients.supplierId))
    .innerJoin(customers, and(eq(customers.id, campaignRecipients.customerId), eq(customers.supplierId, campaignRecipients.supplierId)))
    .where(and(eq(campaignRecipients.supplierId, scope.supplierId), eq(campaignRecipients.id, scope.recipientId)))
    .limit(1);
  return row;
}

export type CampaignPageRow = NonNullable<Awaited<ReturnType<typeof findCampaignPage>>>;

/** A person's first view; later views and mail scanners' fetches leave it as it is. */
export async function markRecipientOpened(db: DbOrTx, scope: CampaignScope, now: Date): Promise<void> {
  await db
    .update(campaignRecipients)
    .set({ openedAt: now })
    .where(
      and(eq(campaignRecipients.supplierId, scope.supplierId), eq(campaignRecipients.id, scope.recipientId), isNull(campaignRecipients.openedAt)),
    );
}

/**
 * Locks the recipient and its customer for an answer, so concurrent answers from the same link
 * (or two colleagues' tabs) apply one after the other and record a true before/after.
 */
export async function lockCampaignAnswerer(tx: Tx, scope: CampaignScope) {
  const [row] = await tx
    .select({
      recipient: { id: campaignRecipients.id, answer: campaignRecipients.answer, answeredAt: campaignRecipients.answeredAt },
      supplier: { id: suppliers.id, name: suppliers.name, language: suppliers.language },
      customer: { id: customers.id, name: customers.name, language: customers.language, orgNumber: customers.orgNumber },
    })
    .from(campaignRecipients)
    .innerJoin(suppliers, eq(suppliers.id, campaignRecipients.supplierId))
    .innerJoin(customers, and(eq(customers.id, campaignRecipients.customerId), eq(customers.supplierId, campaignRecipients.supplierId)))
    .where(and(eq(campaignRecipients.supplierId, scope.supplierId), eq(campaignRecipients.id, scope.recipientId)))
    .limit(1)
    .for("update", { of: [campaignRecipients, customers] });
  return row;
}

export type LockedAnswerer = NonNullable<Awaited<ReturnType<typeof lockCampaignAnswerer>>>;

/**
 * The recipient's answer: "corrected" is never downgraded to "confirmed" by a later "All
 * correct", and the first answer's time is kept (it is when the follow-ups stopped).
 */
export async function recordRecipientAnswer(tx: Tx, scope: CampaignScope, answer: CampaignAnswer, now: Date) {
  const [row] = await tx
    .update(campaignRecipients)
    .set({
      answer: sql`case when ${campaignRecipients.answer} = 'corrected' then 'corrected' else ${answer} end`,
      answeredAt: sql`coalesce(${campaignRecipients.answeredAt}, ${now.toISOString()}::timestamptz)`,
    })
    .where(and(eq(campaignRecipients.supplierId, scope.supplierId), eq(campaignRecipients.id, scope.recipientId)))
    .returning({ answer: campaignRecipients.answer, answeredAt: campaignRecipients.answeredAt });
  if (!row) throw new Error(`campaign recipient ${scope.recipientId} vanished during its answer`);
  return row as { answer: CampaignAnswer; answeredAt: Date };
}

export async function setContactsConfirmedAt(tx: Tx, scope: { supplierId: string; customerId: string }, now: Date): Promise<void> {
  await tx
    .update(customers)
    .set({ contactsConfirmedAt: now, updatedAt: now })
    .where(and(eq(customers.supplierId, scope.supplierId), eq(customers.id, scope.customerId)));
}

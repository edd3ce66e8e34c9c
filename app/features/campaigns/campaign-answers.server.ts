// What a customer's visit and answer do to a contact-update campaign. A view (GET) is only ever
// an event, plus the recipient's "opened" time when a person (not a mail scanner) looked
// (security L3). An answer — "All correct" or a correction — stops the follow-ups, dates the
// customer's contacts as confirmed and tells the supplier.
import type { Db, Tx } from "../../../db/client";
import { appendEvent, appendViewEvent } from "~/platform/audit/db/events.server";
import {
  markRecipientOpened, recordRecipientAnswer, setContactsConfirmedAt, type CampaignAnswer,
} from "~/features/campaigns/db/campaign-page.server";
import type { ResolvedCampaignLink } from "~/features/campaigns/campaign-links.server";
import { publishWebhookEvent } from "~/features/webhooks/webhooks.server";

export type VisitOrigin = { ip: string | null; userAgent: string | null };

export async function recordCampaignView(
  db: Db,
  link: ResolvedCampaignLink,
  visit: VisitOrigin & { automated: boolean },
  now: Date,
): Promise<void> {
  if (!visit.automated) await markRecipientOpened(db, link, now);
  await appendViewEvent(db, {
    supplierId: link.supplierId,
    customerId: link.customerId,
    type: "campaign.viewed",
    actor: "payer",
    actorId: link.linkId,
    ip: visit.ip,
    userAgent: visit.userAgent,
    data: { link_id: link.linkId, campaign_id: link.campaignId, automated: visit.automated },
  });
}

/**
 * Records an answer in the caller's transaction (the recipient and customer locked). A correction
 * has already published its own event and webhook (contact.updated, customer.updated); this adds
 * the answer: "corrected" wins over "confirmed" and is never downgraded.
 */
export async function recordCampaignAnswer(
  tx: Tx,
  link: ResolvedCampaignLink,
  answer: CampaignAnswer,
  audit: { customer: { id: string; name: string }; origin: VisitOrigin },
  now: Date,
): Promise<{ answer: CampaignAnswer; answeredAt: Date }> {
  const recorded = await recordRecipientAnswer(tx, link, answer, now);
  await setContactsConfirmedAt(tx, { supplierId: link.supplierId, customerId: audit.customer.id }, now);
  await appendEvent(tx, {
    supplierId: link.supplierId,
    customerId: audit.customer.id,
    type: "customer.contacts_confirmed",
    actor: "payer",
    actorId: link.linkId,
    ip: audit.origin.ip,
    userAgent: audit.origin.userAgent,
    data: { link_id: link.linkId, campaign_id: link.campaignId, answer, recipient_answer: recorded.answer },
  });
  await publishWebhookEvent(tx, {
    supplierId: link.supplierId,
    type: "customer.contacts_confirmed",
    payload: {
      customer: { id: audit.customer.id, name: audit.customer.name },
      campaign_id: link.campaignId,
      // What this answer was; the recipient's standing answer ("corrected" wins) is in the campaign's report.
      answer,
      confirmed_at: now.toISOString(),
    },
  });
  return recorded;
}

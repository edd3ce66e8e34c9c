// Customer-level links of a contact-update campaign (/c/<token>): signed exactly like invoice
// links (security L1: 128-bit secret, HMAC with a key id, checked before any query; only the
// hash is stored), scoped to one customer of one campaign, and open until the campaign's
// deadline plus the grace period. The secret is derived from the signing key and the link row's
// id, so the email job rebuilds the same URL for every email to that customer.
import { and, eq } from "drizzle-orm";
import { campaignRecipients, campaigns, links } from "../../../db/schema";
import type { DbOrTx } from "../../../db/client";
import type { Config } from "~/platform/config.server";
import { deriveLinkId, hashLinkId } from "~/domain/link-token";
import { newPublicId } from "~/domain/public-id";
import { insertLink } from "~/features/links/db/links.server";
import { derivedLinkUrl, verifyInvoiceToken, type LinkRejection } from "~/features/links/links.server";

/** Campaign links are never reissued on their own: the version is fixed. */
export const CAMPAIGN_LINK_VERSION = 1;

const DAY_MS = 24 * 60 * 60 * 1000;

type LinkConfig = Pick<Config, "linkKeys" | "linkGraceDays" | "publicBaseUrl">;

/** Answers are welcome after the deadline, for the grace period; then the link is dead. */
export function campaignLinkExpiry(deadline: Date, config: Pick<Config, "linkGraceDays">): Date {
  return new Date(Math.floor(deadline.getTime() / 1000) * 1000 + config.linkGraceDays * DAY_MS);
}

export type CampaignLinkRow = { id: string; supplierId: string; campaignId: string; customerId: string; expiresAt: Date };

/**
 * A new link row for one recipient (the caller's transaction). Rows are returned rather than
 * inserted one by one so the campaign's fan-out can insert thousands in one statement.
 */
export function newCampaignLink(
  config: LinkConfig,
  recipient: { supplierId: string; campaignId: string; customerId: string },
  deadline: Date,
  now: Date,
): typeof links.$inferInsert {
  const key = config.linkKeys[0];
  if (!key) throw new Error("No link signing key configured");
  const id = newPublicId("lnk");
  return {
    id,
    supplierId: recipient.supplierId,
    invoiceId: null,
    customerId: recipient.customerId,
    campaignId: recipient.campaignId,
    idHash: hashLinkId(deriveLinkId(key, id)),
    version: CAMPAIGN_LINK_VERSION,
    expiresAt: campaignLinkExpiry(deadline, config),
    derivedKeyId: key.kid,
    createdAt: now,
  };
}

export async function issueCampaignLink(
  db: DbOrTx,
  config: LinkConfig,
  recipient: { supplierId: string; campaignId: string; customerId: string },
  deadline: Date,
  now: Date,
): Promise<{ linkId: string; url: string }> {
  const row = newCampaignLink(config, recipient, deadline, now);
  await insertLink(db, row);
  return { linkId: row.id, url: campaignLinkUrl(config, row)! };
}

/** The /c/ URL rebuilt from the row; null once its key is retired (it cannot open then). */
export function campaignLinkUrl(
  config: LinkConfig,
  link: { id: string; version: number; expiresAt: Date; derivedKeyId?: string | null; campaignId?: string | null },
): string | null {
  if (!link.campaignId) throw new Error(`link ${link.id} is not a campaign link`);
  return derivedLinkUrl(config, { ...link, derivedKeyId: link.derivedKeyId ?? null });
}

export type ResolvedCampaignLink = {
  linkId: string;
  supplierId: string;
  campaignId: string;
  customerId: string;
  recipientId: string;
};

/**
 * Resolves a /c/ token: signature first (a forged token costs no query), then one query for the
 * link, its recipient and its campaign. Every failure looks the same to the visitor.
 */
export async function resolveCampaignToken(
  db: DbOrTx,
  config: Pick<Config, "linkKeys">,
  token: string,
  now = new Date(),
): Promise<{ ok: true; link: ResolvedCampaignLink } | { ok: false; reason: LinkRejection }> {
  const verified = verifyInvoiceToken(config, token, now);
  if (!verified.ok) return verified;
  const [row] = await db
    .select({
      linkId: links.id,
      supplierId: links.supplierId,
      campaignId: campaigns.id,
      customerId: campaignRecipients.customerId,
      recipientId: campaignRecipients.id,
      version: links.version,
      expiresAt: links.expiresAt,
      revokedAt: links.revokedAt,
      status: campaigns.status,
    })
    .from(links)
    .innerJoin(campaigns, and(eq(campaigns.id, links.campaignId), eq(campaigns.supplierId, links.supplierId)))
    .innerJoin(
      campaignRecipients,
      and(eq(campaignRecipients.campaignId, links.campaignId), eq(campaignRecipients.customerId, links.customerId)),
    )
    .where(eq(links.idHash, verified.idHash))
    .limit(1);
  if (!row || row.version !== verified.version) return { ok: false, reason: "unknown" };
  if (row.revokedAt !== null || row.status === "cancelled") return { ok: false, reason: "revoked" };
  if (row.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: "expired" };
  const { linkId, supplierId, campaignId, customerId, recipientId } = row;
  return { ok: true, link: { linkId, supplierId, campaignId, customerId, recipientId } };
}

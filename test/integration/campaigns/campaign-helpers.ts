// Shared by the campaign page's tests: a supplier with a started contact-update campaign and its
// recipients, each with a working /c/ link, written directly to the database (not through the
// campaign service) so the page is tested on its own.
import { eq } from "drizzle-orm";
import { campaignRecipients, campaigns, customers } from "../../../db/schema";
import type { Db } from "../../../db/client";
import type { Config } from "~/platform/config.server";
import { newPublicId } from "~/domain/public-id";
import { insertBillingContact } from "~/features/customers/db/customers.server";
import { issueCampaignLink } from "~/features/campaigns/campaign-links.server";
import { createSupplierWithCustomer, tokenFromUrl } from "../../support/fixtures";

export const DAY = 86_400_000;
export const BROWSER_UA =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
/** What a phone's browser sends when the customer opens the link. */
export const BROWSER = { accept: "text/html,application/xhtml+xml", "sec-fetch-mode": "navigate", "user-agent": BROWSER_UA };
export const OLD_EMAIL = "ekonomi@fjallbacka.example";
export const MESSAGE = "Hello!\n\nOnce a year we check who should receive our invoices.\nIt takes a minute.";

export type CampaignRecipientFixture = { customerId: string; contactId: string; recipientId: string; linkId: string; token: string };
export type CampaignFixtureOptions = { deadline?: Date; customerLanguage?: "sv" | "en" | null; message?: string };

/** A supplier with a started campaign and one recipient (more with `another`). */
export async function createCampaignFixture(db: Db, config: Config, options: CampaignFixtureOptions = {}) {
  const now = new Date();
  const owner = await createSupplierWithCustomer(db, {
    supplier: { notificationEmail: "ar@nordljus.example", brandColor: "#0F766E" },
    customerLanguage: options.customerLanguage ?? null,
  });
  const supplierId = owner.supplier.id;
  const deadline = options.deadline ?? new Date(now.getTime() + 30 * DAY);
  const campaignId = newPublicId("cmp");
  await db.insert(campaigns).values({
    id: campaignId, supplierId, name: "Annual check 2026", message: options.message ?? MESSAGE, audience: "all", deadline,
    status: "started", startedAt: now, queuedAt: now,
  });
  const recipient = async (customerId: string, email: string): Promise<CampaignRecipientFixture> => {
    const contactId = await insertBillingContact(db, { supplierId, customerId, email, language: "sv" });
    const recipientId = newPublicId("cre");
    await db.insert(campaignRecipients).values({ id: recipientId, campaignId, supplierId, customerId });
    const link = await issueCampaignLink(db, config, { supplierId, campaignId, customerId }, deadline, now);
    await db.update(campaignRecipients).set({ linkId: link.linkId, queuedAt: now, emailCount: 1 }).where(eq(campaignRecipients.id, recipientId));
    return { customerId, contactId, recipientId, linkId: link.linkId, token: tokenFromUrl(link.url) };
  };
  const first = await recipient(owner.customerId, OLD_EMAIL);
  return {
    supplier: owner.supplier,
    campaignId,
    deadline,
    ...first,
    /** Another customer of the same supplier in the same campaign. */
    another: async (name: string, email: string) => {
      const customerId = newPublicId("cus");
      await db.insert(customers).values({ id: customerId, supplierId, name });
      return recipient(customerId, email);
    },
  };
}

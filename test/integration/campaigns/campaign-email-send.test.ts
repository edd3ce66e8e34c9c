// The email job for a contact-update campaign's emails: no invoice, but the customer's own /c/
// link (emails.link_id, set when the campaign queued it). The stored copy holds only the
// placeholder (security L1); the message as sent, through Resend or in the outbox, carries the
// working link, which opens that customer's campaign page and no other; never an invoice's
// payment facts; and the job issues no link of its own.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { and, count, eq } from "drizzle-orm";
import { campaignRecipients, campaigns, emails, links } from "../../../db/schema";
import { newPublicId } from "~/domain/public-id";
import { insertBillingContact } from "~/features/customers/db/customers.server";
import { drainJobs } from "~/platform/jobs/queue.server";
import { loader as outboxEmailLoader } from "~/routes/dev.outbox.$id";
import { issueCampaignLink, resolveCampaignToken } from "~/features/campaigns/campaign-links.server";
import { PORTAL_LINK_PLACEHOLDER } from "~/features/emails/email-context.server";
import { EMAIL_SEND_JOB, queueEmail } from "~/features/emails/email.server";
import { useTestDatabase } from "../../support/database";
import { callRoute, testConfig, testContext } from "../../support/context";
import { fakeResend } from "../../support/fake-resend";
import { createSupplierWithCustomer, tokenFromUrl } from "../../support/fixtures";

const database = useTestDatabase();
const db = () => database.get().db;
const config = testConfig();
const DAY_MS = 86_400_000;

const resend = fakeResend();
beforeAll(() => resend.start());
afterAll(() => resend.stop());

const outbox = () => testContext(database.get(), config);
const throughResend = () =>
  testContext(
    database.get(),
    testConfig({ RESEND_API_KEY: "re_test_key_123", RESEND_BASE_URL: resend.url(), EMAIL_FROM: "Payer Portal <noreply@pay.example.test>" }),
  );
const drain = (context = outbox()) => drainJobs(context.app, { names: [EMAIL_SEND_JOB] });

/** A started campaign for one customer with a billing contact, and that customer's link. */
async function campaignFor(options: { supplier?: { notificationEmail?: string } } = {}) {
  const owner = await createSupplierWithCustomer(db(), { supplier: options.supplier });
  const { supplier, customerId } = owner;
  const now = new Date();
  const deadline = new Date(now.getTime() + 30 * DAY_MS);
  const address = `ekonomi+${randomUUID().slice(0, 8)}@fjallbacka.example`;
  await insertBillingContact(db(), { supplierId: supplier.id, customerId, email: address, language: "en" });
  const campaignId = newPublicId("cmp");
  await db().insert(campaigns).values({
    id: campaignId, supplierId: supplier.id, name: "Contact details 2027", message: "Please check.\n\nThank you!",
    audience: "all", deadline, status: "started", startedAt: now,
  });
  const link = await issueCampaignLink(db(), config, { supplierId: supplier.id, campaignId, customerId }, deadline, now);
  await db().insert(campaignRecipients).values({
    id: newPublicId("cre"), campaignId, supplierId: supplier.id, customerId, linkId: link.linkId, emailCount: 1, queuedAt: now,
  });
  return { ...owner, campaignId, deadline, address, link };
}

type Campaign = Awaited<ReturnType<typeof campaignFor>>;

/** The request email as the campaign's fan-out leaves it: no invoice, the customer's link and campaign. */
async function queueRequest(campaign: Campaign, linkId: string | null = campaign.link.linkId) {
  const { emailId } = await queueEmail(db(), {
    supplierId: campaign.supplier.id,
    customerId: campaign.customerId,
    template: "campaign-request",
    locale: "en",
    to: campaign.address,
    idempotencyKey: `campaign:${campaign.campaignId}:${campaign.customerId}:request:${campaign.address}`,
    props: { customerName: "Fjällbacka Bygg AB", campaignName: "Contact details 2027", message: "Please check.\n\nThank you!", deadline: campaign.deadline },
  });
  await db().update(emails).set({ linkId, campaignId: campaign.campaignId }).where(eq(emails.id, emailId));
  return emailId;
}

const emailRow = async (emailId: string) => (await db().select().from(emails).where(eq(emails.id, emailId)))[0]!;
const linkCount = async (supplierId: string) => (await db().select({ n: count() }).from(links).where(eq(links.supplierId, supplierId)))[0]!.n;
const campaignUrls = (text: string) => text.match(/https:\/\/pay\.example\.test\/c\/[A-Za-z0-9._~-]+/g) ?? [];

describe("a campaign email", () => {
  beforeEach(() => drain());

  it("is stored with the placeholder, and delivered to the outbox with the customer's working /c/ link", async () => {
    const campaign = await campaignFor();
    const emailId = await queueRequest(campaign);
    await drain();

    const row = await emailRow(emailId);
    expect(row).toMatchObject({ status: "sent", transport: "outbox", subject: "Are your invoicing details right? – Nordljus Konsult AB" });
    expect(row.deliveredAt).toEqual(row.sentAt);
    for (const part of [row.html!, row.text!]) {
      expect(part).toContain(PORTAL_LINK_PLACEHOLDER);
      expect(campaignUrls(part)).toEqual([]);
    }
    // About the customer, not an invoice: no payment facts, no invoice button.
    for (const absent of ["Amount due", "OCR", "Bankgiro", "Open the invoice"]) expect(row.text).not.toContain(absent);

    const shown = await callRoute(outboxEmailLoader, outbox(), { path: `/dev/outbox/${emailId}`, params: { id: emailId } });
    const { text } = (await shown.json()) as { text: string };
    expect(campaignUrls(text)).toEqual([campaign.link.url, campaign.link.url]);
    expect(text).toContain(`Check your details ${campaign.link.url}`);
    expect(text).not.toContain(PORTAL_LINK_PLACEHOLDER);
    expect(text).not.toContain("/i/");
    const resolved = await resolveCampaignToken(db(), config, tokenFromUrl(campaign.link.url));
    expect(resolved).toEqual({
      ok: true,
      link: expect.objectContaining({ linkId: campaign.link.linkId, customerId: campaign.customerId, campaignId: campaign.campaignId }),
    });
    // The job issued no link of its own: the customer's one link is all there is.
    expect(await linkCount(campaign.supplier.id)).toBe(1);
  });

  it("goes through Resend in the supplier's name with the working link in both parts, once however often its job runs", async () => {
    const campaign = await campaignFor({ supplier: { notificationEmail: "ar@nordljus.example" } });
    const other = await campaignFor();
    const emailId = await queueRequest(campaign);
    const otherEmail = await queueRequest(other);
    resend.requests.length = 0;
    await drain(throughResend());
    await drain(throughResend());

    const sent = resend.requests.filter((request) => request.body.to?.toString() === campaign.address);
    expect(sent).toHaveLength(1);
    const body = sent[0]!.body as { from: string; reply_to?: string | string[]; html: string; text: string };
    expect(body.from).toBe(`"Nordljus Konsult AB" <noreply@pay.example.test>`);
    expect([body.reply_to].flat()).toEqual(["ar@nordljus.example"]);
    expect(campaignUrls(body.text)).toEqual([campaign.link.url, campaign.link.url]);
    expect(body.html).toContain(`href="${campaign.link.url}"`);
    expect(body.html).not.toContain(PORTAL_LINK_PLACEHOLDER);
    // Each customer gets its own link, never another's.
    expect(body.text).not.toContain(other.link.url);
    const otherBody = resend.requests.find((request) => request.body.to?.toString() === other.address)!.body as { text: string };
    expect(campaignUrls(otherBody.text)).toEqual([other.link.url, other.link.url]);

    expect(await emailRow(emailId)).toMatchObject({ status: "sent", transport: "resend", deliveredAt: null });
    expect((await emailRow(otherEmail)).status).toBe("sent");
  });

  it("without a link on the row goes without a button, and the job does not make one up", async () => {
    const campaign = await campaignFor();
    const emailId = await queueRequest(campaign, null);
    await drain();
    const row = await emailRow(emailId);
    expect(row.status).toBe("sent");
    expect(row.text).not.toContain(PORTAL_LINK_PLACEHOLDER);
    expect(row.text).not.toContain("Check your details");
    expect(row.html).not.toMatch(/href="https:\/\/pay\.example\.test/);
    expect(await linkCount(campaign.supplier.id)).toBe(1);
    expect(await db().select().from(emails).where(and(eq(emails.id, emailId), eq(emails.linkId, campaign.link.linkId)))).toEqual([]);
  });
});

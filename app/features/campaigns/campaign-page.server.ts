// The campaign page /c/<token>: resolve the customer-level link (signature first, so a forged
// token costs no query), load what the customer is asked to check, record the view. A GET does
// nothing else (security L3): mail scanners pre-fetch links, so a view is only ever an event.
import type { Db } from "../../../db/client";
import type { Config } from "~/platform/config.server";
import { todayIn } from "~/domain/invoice-status";
import { deadlineReading } from "~/domain/campaign-schedule";
import { negotiateLocale, type Locale } from "~/i18n";
import { findCampaignPage, type CampaignAnswer } from "~/features/campaigns/db/campaign-page.server";
import { recordCampaignView } from "~/features/campaigns/campaign-answers.server";
import { resolveCampaignToken } from "~/features/campaigns/campaign-links.server";
import { CAMPAIGN_INTENTS, isCampaignIntent, type CampaignIntent } from "~/features/campaigns/campaign-actions.server";
import type { LinkRejection } from "~/features/links/links.server";
import { oneTimeIds, type DatedInstant, type PanelContact } from "~/features/portal/payer-panel.server";
import { hexColor, httpsUrl, isAutomatedView, type PortalRequest } from "~/features/portal/portal.server";

/** Everything the page renders, as plain JSON (no Dates). */
export type CampaignPage = {
  locale: Locale;
  supplier: { name: string; logoUrl: string | null; brandColor: string | null; timeZone: string };
  /** The supplier's message is plain text: the page keeps its paragraphs and never renders HTML. */
  campaign: { name: string; message: string; deadline: Deadline };
  customer: { name: string; orgNumber: string | null };
  contacts: PanelContact[];
  /** The customer's standing answer and when its details were last confirmed; null before any answer. */
  answer: (DatedInstant & { kind: CampaignAnswer }) | null;
  /** The answer just given (after the redirect), to say so with role="status". */
  notice: CampaignIntent | null;
  /** One per form, keyed like the forms (`update-contact:con_…`). */
  submissionIds: Record<string, string>;
};

/**
 * The deadline as people read it, in the supplier's time zone: a deadline at midnight is the end
 * of the day before (the API's "deadline": "2027-03-15" is "by 15 March", as the emails say),
 * anything else is that day at that time.
 */
export type Deadline = DatedInstant & { endOfDay: boolean };

export function deadlineIn(timeZone: string, at: Date): Deadline {
  const { endOfDay, day } = deadlineReading(at, timeZone);
  return { at: at.toISOString(), date: todayIn(timeZone, day), endOfDay };
}

export type CampaignPageResult = { ok: true; page: CampaignPage } | { ok: false; reason: LinkRejection };

export async function loadCampaignPage(
  db: Db,
  config: Pick<Config, "linkKeys">,
  input: PortalRequest,
): Promise<CampaignPageResult> {
  const now = input.now ?? new Date();
  const resolved = await resolveCampaignToken(db, config, input.token, now);
  if (!resolved.ok) return resolved;
  const { link } = resolved;
  const row = await findCampaignPage(db, link);
  if (!row) return { ok: false, reason: "unknown" };
  const { campaign, supplier, customer, recipient } = row;
  const dated = (at: Date): DatedInstant => ({ at: at.toISOString(), date: todayIn(supplier.timeZone, at) });
  const answeredAt = customer.contactsConfirmedAt ?? recipient.answeredAt;
  const done = new URL(input.request.url).searchParams.get("done");

  const page: CampaignPage = {
    locale: negotiateLocale(input.request, customer.language, supplier.language),
    supplier: {
      name: supplier.name,
      logoUrl: httpsUrl(supplier.logoUrl),
      brandColor: hexColor(supplier.brandColor),
      timeZone: supplier.timeZone,
    },
    campaign: { name: campaign.name, message: campaign.message, deadline: deadlineIn(supplier.timeZone, campaign.deadline) },
    customer: { name: customer.name, orgNumber: customer.orgNumber },
    contacts: row.contacts,
    answer: recipient.answer && answeredAt ? { kind: recipient.answer, ...dated(answeredAt) } : null,
    notice: isCampaignIntent(done) ? done : null,
    submissionIds: oneTimeIds([
      ...CAMPAIGN_INTENTS.filter((intent) => intent !== "update-contact"),
      ...row.contacts.map((contact) => `update-contact:${contact.id}`),
    ]),
  };

  await recordCampaignView(
    db,
    link,
    { ip: input.ip || null, userAgent: input.userAgent || null, automated: isAutomatedView(input.request, input.userAgent) },
    now,
  );
  return { ok: true, page };
}

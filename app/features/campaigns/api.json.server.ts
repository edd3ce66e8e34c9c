// How the API shows a campaign: its settings, a status derived from its facts and the clock, and
// its counts; the report adds the per-customer state.
import type { CampaignAudience } from "../../../db/schema";
import type { CampaignCounts, CampaignEmailCounts, CampaignRow, RecipientReportRow } from "~/features/campaigns/db/campaigns.server";

/**
 * draft: not started; scheduled: started, its start still ahead; sending: emails still queued;
 * open: asking, before the deadline; closed: past it; cancelled.
 */
export type CampaignStatus = "draft" | "scheduled" | "sending" | "open" | "closed" | "cancelled";

export type CampaignJson = {
  id: string;
  object: "campaign";
  name: string;
  message: string;
  audience: CampaignAudience;
  status: CampaignStatus;
  start_at: string | null;
  deadline: string;
  created_at: string;
  started_at: string | null;
  cancelled_at: string | null;
  /** Customers; `sent`…`bounced` count customers with at least one such email. */
  counts: CampaignCounts;
  emails: CampaignEmailCounts;
};

/** What a customer's answer, or lack of it, comes to: the furthest step reached. */
export type RecipientState = "no_email" | "queued" | "sent" | "delivered" | "bounced" | "opened" | "confirmed" | "corrected";

export type RecipientJson = {
  customer_id: string;
  customer_name: string;
  external_id: string | null;
  state: RecipientState;
  answer: "confirmed" | "corrected" | null;
  answered_at: string | null;
  opened_at: string | null;
  contacts_confirmed_at: string | null;
  emails: { to: string; kind: string; status: string; sent_at: string | null; delivered_at: string | null; opened_at: string | null; bounced_at: string | null }[];
};

export type CampaignReportJson = CampaignJson & {
  recipients: { data: RecipientJson[]; has_more: boolean; next_after: string | null };
};

export function campaignStatus(row: CampaignRow, queuedEmails: number, now: Date): CampaignStatus {
  if (row.status === "cancelled") return "cancelled";
  if (row.status === "draft") return "draft";
  if (now.getTime() >= row.deadline.getTime()) return "closed";
  if (row.startAt && now.getTime() < row.startAt.getTime()) return "scheduled";
  if (row.queuedAt === null || queuedEmails > 0) return "sending";
  return "open";
}

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

const EMPTY_COUNTS: { customers: CampaignCounts; emails: CampaignEmailCounts } = {
  customers: { customers: 0, sent: 0, delivered: 0, bounced: 0, opened: 0, confirmed: 0, corrected: 0, no_answer: 0 },
  emails: { total: 0, queued: 0, sent: 0, delivered: 0, opened: 0, bounced: 0, suppressed: 0, failed: 0 },
};

export function campaignJson(
  row: CampaignRow,
  counts: { customers: CampaignCounts; emails: CampaignEmailCounts } = EMPTY_COUNTS,
  now = new Date(),
): CampaignJson {
  return {
    id: row.id,
    object: "campaign",
    name: row.name,
    message: row.message,
    audience: row.audience,
    status: campaignStatus(row, counts.emails.queued, now),
    start_at: iso(row.startAt),
    deadline: row.deadline.toISOString(),
    created_at: row.createdAt.toISOString(),
    started_at: iso(row.startedAt),
    cancelled_at: iso(row.cancelledAt),
    counts: counts.customers,
    emails: counts.emails,
  };
}

export function recipientState(row: RecipientReportRow): RecipientState {
  if (row.answer) return row.answer;
  if (row.openedAt || row.emails.some((email) => email.opened_at)) return "opened";
  if (row.queuedAt && row.emailCount === 0) return "no_email";
  if (row.emails.length > 0 && row.emails.every((email) => email.bounced_at || email.status === "suppressed")) return "bounced";
  if (row.emails.some((email) => email.delivered_at)) return "delivered";
  if (row.emails.some((email) => email.status === "sent")) return "sent";
  return "queued";
}

export function recipientJson(row: RecipientReportRow): RecipientJson {
  return {
    customer_id: row.customerId,
    customer_name: row.customerName,
    external_id: row.externalId,
    state: recipientState(row),
    answer: row.answer,
    answered_at: iso(row.answeredAt),
    opened_at: iso(row.openedAt),
    contacts_confirmed_at: iso(row.contactsConfirmedAt),
    emails: row.emails.map((email) => ({
      to: email.to,
      kind: email.kind,
      status: email.status,
      sent_at: iso(email.sent_at),
      delivered_at: iso(email.delivered_at),
      opened_at: iso(email.opened_at),
      bounced_at: iso(email.bounced_at),
    })),
  };
}

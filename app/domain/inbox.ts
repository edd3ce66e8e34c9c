// The console inbox's words: what kinds of things land in it and the states an item goes through.
// A kind is one source (app/features/inbox/sources/); adding one is a row here, its module and its
// dictionary texts (`console.inbox.kind.<kind>`).

export const INBOX_KINDS = ["dispute", "delivery_problem", "payment_report", "failing_address", "unapplied_payment"] as const;
export type InboxKind = (typeof INBOX_KINDS)[number];

/** new → in progress → waiting for the customer → done, in any order the team needs. */
export const INBOX_STATES = ["new", "in_progress", "waiting", "done"] as const;
export type InboxState = (typeof INBOX_STATES)[number];

/** The list's state filter: one state, every item not done yet (the default), or all. */
export const INBOX_STATE_FILTERS = ["open", ...INBOX_STATES, "all"] as const;
export type InboxStateFilter = (typeof INBOX_STATE_FILTERS)[number];

export const isInboxKind = (value: unknown): value is InboxKind => typeof value === "string" && (INBOX_KINDS as readonly string[]).includes(value);
export const isInboxState = (value: unknown): value is InboxState => typeof value === "string" && (INBOX_STATES as readonly string[]).includes(value);
export const isInboxStateFilter = (value: unknown): value is InboxStateFilter =>
  typeof value === "string" && (INBOX_STATE_FILTERS as readonly string[]).includes(value);

/** The new-items badge stops counting here: "99+" says enough, and the count stays cheap. */
export const NEW_COUNT_CAP = 100;

export function badgeText(count: number): string {
  return count >= NEW_COUNT_CAP ? `${NEW_COUNT_CAP - 1}+` : String(count);
}

/** A dispute's inbox kind: a problem with a delivery has its own. */
export const disputeInboxKind = (disputeKind: "invoice" | "delivery"): InboxKind => (disputeKind === "delivery" ? "delivery_problem" : "dispute");

export const NOTE_MAX_LENGTH = 4000;

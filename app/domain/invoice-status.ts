// The status people see is derived from facts each time, never stored, so it cannot go stale.
import { memoize } from "./memoize";

export type InvoiceFacts = {
  /** YYYY-MM-DD */
  dueDate: string;
  /** YYYY-MM-DD, already in the supplier's time zone (see todayIn). */
  today: string;
  /** Minor units. A credit note has total ≤ 0. */
  total: number;
  /** Minor units received so far (net of refunds). */
  amountPaid: number;
  cancelledAt: Date | null;
  disputed: boolean;
};

/** What is still owed on an open invoice. */
export type Outstanding = { amountDue: number; partlyPaid: boolean; disputed: boolean };

export type InvoiceStatus =
  | { kind: "cancelled" }
  | { kind: "paid" }
  | { kind: "overpaid"; excess: number }
  | ({ kind: "due"; days: number } & Outstanding)
  | ({ kind: "due_today" } & Outstanding)
  | ({ kind: "overdue"; days: number } & Outstanding);

/** Stable machine status for API filters. */
export type ApiInvoiceStatus = "open" | "overdue" | "paid" | "cancelled";

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** Calendar date as days since 1970-01-01; Date.UTC keeps local time zones and DST out of it. */
function epochDay(date: string): number {
  const match = DATE_PATTERN.exec(date);
  if (match === null) throw new RangeError(`Expected a date as YYYY-MM-DD, got ${JSON.stringify(date)}`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const check = new Date(ms);
  // Date.UTC rolls 2026-02-30 over to March; refuse instead.
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new RangeError(`Not a calendar date: ${date}`);
  }
  return ms / DAY_MS;
}

/** Calendar days from a to b (positive when b is later). */
export function daysBetween(a: string, b: string): number {
  return epochDay(b) - epochDay(a);
}

const calendarDateFormat = memoize(
  (timeZone) =>
    new Intl.DateTimeFormat("en-US", {
      timeZone,
      calendar: "gregory",
      numberingSystem: "latn",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    }),
);

/** Today's date (YYYY-MM-DD) in an IANA time zone at the instant `now`. */
export function todayIn(timeZone: string, now: Date): string {
  const parts = calendarDateFormat(timeZone).formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes): string => {
    const value = parts.find((p) => p.type === type)?.value;
    if (value === undefined) throw new Error(`Intl gave no ${type} for ${timeZone}`);
    return value;
  };
  return `${part("year").padStart(4, "0")}-${part("month")}-${part("day")}`;
}

export function invoiceStatus(facts: InvoiceFacts): InvoiceStatus {
  if (facts.cancelledAt !== null) return { kind: "cancelled" };
  // A credit note (total ≤ 0) is settled by being issued.
  if (facts.total <= 0) return { kind: "paid" };
  if (facts.amountPaid > facts.total) return { kind: "overpaid", excess: facts.amountPaid - facts.total };
  if (facts.amountPaid === facts.total) return { kind: "paid" };

  const outstanding: Outstanding = {
    amountDue: Math.max(facts.total - facts.amountPaid, 0),
    partlyPaid: facts.amountPaid > 0,
    disputed: facts.disputed,
  };
  const daysLeft = daysBetween(facts.today, facts.dueDate);
  if (daysLeft > 0) return { kind: "due", days: daysLeft, ...outstanding };
  if (daysLeft === 0) return { kind: "due_today", ...outstanding };
  return { kind: "overdue", days: -daysLeft, ...outstanding };
}

export function apiStatus(facts: InvoiceFacts): ApiInvoiceStatus {
  const status = invoiceStatus(facts);
  switch (status.kind) {
    case "cancelled":
      return "cancelled";
    case "paid":
    case "overpaid":
      return "paid";
    case "overdue":
      return "overdue";
    case "due":
    case "due_today":
      return "open";
  }
}

// Swedish rules for what a reminder may add to an overdue invoice (../shared/reference/
// payment-formats.md §6): a reminder fee only when agreed and at most 60 kr; late-payment interest
// at the reference rate + 8 percentage points. Amounts are integer minor units throughout.
import { daysBetween } from "./invoice-status";
import { halfYearStart, nextHalfYearStart, referenceRateOn, type ReferenceRate } from "./reference-rates";
import type { ReminderStep } from "./reminder-policy";

/** 60 kr per written reminder: lag (1981:739) om ersättning för inkassokostnader 4 § 2 st. 1 p. */
export const STATUTORY_REMINDER_FEE_CAP_SEK = 6000;
/** Räntelagen (1975:635) 6 §: the reference rate plus eight percentage points. */
export const LATE_INTEREST_MARGIN_BP = 800;
/** Days after the invoice date from which interest runs when no due date was agreed (räntelagen 4 §). */
export const INTEREST_AFTER_INVOICE_DAYS = 30;

const DAY_MS = 86_400_000;

/** YYYY-MM-DD plus a number of calendar days. */
export function addDays(date: string, days: number): string {
  daysBetween(date, date); // validates the date
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day) + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The fee a reminder may carry, in öre. Zero unless the supplier declares it agreed with the payer
 * before the debt arose (2 §), for SEK only (the cap is in kronor), and never on the friendly
 * reminder before the due date, which is not a payment reminder. Capped at the statutory 60 kr.
 */
export function reminderFee(input: {
  step: ReminderStep;
  currency: string;
  agreed: boolean;
  /** The supplier's configured fee in minor units, or null. */
  fee: number | null;
}): number {
  if (!input.agreed || input.currency !== "SEK" || input.step === "before_due") return 0;
  if (input.fee === null || !Number.isSafeInteger(input.fee) || input.fee <= 0) return 0;
  return Math.min(input.fee, STATUTORY_REMINDER_FEE_CAP_SEK);
}

export function lateInterestRateBp(referenceRateBp: number): number {
  return referenceRateBp + LATE_INTEREST_MARGIN_BP;
}

/**
 * The later of the due date and the invoice date + 30 days: the reference's safe default, since a
 * due date printed only on the invoice is arguably not "fixed in advance" (räntelagen 3–4 §§).
 */
export function interestStartDate(invoice: { dueDate: string; issueDate: string }): string {
  const thirtyDays = addDays(invoice.issueDate, INTEREST_AFTER_INVOICE_DAYS);
  return invoice.dueDate > thirtyDays ? invoice.dueDate : thirtyDays;
}

export type InterestPeriod = { from: string; to: string; days: number; rateBp: number };

export type LateInterest =
  | { ok: true; amount: number; from: string; days: number; periods: InterestPeriod[] }
  /** The reference rate of a half-year in the period is not configured (see REFERENCE_RATES). */
  | { ok: false; reason: "rate_unknown"; halfYear: string };

/**
 * Simple interest on an actual/365 day count for the days from the start date up to `asOf`
 * (exclusive), each day at the rate of its own half-year ("den vid varje tid gällande
 * referensräntan"), rounded half up to a whole minor unit once, at the end.
 */
export function lateInterest(input: {
  /** The amount overdue, in minor units. */
  principal: number;
  dueDate: string;
  issueDate: string;
  asOf: string;
  rates: readonly ReferenceRate[];
}): LateInterest {
  const from = interestStartDate(input);
  const periods: InterestPeriod[] = [];
  let cursor = from;
  while (cursor < input.asOf) {
    const next = nextHalfYearStart(cursor);
    const to = next < input.asOf ? next : input.asOf;
    const reference = referenceRateOn(input.rates, cursor);
    if (reference === undefined) return { ok: false, reason: "rate_unknown", halfYear: halfYearStart(cursor) };
    periods.push({ from: cursor, to, days: daysBetween(cursor, to), rateBp: lateInterestRateBp(reference) });
    cursor = to;
  }
  const days = periods.reduce((sum, period) => sum + period.days, 0);
  if (input.principal <= 0 || days === 0) return { ok: true, amount: 0, from, days, periods };
  if (!Number.isSafeInteger(input.principal)) throw new RangeError("principal must be a safe integer of minor units");
  const bpDays = periods.reduce((sum, period) => sum + BigInt(period.rateBp * period.days), 0n);
  const denominator = 365n * 10_000n;
  const amount = (2n * BigInt(input.principal) * bpDays + denominator) / (2n * denominator);
  return { ok: true, amount: Number(amount), from, days, periods };
}

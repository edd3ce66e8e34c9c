// Which reminder an invoice is due for, and when reminders may go out. The same rules run as one
// SQL statement over every open invoice (app/features/reminders/db/reminders.server.ts); this module is their
// readable statement, used by the tests and the benchmark as the independent expectation.
import { daysBetween, todayIn } from "./invoice-status";
import { memoize } from "./memoize";

/** In the order they are sent; the database keeps one row per (invoice, step). */
export const REMINDER_STEPS = ["before_due", "first", "second", "final"] as const;
export type ReminderStep = (typeof REMINDER_STEPS)[number];

/**
 * Days relative to the due date per step (negative: before it). A step left out is not sent;
 * `{}` turns automatic reminders off. Stored as is in suppliers.reminder_policy (null = default).
 */
export type ReminderPolicy = Partial<Record<ReminderStep, number>>;

/** 3 days before the due date, then 5 and 15 days after it, and a final notice after 30 days. */
export const DEFAULT_REMINDER_POLICY: Readonly<ReminderPolicy> = Object.freeze({
  before_due: -3,
  first: 5,
  second: 15,
  final: 30,
});

/** Reminders go out on weekdays 08:00–17:00 in the supplier's time zone (ISO weekdays, 1 = Monday). */
export const WORKING_HOURS = Object.freeze({ weekdays: [1, 2, 3, 4, 5], start: "08:00", end: "17:00" });
export type WorkingHours = { weekdays: readonly number[]; start: string; end: string };

// A reminder weeks before the due date reads as a second invoice; a year after it, as a mistake.
const LIMITS: Record<ReminderStep, { min: number; max: number }> = {
  before_due: { min: -30, max: -1 },
  first: { min: 1, max: 365 },
  second: { min: 1, max: 365 },
  final: { min: 1, max: 365 },
};
/** The days each step may be set to (the console's form names them in its hints and errors). */
export const REMINDER_STEP_LIMITS: Readonly<Record<ReminderStep, { min: number; max: number }>> = LIMITS;

export type PolicyError = { field: string; message: string };
export type PolicyResult = { ok: true; policy: ReminderPolicy } | { ok: false; errors: PolicyError[] };

export function stepRank(step: ReminderStep): number {
  return REMINDER_STEPS.indexOf(step);
}

/** Checks a supplier's policy: known steps only, whole days within limits, in sending order. */
export function validateReminderPolicy(input: unknown): PolicyResult {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return { ok: false, errors: [{ field: "reminder_policy", message: "must be an object of step: days, e.g. {\"first\": 5}" }] };
  }
  const errors: PolicyError[] = [];
  const policy: ReminderPolicy = {};
  for (const [key, days] of Object.entries(input)) {
    const field = `reminder_policy.${key}`;
    if (!(REMINDER_STEPS as readonly string[]).includes(key)) {
      errors.push({ field, message: `unknown step; the steps are ${REMINDER_STEPS.join(", ")}` });
      continue;
    }
    const step = key as ReminderStep;
    const { min, max } = LIMITS[step];
    if (typeof days !== "number" || !Number.isInteger(days) || days < min || days > max) {
      errors.push({ field, message: `must be a whole number of days from ${min} to ${max} relative to the due date` });
      continue;
    }
    policy[step] = days;
  }
  if (errors.length > 0) return { ok: false, errors };
  const steps = policySteps(policy);
  for (let i = 1; i < steps.length; i += 1) {
    const [previous, current] = [steps[i - 1]!, steps[i]!];
    if (current.days <= previous.days) {
      errors.push({
        field: `reminder_policy.${current.step}`,
        message: `must come after ${previous.step} (${previous.days}), got ${current.days}`,
      });
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, policy };
}

/** The policy's steps in sending order. */
export function policySteps(policy: ReminderPolicy): { step: ReminderStep; days: number }[] {
  return REMINDER_STEPS.flatMap((step) => (policy[step] === undefined ? [] : [{ step, days: policy[step]! }]));
}

/**
 * The step to queue for an invoice on the supplier's local date `today`, or null. Only the latest
 * step that has come due is sent (a late start skips the earlier ones, so never two at once);
 * never a step at or before one already queued (so nothing after the final notice); and the
 * before-due reminder only while the due date is still ahead.
 */
export function dueReminderStep(
  policy: ReminderPolicy,
  invoice: { dueDate: string; today: string; queued?: readonly ReminderStep[] },
): ReminderStep | null {
  const daysPastDue = daysBetween(invoice.dueDate, invoice.today);
  const reached = policySteps(policy).filter((entry) => entry.days <= daysPastDue);
  const latest = reached.at(-1)?.step;
  if (latest === undefined) return null;
  if (latest === "before_due" && daysPastDue >= 0) return null;
  const highestQueued = Math.max(-1, ...(invoice.queued ?? []).map(stepRank));
  return stepRank(latest) > highestQueued ? latest : null;
}

const localFormat = memoize(
  (timeZone) =>
    new Intl.DateTimeFormat("en-US", {
      timeZone,
      calendar: "gregory",
      numberingSystem: "latn",
      weekday: "short",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }),
);

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/** The local date, ISO weekday and "HH:MM" at an instant in an IANA time zone. */
export function localClock(timeZone: string, now: Date): { date: string; weekday: number; time: string } {
  const parts = localFormat(timeZone).formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  return { date: todayIn(timeZone, now), weekday: WEEKDAYS.indexOf(part("weekday")) + 1, time: `${part("hour")}:${part("minute")}` };
}

/** Whether `now` falls in the working hours (start inclusive, end exclusive) of the time zone. */
export function isWithinWorkingHours(timeZone: string, now: Date, hours: WorkingHours = WORKING_HOURS): boolean {
  const { weekday, time } = localClock(timeZone, now);
  return hours.weekdays.includes(weekday) && time >= hours.start && time < hours.end;
}

const QUARTER_HOUR_MS = 15 * 60 * 1000;

/**
 * The first quarter hour at or after `now` within the working hours (working hours start on a
 * quarter hour), for a reminder whose job ran after hours. Null if there is none within a week,
 * i.e. the hours name no weekday at all.
 */
export function nextWorkingTime(timeZone: string, now: Date, hours: WorkingHours = WORKING_HOURS): Date | null {
  if (isWithinWorkingHours(timeZone, now, hours)) return now;
  let candidate = Math.ceil(now.getTime() / QUARTER_HOUR_MS) * QUARTER_HOUR_MS;
  for (let step = 0; step < 8 * 24 * 4; step += 1, candidate += QUARTER_HOUR_MS) {
    if (isWithinWorkingHours(timeZone, new Date(candidate), hours)) return new Date(candidate);
  }
  return null;
}

// When a contact-update campaign's emails go out: the request spread out to a steady rate, one
// follow-up halfway to the deadline and one near it. Pure: the services pass the clock in.
import { memoize } from "./memoize";
import { instantOfWallTime } from "./time-zone";

const DAY_MS = 24 * 60 * 60 * 1000;
const FINAL_NOTICE_MS = 3 * DAY_MS;

/** The instant a calendar date begins in a time zone (DST-safe). */
export function startOfLocalDay(date: string, timeZone: string): Date {
  return instantOfWallTime(Date.parse(`${date}T00:00:00Z`), timeZone);
}

/**
 * A date-only deadline means "by the end of that day" in the supplier's time zone (the start of
 * the next one); a start date means its beginning. Instants with an offset stand as given.
 */
export function campaignInstant(value: string, timeZone: string, role: "deadline" | "start"): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(value);
  if (role === "start") return startOfLocalDay(value, timeZone);
  const next = new Date(Date.parse(`${value}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
  return startOfLocalDay(next, timeZone);
}

/** The shortest and longest campaign the API accepts. */
export const MIN_CAMPAIGN_MS = DAY_MS;
export const MAX_CAMPAIGN_MS = 366 * DAY_MS;

/**
 * The follow-ups of a campaign that runs from `start` to `deadline`: halfway, and three days
 * before the deadline (a quarter of the campaign before it, for campaigns under 12 days).
 */
export function followUpTimes(start: Date, deadline: Date): { halfway: Date; final: Date } {
  const length = deadline.getTime() - start.getTime();
  return {
    halfway: new Date(start.getTime() + length / 2),
    final: new Date(deadline.getTime() - Math.min(FINAL_NOTICE_MS, length / 4)),
  };
}

/** The `index`-th email (from 0) of a batch starting at `base`, at `perMinute` emails a minute. */
export function emailSlot(base: Date, index: number, perMinute: number): Date {
  return new Date(base.getTime() + Math.floor((index * 60_000) / perMinute));
}

const midnightClock = memoize((timeZone) => new Intl.DateTimeFormat("en-GB", { timeStyle: "medium", hourCycle: "h23", timeZone }));

/**
 * How people read a deadline in the supplier's time zone: one at local midnight is the end of the
 * day before (the API's "deadline": "2027-03-15" is "by 15 March", not "by 16 March at 00:00").
 * `day` is an instant within the day to show.
 */
export function deadlineReading(deadline: Date, timeZone: string): { endOfDay: boolean; day: Date } {
  const endOfDay = midnightClock(timeZone).format(deadline) === "00:00:00";
  return { endOfDay, day: endOfDay ? new Date(deadline.getTime() - 1) : deadline };
}

// Wall-clock time in an IANA time zone ↔ instants, with Intl only (no tz database of our own).
import { memoize } from "./memoize";

/** One formatter per time zone: building one costs far more than using it (bank files read thousands of times). */
const wallClock = memoize((timeZone) => new Intl.DateTimeFormat("en-US", {
  timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
}));

/** The UTC offset (ms) of a time zone at an instant. */
function offsetAt(timeZone: string, at: number): number {
  const parts = wallClock(timeZone).formatToParts(new Date(at));
  const value = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((part) => part.type === type)?.value);
  const local = Date.UTC(value("year"), value("month") - 1, value("day"), value("hour"), value("minute"), value("second"));
  return local - Math.floor(at / 1000) * 1000;
}

/**
 * The instant at which a time zone's clocks show `wall` (given as milliseconds of a UTC date with
 * that wall-clock reading). Two passes find the offset in force then, also next to a DST switch.
 */
export function instantOfWallTime(wall: number, timeZone: string): Date {
  const first = wall - offsetAt(timeZone, wall);
  return new Date(wall - offsetAt(timeZone, first));
}

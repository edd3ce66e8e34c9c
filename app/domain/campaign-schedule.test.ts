import { describe, expect, it } from "vitest";
import { campaignInstant, emailSlot, followUpTimes, startOfLocalDay } from "./campaign-schedule";

describe("campaign schedule", () => {
  it.each([
    ["2026-01-15", "Europe/Stockholm", "2026-01-14T23:00:00.000Z"],
    ["2026-07-15", "Europe/Stockholm", "2026-07-14T22:00:00.000Z"],
    ["2026-03-29", "Europe/Stockholm", "2026-03-28T23:00:00.000Z"], // the day summer time starts
    ["2026-10-25", "Europe/Stockholm", "2026-10-24T22:00:00.000Z"], // the day it ends
    ["2026-07-15", "UTC", "2026-07-15T00:00:00.000Z"],
    ["2026-07-15", "America/New_York", "2026-07-15T04:00:00.000Z"],
  ])("%s begins in %s at %s", (date, zone, expected) => {
    expect(startOfLocalDay(date, zone).toISOString()).toBe(expected);
  });

  it("a date-only deadline is the end of that day in the supplier's zone; a start date its beginning", () => {
    expect(campaignInstant("2026-12-31", "Europe/Stockholm", "deadline").toISOString()).toBe("2026-12-31T23:00:00.000Z");
    expect(campaignInstant("2026-12-01", "Europe/Stockholm", "start").toISOString()).toBe("2026-11-30T23:00:00.000Z");
    expect(campaignInstant("2026-12-31T16:00:00+01:00", "Europe/Stockholm", "deadline").toISOString()).toBe("2026-12-31T15:00:00.000Z");
  });

  it("follows up halfway and three days before the deadline, or a quarter before it in short campaigns", () => {
    const start = new Date("2026-01-01T00:00:00Z");
    expect(followUpTimes(start, new Date("2026-01-31T00:00:00Z"))).toEqual({
      halfway: new Date("2026-01-16T00:00:00Z"),
      final: new Date("2026-01-28T00:00:00Z"),
    });
    expect(followUpTimes(start, new Date("2026-01-05T00:00:00Z"))).toEqual({
      halfway: new Date("2026-01-03T00:00:00Z"),
      final: new Date("2026-01-04T00:00:00Z"),
    });
  });

  it("spreads emails out to the configured rate", () => {
    const base = new Date("2026-01-01T08:00:00Z");
    expect([0, 1, 59, 60, 61].map((index) => emailSlot(base, index, 60).toISOString())).toEqual([
      "2026-01-01T08:00:00.000Z", "2026-01-01T08:00:01.000Z", "2026-01-01T08:00:59.000Z", "2026-01-01T08:01:00.000Z", "2026-01-01T08:01:01.000Z",
    ]);
    expect(emailSlot(base, 1000, 1_000_000).getTime() - base.getTime()).toBe(60);
  });
});

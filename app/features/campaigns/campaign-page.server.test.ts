import { describe, expect, it } from "vitest";
import { deadlineIn } from "./campaign-page.server";

describe("a campaign's deadline as people read it", () => {
  it.each<[string, string, string, boolean]>([
    // The API's "deadline": "2027-03-15" is midnight after the 15th in Stockholm: "by 15 March".
    ["2027-03-15T23:00:00Z", "Europe/Stockholm", "2027-03-15", true],
    ["2027-06-30T22:00:00Z", "Europe/Stockholm", "2027-06-30", true], // summer time
    ["2027-03-16T03:30:00Z", "Europe/Stockholm", "2027-03-16", false],
    ["2027-03-16T03:30:00Z", "America/New_York", "2027-03-15", false],
    ["2027-03-16T04:00:00Z", "America/New_York", "2027-03-15", true],
  ])("%s in %s is %s (end of day: %s)", (at, timeZone, date, endOfDay) => {
    expect(deadlineIn(timeZone, new Date(at))).toEqual({ at: new Date(at).toISOString(), date, endOfDay });
  });
});

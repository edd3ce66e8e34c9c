import { describe, expect, it } from "vitest";
import {
  DEFAULT_REMINDER_POLICY, dueReminderStep, isWithinWorkingHours, localClock, nextWorkingTime, policySteps, validateReminderPolicy,
  type ReminderPolicy, type ReminderStep,
} from "./reminder-policy";
import { addDays } from "./late-payment";

const DUE = "2026-04-15";

describe("dueReminderStep with the default policy (−3, +5, +15, +30)", () => {
  it.each([
    [-10, [], null],
    [-4, [], null],
    [-3, [], "before_due"],
    [-1, [], "before_due"], // a before-due reminder missed over a weekend still goes out before the due date
    [0, [], null], // …but not on or after it: "due in 3 days" would be wrong
    [4, [], null],
    [5, [], "first"],
    [14, [], "first"],
    [15, [], "second"],
    [29, [], "second"],
    [30, [], "final"],
    [400, [], "final"],
    [-3, ["before_due"], null],
    [5, ["before_due"], "first"],
    [6, ["before_due", "first"], null],
    [15, ["before_due", "first"], "second"],
    [30, ["before_due", "first", "second"], "final"],
    [40, ["before_due", "first", "second", "final"], null], // nothing after the final notice
    [20, [], "second"], // late start: only the latest due step, never first and second at once
    [20, ["second"], null],
    [31, ["final"], null],
    [16, ["final"], null], // never a step earlier than one already queued
  ] as [number, ReminderStep[], ReminderStep | null][])("day %i, queued %j → %s", (day, queued, expected) => {
    expect(dueReminderStep(DEFAULT_REMINDER_POLICY, { dueDate: DUE, today: addDays(DUE, day), queued })).toBe(expected);
  });

  it("counts calendar days across the DST change and month ends", () => {
    // Due 2026-03-26; +5 is 2026-03-31 although the clocks changed on 2026-03-29.
    expect(dueReminderStep(DEFAULT_REMINDER_POLICY, { dueDate: "2026-03-26", today: "2026-03-30" })).toBeNull();
    expect(dueReminderStep(DEFAULT_REMINDER_POLICY, { dueDate: "2026-03-26", today: "2026-03-31" })).toBe("first");
    expect(dueReminderStep(DEFAULT_REMINDER_POLICY, { dueDate: "2024-02-27", today: "2024-03-03" })).toBe("first"); // leap day
  });
});

describe("custom policies", () => {
  it("sends only the steps it lists", () => {
    const policy: ReminderPolicy = { first: 10, final: 20 };
    expect(dueReminderStep(policy, { dueDate: DUE, today: addDays(DUE, -3) })).toBeNull();
    expect(dueReminderStep(policy, { dueDate: DUE, today: addDays(DUE, 9) })).toBeNull();
    expect(dueReminderStep(policy, { dueDate: DUE, today: addDays(DUE, 10) })).toBe("first");
    expect(dueReminderStep(policy, { dueDate: DUE, today: addDays(DUE, 25), queued: ["first"] })).toBe("final");
  });

  it("with only a before-due step, nothing after the due date", () => {
    expect(dueReminderStep({ before_due: -7 }, { dueDate: DUE, today: addDays(DUE, -7) })).toBe("before_due");
    expect(dueReminderStep({ before_due: -7 }, { dueDate: DUE, today: addDays(DUE, 3) })).toBeNull();
  });

  it("an empty policy sends nothing", () => {
    expect(dueReminderStep({}, { dueDate: DUE, today: addDays(DUE, 100) })).toBeNull();
  });
});

describe("validateReminderPolicy", () => {
  it("accepts the default and partial policies, in sending order", () => {
    expect(validateReminderPolicy(DEFAULT_REMINDER_POLICY)).toEqual({ ok: true, policy: DEFAULT_REMINDER_POLICY });
    expect(validateReminderPolicy({ final: 45, first: 7 })).toEqual({ ok: true, policy: { final: 45, first: 7 } });
    expect(policySteps({ final: 45, first: 7 })).toEqual([{ step: "first", days: 7 }, { step: "final", days: 45 }]);
    expect(validateReminderPolicy({})).toEqual({ ok: true, policy: {} });
  });

  it.each([
    [null, "reminder_policy", "must be an object"],
    [[5, 15], "reminder_policy", "must be an object"],
    [{ third: 40 }, "reminder_policy.third", "unknown step"],
    [{ first: 5.5 }, "reminder_policy.first", "whole number of days from 1 to 365"],
    [{ first: "5" }, "reminder_policy.first", "whole number"],
    [{ first: 0 }, "reminder_policy.first", "from 1 to 365"],
    [{ final: 366 }, "reminder_policy.final", "from 1 to 365"],
    [{ before_due: 0 }, "reminder_policy.before_due", "from -30 to -1"],
    [{ before_due: -31 }, "reminder_policy.before_due", "from -30 to -1"],
    [{ first: 15, second: 5 }, "reminder_policy.second", "must come after first (15), got 5"],
    [{ first: 10, second: 10 }, "reminder_policy.second", "must come after first (10)"],
    [{ second: 20, final: 20 }, "reminder_policy.final", "must come after second (20)"],
  ])("rejects %j at %s", (input, field, message) => {
    const result = validateReminderPolicy(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]!.field).toBe(field);
    expect(result.errors[0]!.message).toContain(message);
  });
});

describe("working hours: weekdays 08:00–17:00 local, DST included", () => {
  it.each([
    // Stockholm, winter (UTC+1): Friday 2026-03-27.
    ["Europe/Stockholm", "2026-03-27T06:59:59Z", false, "07:59"],
    ["Europe/Stockholm", "2026-03-27T07:00:00Z", true, "08:00"],
    ["Europe/Stockholm", "2026-03-27T15:59:59Z", true, "16:59"],
    ["Europe/Stockholm", "2026-03-27T16:00:00Z", false, "17:00"],
    // Summer time from Sunday 2026-03-29 (UTC+2): the same UTC instants are an hour later locally.
    ["Europe/Stockholm", "2026-03-30T06:00:00Z", true, "08:00"],
    ["Europe/Stockholm", "2026-03-30T05:59:59Z", false, "07:59"],
    ["Europe/Stockholm", "2026-03-30T15:00:00Z", false, "17:00"],
    ["Europe/Stockholm", "2026-03-30T14:59:00Z", true, "16:59"],
    // Back to UTC+1 on Sunday 2026-10-25: Monday 08:00 is 07:00Z again.
    ["Europe/Stockholm", "2026-10-26T06:30:00Z", false, "07:30"],
    ["Europe/Stockholm", "2026-10-26T07:00:00Z", true, "08:00"],
    // Weekends are out all day; Saturday 10:00 and Sunday 12:00.
    ["Europe/Stockholm", "2026-03-28T09:00:00Z", false, "10:00"],
    ["Europe/Stockholm", "2026-03-29T10:00:00Z", false, "12:00"],
    // Friday 23:30Z is already Saturday in Stockholm; Sunday 23:30Z is Monday 01:30.
    ["Europe/Stockholm", "2026-04-03T23:30:00Z", false, "01:30"],
    // New York changes clocks on 2026-03-08, three weeks before Europe.
    ["America/New_York", "2026-03-06T13:00:00Z", true, "08:00"], // Friday, EST (UTC−5)
    ["America/New_York", "2026-03-09T12:00:00Z", true, "08:00"], // Monday, EDT (UTC−4)
    ["America/New_York", "2026-03-09T11:59:00Z", false, "07:59"],
    ["America/New_York", "2026-03-09T21:00:00Z", false, "17:00"],
    ["America/New_York", "2026-03-09T08:00:00Z", false, "04:00"], // Stockholm's 09:00
  ])("%s at %s → %s (local %s)", (timeZone, instant, expected, localTime) => {
    const now = new Date(instant);
    expect(localClock(timeZone, now).time).toBe(localTime);
    expect(isWithinWorkingHours(timeZone, now)).toBe(expected);
  });

  it("gives the local weekday and date", () => {
    expect(localClock("Europe/Stockholm", new Date("2026-04-03T23:30:00Z"))).toEqual({ date: "2026-04-04", weekday: 6, time: "01:30" });
    expect(localClock("America/New_York", new Date("2026-04-04T02:00:00Z"))).toEqual({ date: "2026-04-03", weekday: 5, time: "22:00" });
  });
});

describe("nextWorkingTime", () => {
  it.each([
    ["Europe/Stockholm", "2026-03-30T07:00:00Z", "2026-03-30T07:00:00.000Z"], // Monday 09:00: now
    ["Europe/Stockholm", "2026-03-30T15:30:00Z", "2026-03-31T06:00:00.000Z"], // Monday 17:30 → Tuesday 08:00
    ["Europe/Stockholm", "2026-03-27T16:05:00Z", "2026-03-30T06:00:00.000Z"], // Friday 17:05 → Monday 08:00, summer time
    ["Europe/Stockholm", "2026-03-30T05:47:00Z", "2026-03-30T06:00:00.000Z"], // Monday 07:47 → 08:00
    ["America/New_York", "2026-03-09T11:59:00Z", "2026-03-09T12:00:00.000Z"], // 07:59 EDT → 08:00
  ])("%s at %s → %s", (timeZone, instant, expected) => {
    expect(nextWorkingTime(timeZone, new Date(instant))?.toISOString()).toBe(expected);
  });

  it("is null when the working hours name no weekday", () => {
    expect(nextWorkingTime("Europe/Stockholm", new Date("2026-03-30T15:30:00Z"), { weekdays: [], start: "08:00", end: "17:00" })).toBeNull();
  });
});

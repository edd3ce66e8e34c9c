import { describe, expect, it } from "vitest";
import {
  addDays, interestStartDate, lateInterest, lateInterestRateBp, reminderFee, STATUTORY_REMINDER_FEE_CAP_SEK,
} from "./late-payment";
import { KNOWN_REFERENCE_RATES, type ReferenceRate } from "./reference-rates";

describe("reminderFee", () => {
  const agreed = { step: "first" as const, currency: "SEK", agreed: true };

  it.each([
    ["agreed 60 kr", { ...agreed, fee: 6000 }, 6000],
    ["agreed 25 kr", { ...agreed, fee: 2500 }, 2500],
    ["agreed 75 kr is capped at the statutory 60 kr", { ...agreed, fee: 7500 }, 6000],
    ["on the final notice too", { ...agreed, step: "final" as const, fee: 6000 }, 6000],
    ["not agreed with the payer", { ...agreed, agreed: false, fee: 6000 }, 0],
    ["not in SEK", { ...agreed, currency: "EUR", fee: 500 }, 0],
    ["before the due date (not a payment reminder)", { ...agreed, step: "before_due" as const, fee: 6000 }, 0],
    ["agreed but no amount set", { ...agreed, fee: null }, 0],
    ["a negative amount", { ...agreed, fee: -100 }, 0],
    ["a fractional amount", { ...agreed, fee: 12.5 }, 0],
  ])("%s", (_label, input, expected) => {
    expect(reminderFee(input)).toBe(expected);
  });

  it("the cap is 60 kronor in öre", () => {
    expect(STATUTORY_REMINDER_FEE_CAP_SEK).toBe(60_00);
  });
});

describe("late-payment interest rate = reference rate + 8 percentage points", () => {
  it.each([
    [350, 1150], // H2 2023: 3.50 % → 11.50 %
    [400, 1200], // H1 2024: 4.00 % → 12.00 %
    [-50, 750],
  ])("%i bp → %i bp", (reference, expected) => {
    expect(lateInterestRateBp(reference)).toBe(expected);
  });
});

describe("interestStartDate: the later of the due date and the invoice date + 30 days", () => {
  it.each([
    ["2024-01-15", "2024-02-14", "2024-02-14"], // 30-day terms: the same day
    ["2024-01-15", "2024-03-15", "2024-03-15"], // longer terms: the due date
    ["2024-01-01", "2024-01-10", "2024-01-31"], // 9-day terms: 30 days after the invoice
    ["2024-01-31", "2024-02-05", "2024-03-01"], // leap year
    ["2025-01-31", "2025-02-05", "2025-03-02"],
  ])("invoice %s, due %s → %s", (issueDate, dueDate, expected) => {
    expect(interestStartDate({ issueDate, dueDate })).toBe(expected);
  });
});

describe("lateInterest (simple, actual/365, rate per half-year)", () => {
  const rates = KNOWN_REFERENCE_RATES;
  const tenThousand = 1_000_000; // 10 000 kr in öre

  it("10 000 kr at 12.00 % for 30 days is 98.63 kr (H1 2024)", () => {
    const result = lateInterest({ principal: tenThousand, issueDate: "2024-01-15", dueDate: "2024-02-14", asOf: "2024-03-15", rates });
    expect(result).toEqual({
      ok: true,
      amount: 9863,
      from: "2024-02-14",
      days: 30,
      periods: [{ from: "2024-02-14", to: "2024-03-15", days: 30, rateBp: 1200 }],
    });
  });

  it("10 000 kr at 11.50 % for 30 days is 94.52 kr (H2 2023)", () => {
    const result = lateInterest({ principal: tenThousand, issueDate: "2023-08-01", dueDate: "2023-08-31", asOf: "2023-09-30", rates });
    expect(result.ok && result.amount).toBe(9452);
  });

  it("each day at the rate of its half-year, rounded once", () => {
    // 15 days of December 2023 at 11.50 % and 15 days of January 2024 at 12.00 %: 96.575… → 96.58 kr.
    const result = lateInterest({ principal: tenThousand, issueDate: "2023-11-17", dueDate: "2023-12-17", asOf: "2024-01-16", rates });
    expect(result).toMatchObject({
      ok: true,
      amount: 9658,
      days: 30,
      periods: [
        { from: "2023-12-17", to: "2024-01-01", days: 15, rateBp: 1150 },
        { from: "2024-01-01", to: "2024-01-16", days: 15, rateBp: 1200 },
      ],
    });
  });

  it("runs from 30 days after the invoice date when the terms were shorter", () => {
    const result = lateInterest({ principal: tenThousand, issueDate: "2024-01-01", dueDate: "2024-01-10", asOf: "2024-03-01", rates });
    expect(result).toMatchObject({ ok: true, from: "2024-01-31", days: 30, amount: 9863 });
  });

  it("is nothing before or on the start date, and nothing on a credit", () => {
    expect(lateInterest({ principal: tenThousand, issueDate: "2024-01-15", dueDate: "2024-02-14", asOf: "2024-02-14", rates }))
      .toMatchObject({ ok: true, amount: 0, days: 0 });
    expect(lateInterest({ principal: tenThousand, issueDate: "2024-01-15", dueDate: "2024-02-14", asOf: "2024-02-01", rates }))
      .toMatchObject({ ok: true, amount: 0, days: 0 });
    expect(lateInterest({ principal: -5000, issueDate: "2024-01-15", dueDate: "2024-02-14", asOf: "2024-03-15", rates }))
      .toMatchObject({ ok: true, amount: 0 });
  });

  it("a half-year without a configured rate is reported, never filled with a stale rate", () => {
    const result = lateInterest({ principal: tenThousand, issueDate: "2024-05-01", dueDate: "2024-06-20", asOf: "2024-08-01", rates });
    expect(result).toEqual({ ok: false, reason: "rate_unknown", halfYear: "2024-07-01" });
    const configured: ReferenceRate[] = [...rates, { from: "2024-07-01", rateBp: 350 }];
    // 11 days at 12.00 % and 31 days at 11.50 %: 10 000 × (0.12 × 11 + 0.115 × 31) / 365 = 133.84 kr.
    expect(lateInterest({ principal: tenThousand, issueDate: "2024-05-01", dueDate: "2024-06-20", asOf: "2024-08-01", rates: configured }))
      .toMatchObject({ ok: true, days: 42, amount: 13384 });
  });

  it("stays exact for large amounts", () => {
    // 100 million kr at 12 % for 365 days is exactly 12 million kr.
    const result = lateInterest({ principal: 10_000_000_000, issueDate: "2023-12-01", dueDate: "2024-01-01", asOf: "2024-12-31", rates: [...rates, { from: "2024-07-01", rateBp: 400 }] });
    expect(result).toMatchObject({ ok: true, days: 365, amount: 1_200_000_000 });
  });
});

describe("addDays", () => {
  it.each([
    ["2026-03-28", 2, "2026-03-30"],
    ["2026-12-31", 1, "2027-01-01"],
    ["2024-02-28", 1, "2024-02-29"],
    ["2026-04-15", -3, "2026-04-12"],
  ])("%s + %i = %s", (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });

  it("refuses a non-date", () => {
    expect(() => addDays("2026-02-30", 1)).toThrow(RangeError);
  });
});

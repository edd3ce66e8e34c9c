import { describe, expect, it } from "vitest";
import {
  halfYearStart, KNOWN_REFERENCE_RATES, mergeReferenceRates, nextHalfYearStart, parseReferenceRates, referenceRateOn,
} from "./reference-rates";
import { ConfigError, loadConfig } from "~/platform/config.server";

describe("the committed table", () => {
  it("holds only the half-years confirmed in the reference: H2 2023 3.50 %, H1 2024 4.00 %", () => {
    expect(KNOWN_REFERENCE_RATES).toEqual([
      { from: "2023-07-01", rateBp: 350 },
      { from: "2024-01-01", rateBp: 400 },
    ]);
  });

  it.each([
    ["2023-07-01", 350],
    ["2023-12-31", 350],
    ["2024-01-01", 400],
    ["2024-06-30", 400],
    ["2024-07-01", undefined], // not confirmed: unknown, not 4.00 carried over
    ["2026-03-01", undefined],
    ["2023-06-30", undefined],
  ])("on %s → %s", (date, expected) => {
    expect(referenceRateOn(KNOWN_REFERENCE_RATES, date)).toBe(expected);
  });
});

describe("half-years", () => {
  it.each([
    ["2026-01-01", "2026-01-01", "2026-07-01"],
    ["2026-06-30", "2026-01-01", "2026-07-01"],
    ["2026-07-01", "2026-07-01", "2027-01-01"],
    ["2026-12-31", "2026-07-01", "2027-01-01"],
  ])("%s is in the half-year from %s; the next starts %s", (date, start, next) => {
    expect(halfYearStart(date)).toBe(start);
    expect(nextHalfYearStart(date)).toBe(next);
  });
});

describe("parseReferenceRates (REFERENCE_RATES)", () => {
  it("reads half-year starts and percentages into basis points, sorted", () => {
    expect(parseReferenceRates("2026-07-01:1.75, 2026-01-01:2.00,2025-07-01:2,2016-01-01:-0.5")).toEqual([
      { from: "2016-01-01", rateBp: -50 },
      { from: "2025-07-01", rateBp: 200 },
      { from: "2026-01-01", rateBp: 200 },
      { from: "2026-07-01", rateBp: 175 },
    ]);
    expect(parseReferenceRates("")).toEqual([]);
    expect(parseReferenceRates("2026-01-01:-0.00")).toEqual([{ from: "2026-01-01", rateBp: 0 }]);
  });

  it.each([
    ["2026-02-01:2.00", "half-year starts on 01-01 or 07-01"],
    ["2026-01-01", "expected <half-year start>:<percent>"],
    ["2026-01-01:2.00:x", "expected <half-year start>:<percent>"],
    ["2026-01-01:2,5", "expected <half-year start>:<percent>"], // a decimal comma splits the list
    ["2026-01-01:2.005", "must be a percentage"],
    ["2026-01-01:two", "must be a percentage"],
    ["2026-01-01:45", "between -5.00 and 30.00"],
    ["2026-01-01:2.00,2026-01-01:2.50", "2026-01-01 is given twice"],
  ])("rejects %j", (text, message) => {
    expect(() => parseReferenceRates(text)).toThrow(message);
  });

  it("configured rates extend the committed table and win for their half-year", () => {
    const merged = mergeReferenceRates(KNOWN_REFERENCE_RATES, parseReferenceRates("2024-01-01:4.25,2026-01-01:2.00"));
    expect(merged).toEqual([
      { from: "2023-07-01", rateBp: 350 },
      { from: "2024-01-01", rateBp: 425 },
      { from: "2026-01-01", rateBp: 200 },
    ]);
    expect(referenceRateOn(merged, "2026-05-05")).toBe(200);
    expect(referenceRateOn(merged, "2025-05-05")).toBeUndefined();
  });
});

describe("configuration", () => {
  const base = { NODE_ENV: "test", LINK_SIGNING_KEYS: "t1:0123456789abcdef0123456789abcdef-test-key" };

  it("uses the committed table plus REFERENCE_RATES", () => {
    expect(loadConfig(base).referenceRates).toEqual(KNOWN_REFERENCE_RATES);
    expect(loadConfig({ ...base, REFERENCE_RATES: "2026-01-01:2.00" }).referenceRates.at(-1)).toEqual({ from: "2026-01-01", rateBp: 200 });
  });

  it("names a bad REFERENCE_RATES entry", () => {
    expect(() => loadConfig({ ...base, REFERENCE_RATES: "2026-03-01:2.00" })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, REFERENCE_RATES: "2026-03-01:2.00" })).toThrow(/REFERENCE_RATES: "2026-03-01:2.00"/);
  });
});

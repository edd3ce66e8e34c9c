import { describe, expect, it } from "vitest";
import { formatAmount } from "./format";

describe("formatAmount", () => {
  it.each([
    [1229700, "sv", "12\u00a0297,00\u00a0kr"],
    [1229700, "en", "SEK\u00a012,297.00"],
    // A real minus sign in both languages, never a hyphen.
    [-50000, "sv", "\u2212500,00\u00a0kr"],
    [-50000, "en", "\u2212SEK\u00a0500.00"],
  ] as const)("%i in %s → %j", (minor, locale, expected) => {
    expect(formatAmount(minor, "SEK", locale)).toBe(expected);
  });
});

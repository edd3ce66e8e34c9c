import { describe, expect, it } from "vitest";
import { groupVatByRate } from "./vat-groups";

describe("groupVatByRate", () => {
  it.each([
    { lines: [], groups: [] },
    {
      lines: [{ vatRate: "25.00", net: 10000, vat: 2500 }],
      groups: [{ rate: "25.00", net: 10000, vat: 2500 }],
    },
    {
      lines: [
        { vatRate: "6.00", net: 1000, vat: 60 },
        { vatRate: "25.00", net: 2000, vat: 500 },
        { vatRate: "6.00", net: -500, vat: -30 },
        { vatRate: "12.00", net: 100, vat: 12 },
      ],
      groups: [
        { rate: "25.00", net: 2000, vat: 500 },
        { rate: "12.00", net: 100, vat: 12 },
        { rate: "6.00", net: 500, vat: 30 },
      ],
    },
  ])("sums each rate, highest first ($lines.length lines)", ({ lines, groups }) => {
    expect(groupVatByRate(lines)).toEqual(groups);
  });
});

import { describe, expect, it } from "vitest";
import { mergePaymentFacts, settledAmount, type PaymentFacts, type PaymentFactsUpdate } from "./payment-state";

const pending: PaymentFacts = { status: "pending", amount: 10_000, amountRefunded: 0, chargeback: null };

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, index) =>
    permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]),
  );
}

describe("mergePaymentFacts", () => {
  it.each([
    ["pending", "succeeded", "succeeded"],
    ["succeeded", "pending", "succeeded"],
    ["succeeded", "failed", "succeeded"],
    ["failed", "succeeded", "succeeded"],
    ["failed", "cancelled", "cancelled"],
    ["cancelled", "failed", "cancelled"],
    ["pending", "failed", "failed"],
  ] as const)("%s then %s → %s", (from, to, expected) => {
    expect(mergePaymentFacts({ ...pending, status: from }, { status: to }).status).toBe(expected);
  });

  it("keeps the highest cumulative refund and never more than the amount", () => {
    const paid = { ...pending, status: "succeeded" as const };
    expect(mergePaymentFacts({ ...paid, amountRefunded: 4_000 }, { amountRefunded: 2_500 }).amountRefunded).toBe(4_000);
    expect(mergePaymentFacts(paid, { amountRefunded: 25_000 }).amountRefunded).toBe(10_000);
  });

  it("moves a chargeback forward only: open → lost → won (reversed)", () => {
    const paid = { ...pending, status: "succeeded" as const };
    expect(mergePaymentFacts({ ...paid, chargeback: "lost" }, { chargeback: "open" }).chargeback).toBe("lost");
    expect(mergePaymentFacts({ ...paid, chargeback: "lost" }, { chargeback: "won" }).chargeback).toBe("won");
  });

  it("ends in the same state for every order of a four-event sequence", () => {
    const events: PaymentFactsUpdate[] = [
      { status: "failed" },
      { status: "succeeded" },
      { amountRefunded: 3_000 },
      { amountRefunded: 7_000, status: "succeeded" },
    ];
    const finals = permutations(events).map((order) => order.reduce(mergePaymentFacts, pending));
    expect(finals).toHaveLength(24);
    for (const final of finals) expect(final).toEqual({ status: "succeeded", amount: 10_000, amountRefunded: 7_000, chargeback: null });
  });
});

describe("settledAmount", () => {
  it.each([
    [{ status: "pending" }, 0],
    [{ status: "failed" }, 0],
    [{ status: "succeeded" }, 10_000],
    [{ status: "succeeded", amountRefunded: 2_500 }, 7_500],
    [{ status: "succeeded", chargeback: "open" }, 0],
    [{ status: "succeeded", chargeback: "lost" }, 0],
    [{ status: "succeeded", chargeback: "won" }, 10_000],
  ] as const)("%o counts %i", (facts, expected) => {
    expect(settledAmount({ ...pending, ...facts })).toBe(expected);
  });
});

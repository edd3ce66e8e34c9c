import { describe, expect, it } from "vitest";
import { badgeText, disputeInboxKind, isInboxKind, isInboxState, isInboxStateFilter, NEW_COUNT_CAP } from "./inbox";

describe("badgeText", () => {
  it.each([
    [1, "1"],
    [42, "42"],
    [NEW_COUNT_CAP - 1, "99"],
    [NEW_COUNT_CAP, "99+"],
  ])("%i new → %s", (count, text) => expect(badgeText(count)).toBe(text));
});

describe("the words of a query string", () => {
  it.each([
    ["new", true, true],
    ["in_progress", true, true],
    ["waiting", true, true],
    ["done", true, true],
    ["open", false, true],
    ["all", false, true],
    ["archived", false, false],
    ["", false, false],
  ])("%j: a state %s, a filter %s", (value, state, filter) => {
    expect(isInboxState(value)).toBe(state);
    expect(isInboxStateFilter(value)).toBe(filter);
  });

  it.each([
    ["dispute", true],
    ["failing_address", true],
    ["bank_payment", false],
    [null, false],
  ])("%j is a kind: %s", (value, kind) => expect(isInboxKind(value)).toBe(kind));
});

describe("disputeInboxKind", () => {
  it.each([
    ["invoice", "dispute"],
    ["delivery", "delivery_problem"],
  ] as const)("a dispute about the %s → %s", (kind, inbox) => expect(disputeInboxKind(kind)).toBe(inbox));
});

import { describe, it, expect } from "vitest";
import {
  apiStatus,
  daysBetween,
  invoiceStatus,
  todayIn,
  type ApiInvoiceStatus,
  type InvoiceFacts,
  type InvoiceStatus,
} from "./invoice-status";

const base: InvoiceFacts = {
  dueDate: "2026-04-30",
  today: "2026-04-10",
  total: 125000,
  amountPaid: 0,
  cancelledAt: null,
  disputed: false,
};

describe("daysBetween", () => {
  it.each([
    ["2026-04-10", "2026-04-30", 20],
    ["2026-04-30", "2026-04-10", -20],
    ["2026-04-10", "2026-04-10", 0],
    ["2026-03-28", "2026-03-30", 2], // across the spring DST change in Europe
    ["2026-10-24", "2026-10-26", 2], // across the autumn DST change
    ["2024-02-28", "2024-03-01", 2], // leap year
    ["2026-02-28", "2026-03-01", 1],
    ["2025-12-31", "2026-01-01", 1],
    ["1999-12-31", "2100-01-01", 36526],
  ])("%s → %s = %i", (a, b, expected) => {
    expect(daysBetween(a, b)).toBe(expected);
  });

  it.each(["2026-02-30", "2026-13-01", "2026-00-10", "2026-4-1", "2026-04-10T00:00:00Z", "", "20260410"])(
    "rejects %j",
    (bad) => {
      expect(() => daysBetween(bad, "2026-04-10")).toThrow(RangeError);
      expect(() => daysBetween("2026-04-10", bad)).toThrow(RangeError);
    },
  );
});

describe("todayIn", () => {
  it.each([
    // Stockholm is UTC+1 until 2026-03-29 01:00Z, UTC+2 after.
    ["Europe/Stockholm", "2026-03-28T22:59:59Z", "2026-03-28"],
    ["Europe/Stockholm", "2026-03-28T23:30:00Z", "2026-03-29"],
    ["Europe/Stockholm", "2026-03-29T21:59:59Z", "2026-03-29"],
    ["Europe/Stockholm", "2026-03-29T22:00:00Z", "2026-03-30"],
    // Back to UTC+1 on 2026-10-25 01:00Z.
    ["Europe/Stockholm", "2026-10-24T21:59:59Z", "2026-10-24"],
    ["Europe/Stockholm", "2026-10-24T22:00:00Z", "2026-10-25"],
    ["Europe/Stockholm", "2026-10-25T22:59:59Z", "2026-10-25"],
    ["Europe/Stockholm", "2026-10-25T23:00:00Z", "2026-10-26"],
    ["Europe/Stockholm", "2026-12-31T23:00:00Z", "2027-01-01"],
    ["UTC", "2026-12-31T23:59:59Z", "2026-12-31"],
    ["America/New_York", "2026-03-01T04:59:59Z", "2026-02-28"],
    ["Pacific/Kiritimati", "2026-06-30T10:00:00Z", "2026-07-01"], // UTC+14
    ["Pacific/Pago_Pago", "2026-07-01T10:59:59Z", "2026-06-30"], // UTC−11
  ])("%s at %s is %s", (zone, instant, expected) => {
    expect(todayIn(zone, new Date(instant))).toBe(expected);
  });

  it("rejects an unknown time zone", () => {
    expect(() => todayIn("Europe/Atlantis", new Date())).toThrow(RangeError);
  });
});

describe("invoiceStatus and apiStatus", () => {
  it.each<[string, Partial<InvoiceFacts>, InvoiceStatus, ApiInvoiceStatus]>([
    ["due in 20 days", {}, { kind: "due", days: 20, amountDue: 125000, partlyPaid: false, disputed: false }, "open"],
    ["due tomorrow", { today: "2026-04-29" }, { kind: "due", days: 1, amountDue: 125000, partlyPaid: false, disputed: false }, "open"],
    ["due today", { today: "2026-04-30" }, { kind: "due_today", amountDue: 125000, partlyPaid: false, disputed: false }, "open"],
    ["one day overdue", { today: "2026-05-01" }, { kind: "overdue", days: 1, amountDue: 125000, partlyPaid: false, disputed: false }, "overdue"],
    [
      "overdue and partly paid",
      { today: "2026-06-01", amountPaid: 25000 },
      { kind: "overdue", days: 32, amountDue: 100000, partlyPaid: true, disputed: false },
      "overdue",
    ],
    [
      "partly paid, not yet due",
      { amountPaid: 124999 },
      { kind: "due", days: 20, amountDue: 1, partlyPaid: true, disputed: false },
      "open",
    ],
    [
      "disputed and overdue",
      { today: "2026-05-10", disputed: true },
      { kind: "overdue", days: 10, amountDue: 125000, partlyPaid: false, disputed: true },
      "overdue",
    ],
    [
      "a refund larger than the payments owes more than the total",
      { amountPaid: -500 },
      { kind: "due", days: 20, amountDue: 125500, partlyPaid: false, disputed: false },
      "open",
    ],
    ["paid in full", { amountPaid: 125000 }, { kind: "paid" }, "paid"],
    ["paid in full after the due date", { amountPaid: 125000, today: "2026-07-01" }, { kind: "paid" }, "paid"],
    ["overpaid", { amountPaid: 130000 }, { kind: "overpaid", excess: 5000 }, "paid"],
    ["cancelled", { cancelledAt: new Date("2026-04-11T09:00:00Z") }, { kind: "cancelled" }, "cancelled"],
    [
      "cancelled beats paid and overdue",
      { cancelledAt: new Date("2026-04-11T09:00:00Z"), amountPaid: 125000, today: "2026-09-01" },
      { kind: "cancelled" },
      "cancelled",
    ],
    ["a credit note", { total: -125000, today: "2026-09-01" }, { kind: "paid" }, "paid"],
    ["a zero invoice", { total: 0 }, { kind: "paid" }, "paid"],
  ])("%s", (_label, overrides, expected, expectedApi) => {
    const facts = { ...base, ...overrides };
    expect(invoiceStatus(facts)).toEqual(expected);
    expect(apiStatus(facts)).toBe(expectedApi);
  });

  it("rejects a malformed due date", () => {
    expect(() => invoiceStatus({ ...base, dueDate: "30/04/2026" })).toThrow(RangeError);
  });
});

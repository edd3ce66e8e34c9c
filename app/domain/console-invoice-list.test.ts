import { describe, expect, it } from "vitest";
import { consoleInvoiceStatuses, cursorAfter, parseAmountInput, parseInvoiceListQuery } from "./console-invoice-list";

const ID = "inv_0000000000000000000001";

describe("parseInvoiceListQuery", () => {
  it.each([
    ["", { sort: "due", direction: "asc" }, []],
    ["status=overdue&sort=amount&dir=desc", { status: "overdue", sort: "amount", direction: "desc" }, []],
    ["issued_from=2026-03-01&due_to=2026-03-31", { issuedFrom: "2026-03-01", dueTo: "2026-03-31", sort: "due", direction: "asc" }, []],
    ["amount_min=1 250,50&amount_max=2000", { amountMin: 125_050, amountMax: 200_000, sort: "due", direction: "asc" }, []],
    ["q=  F-100  ", { search: "F-100", sort: "due", direction: "asc" }, []],
    ["status=late&sort=colour&dir=up", { sort: "due", direction: "asc" }, ["sort", "dir", "status"]],
    ["due_from=2026-02-30&amount_min=1.234&customer=cus_x", { sort: "due", direction: "asc" }, ["customer", "due_from", "amount_min"]],
    [`sort=number&after=F~100~${ID}`, { sort: "number", direction: "asc", after: { key: "F~100", id: ID } }, []],
    [`after=not-a-date~${ID}`, { sort: "due", direction: "asc" }, ["after"]],
    ["after=2026-03-01~inv_bad", { sort: "due", direction: "asc" }, ["after"]],
  ])("%s", (query, expected, errors) => {
    const parsed = parseInvoiceListQuery(new URLSearchParams(query));
    expect(parsed.query).toEqual(expected);
    expect(parsed.errors).toEqual(errors);
  });
});

describe("parseAmountInput", () => {
  it.each([
    ["0", 0], ["12", 1200], ["12,5", 1250], ["12.05", 1205], ["1 234 567,89", 123_456_789], ["1\u00a0000", 100_000],
    ["-5", undefined], ["1,234.5", undefined], ["12,345", undefined], ["abc", undefined], ["", undefined],
  ])("%s → %s", (text, minor) => expect(parseAmountInput(text)).toBe(minor));
});

describe("consoleInvoiceStatuses", () => {
  const base = { dueDate: "2026-03-31", today: "2026-03-15", total: 1000, amountPaid: 0, cancelledAt: null, disputed: false, deliveryProblem: false };
  it.each([
    [{}, ["open"]],
    [{ today: "2026-04-01" }, ["overdue"]],
    [{ amountPaid: 1000 }, ["paid"]],
    [{ total: -500 }, ["paid"]],
    [{ disputed: true }, ["open", "disputed"]],
    [{ deliveryProblem: true, amountPaid: 1000 }, ["paid", "delivery_problem"]],
    [{ cancelledAt: new Date(), disputed: true, deliveryProblem: true }, ["cancelled"]],
  ])("%o → %o", (facts, statuses) => expect(consoleInvoiceStatuses({ ...base, ...facts })).toEqual(statuses));
});

it("a cursor holds the sort key's value and the id", () => {
  const row = { id: ID, dueDate: "2026-03-31", issueDate: "2026-03-01", total: 1250, number: "F-1" };
  expect(cursorAfter(row, "amount")).toBe(`1250~${ID}`);
  expect(parseInvoiceListQuery(new URLSearchParams({ sort: "issued", after: cursorAfter(row, "issued") })).query.after).toEqual({ key: "2026-03-01", id: ID });
});

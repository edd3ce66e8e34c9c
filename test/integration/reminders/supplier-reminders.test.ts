// A supplier's reminder settings through the API and the operator CLI: the policy in force is
// shown, a bad one is rejected step by step with nothing written, and the fee respects the 60 kr cap.
import { describe, expect, it } from "vitest";
import { asc, eq } from "drizzle-orm";
import { events } from "../../../db/schema";
import { useTestDatabase } from "../../support/database";
import { callRoute, testContext } from "../../support/context";
import { CLI_TIMEOUT, runCli } from "../../support/cli";
import { newSupplier } from "../../support/suppliers";
import { loader, action } from "~/routes/api.v1.supplier";
import { getSupplier } from "~/features/suppliers/db/suppliers.server";

const database = useTestDatabase();
const context = () => testContext(database.get());
const cli = (args: string[]) => runCli(args, { DATABASE_URL: database.url() });

const DEFAULT = { before_due: -3, first: 5, second: 15, final: 30 };

const auth = (key: string) => ({ authorization: `Bearer ${key}` });
const get = async (key: string) =>
  (await (await callRoute(loader, context(), { path: "/api/v1/supplier", headers: auth(key) })).json()) as Record<string, unknown>;
const patch = (key: string, json: unknown) =>
  callRoute(action, context(), { method: "PATCH", path: "/api/v1/supplier", headers: auth(key), json });

async function updatedEvents(supplierId: string) {
  const rows = await database.get().db.select().from(events).where(eq(events.supplierId, supplierId)).orderBy(asc(events.seq));
  return rows.filter((event) => event.type === "supplier.updated").map((event) => event.data);
}

type Problem = { errors: { field: string; message: string }[] };

describe("reminder settings in /api/v1/supplier", () => {
  it("shows the default policy and no fee for a new supplier", async () => {
    const { key } = await newSupplier(database.get().db, { audited: true });
    expect(await get(key)).toMatchObject({
      reminder_policy: DEFAULT,
      reminder_policy_is_default: true,
      reminder_fee_agreed: false,
      reminder_fee: null,
    });
  });

  it("stores a policy, fee and agreement, shows them, records before/after, and returns to the default with null", async () => {
    const { supplierId, key } = await newSupplier(database.get().db, { audited: true });
    const response = await patch(key, {
      reminder_policy: { final: 40, first: 7 },
      reminder_fee_agreed: true,
      reminder_fee: 6000,
    });
    expect(response.status).toBe(200);
    const expected = { reminder_policy: { first: 7, final: 40 }, reminder_policy_is_default: false, reminder_fee_agreed: true, reminder_fee: 6000 };
    expect(await response.json()).toMatchObject(expected);
    expect(await get(key)).toMatchObject(expected);
    const stored = await getSupplier(database.get().db, supplierId);
    expect(stored).toMatchObject({ reminderPolicy: { first: 7, final: 40 }, reminderFeeAgreed: true, reminderFee: 6000 });

    // The same policy in another key order is no change, and records nothing.
    expect((await patch(key, { reminder_policy: { first: 7, final: 40 } })).status).toBe(200);
    // `{}` is a policy of its own: automatic reminders off.
    expect(await (await patch(key, { reminder_policy: {} })).json()).toMatchObject({ reminder_policy: {}, reminder_policy_is_default: false });
    expect(await (await patch(key, { reminder_policy: null, reminder_fee: null })).json()).toMatchObject({
      reminder_policy: DEFAULT,
      reminder_policy_is_default: true,
      reminder_fee: null,
    });
    expect((await getSupplier(database.get().db, supplierId))?.reminderPolicy).toBeNull();

    expect(await updatedEvents(supplierId)).toEqual([
      {
        changes: {
          reminder_policy: { from: null, to: { first: 7, final: 40 } },
          reminder_fee_agreed: { from: false, to: true },
          reminder_fee: { from: null, to: 6000 },
        },
      },
      { changes: { reminder_policy: { from: { first: 7, final: 40 }, to: {} } } },
      { changes: { reminder_policy: { from: {}, to: null }, reminder_fee: { from: 6000, to: null } } },
    ]);
  });

  const invalid: [string, Record<string, unknown>, string[], RegExp][] = [
    ["steps out of order", { reminder_policy: { first: 15, second: 5 } }, ["reminder_policy.second"], /must come after first/],
    ["an unknown step", { reminder_policy: { first: 5, third: 40 } }, ["reminder_policy.third"], /unknown step/],
    ["a non-integer", { reminder_policy: { first: 5.5 } }, ["reminder_policy.first"], /whole number/],
    ["days as text", { reminder_policy: { final: "30" } }, ["reminder_policy.final"], /whole number/],
    ["not an object", { reminder_policy: [5, 15] }, ["reminder_policy"], /object/],
    ["a fee over the cap", { reminder_fee: 6001 }, ["reminder_fee"], /60 kr/],
    ["a negative fee", { reminder_fee: -1 }, ["reminder_fee"], /whole number/],
    ["a fee in kronor as text", { reminder_fee: "60" }, ["reminder_fee"], /öre/],
    ["agreement as text", { reminder_fee_agreed: "yes" }, ["reminder_fee_agreed"], /true or false/],
    ["agreement cleared", { reminder_fee_agreed: null }, ["reminder_fee_agreed"], /true or false/],
  ];

  it.each(invalid)("rejects %s with 422 and writes nothing", async (_name, bad, fields, message) => {
    const { supplierId, key } = await newSupplier(database.get().db, { audited: true });
    const before = await getSupplier(database.get().db, supplierId);
    const response = await patch(key, { reminder_fee: 2500, name: "Not Stored AB", ...bad });
    expect(response.status).toBe(422);
    const problem = (await response.json()) as Problem;
    expect(problem.errors.map((error) => error.field)).toEqual(fields);
    expect(problem.errors[0]!.message).toMatch(message);
    expect(await getSupplier(database.get().db, supplierId)).toEqual(before);
    expect(await updatedEvents(supplierId)).toEqual([]);
  });

  it("names every bad step at once", async () => {
    const { key } = await newSupplier(database.get().db, { audited: true });
    const response = await patch(key, { reminder_policy: { before_due: 2, first: 0, fourth: 9 } });
    expect(response.status).toBe(422);
    expect(((await response.json()) as Problem).errors.map((error) => error.field).sort()).toEqual(
      ["reminder_policy.before_due", "reminder_policy.first", "reminder_policy.fourth"],
    );
  });
});

describe("npm run cli -- supplier:update with reminder settings", CLI_TIMEOUT, () => {
  it("sets a policy, fee and agreement, returns to the default, and a bad policy exits 1 writing nothing", async () => {
    const { supplierId, key } = await newSupplier(database.get().db, { audited: true });
    const set = await cli([
      "supplier:update", supplierId, "--reminder-policy", '{"first":7,"second":20}', "--reminder-fee-agreed", "yes",
      "--reminder-fee", "4500", "--json",
    ]);
    expect(set.code, set.stderr).toBe(0);
    const expected = { reminder_policy: { first: 7, second: 20 }, reminder_policy_is_default: false, reminder_fee_agreed: true, reminder_fee: 4500 };
    expect(JSON.parse(set.stdout)).toMatchObject(expected);
    expect(await get(key)).toMatchObject(expected);
    const eventsAfterSet = await updatedEvents(supplierId);
    expect(eventsAfterSet).toHaveLength(1);

    const show = await cli(["supplier:show", supplierId]);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toContain('{"first":7,"second":20}');

    const bad = await cli(["supplier:update", supplierId, "--reminder-policy", '{"first":20,"second":7}', "--reminder-fee", "100"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("--reminder-policy second: must come after first (20), got 7");
    const notJson = await cli(["supplier:update", supplierId, "--reminder-policy", "first=7"]);
    expect(notJson.code).toBe(1);
    expect(notJson.stderr).toMatch(/--reminder-policy: must be an object/);
    const overCap = await cli(["supplier:update", supplierId, "--reminder-fee", "7000", "--reminder-fee-agreed", "maybe"]);
    expect(overCap.code).toBe(1);
    expect(overCap.stderr).toMatch(/--reminder-fee: .*60 kr/);
    expect(overCap.stderr).toMatch(/--reminder-fee-agreed: /);
    expect(await get(key)).toMatchObject(expected);
    expect(await updatedEvents(supplierId)).toHaveLength(1);

    const reset = await cli(["supplier:update", supplierId, "--reminder-policy", "default", "--reminder-fee-agreed", "no", "--reminder-fee", ""]);
    expect(reset.code, reset.stderr).toBe(0);
    expect(await get(key)).toMatchObject({ reminder_policy: DEFAULT, reminder_policy_is_default: true, reminder_fee_agreed: false, reminder_fee: null });
  });
});

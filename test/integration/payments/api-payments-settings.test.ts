// The supplier's payment settings: which ways to pay are switched on (payment_options) and how
// long "I have paid" pauses reminders (payment_report_pause_days), through the API and the CLI.
import { describe, expect, it } from "vitest";
import { asc, eq } from "drizzle-orm";
import { events } from "../../../db/schema";
import { loader, action } from "~/routes/api.v1.supplier";
import { getSupplier } from "~/features/suppliers/db/suppliers.server";
import { useTestDatabase } from "../../support/database";
import { callRoute, testContext } from "../../support/context";
import { CLI_TIMEOUT, runCli } from "../../support/cli";
import { newSupplier } from "../../support/suppliers";

const database = useTestDatabase();
const context = () => testContext(database.get());
const db = () => database.get().db;

const get = (headers: Record<string, string>) => callRoute(loader, context(), { path: "/api/v1/supplier", headers });
const patch = (headers: Record<string, string>, json: unknown) =>
  callRoute(action, context(), { method: "PATCH", path: "/api/v1/supplier", headers, json });

type Problem = { errors: { field: string; message: string }[] };

describe("payment settings in /api/v1/supplier", () => {
  it("start with every way to pay and a 7-day pause, and change with an audit event", async () => {
    const { supplierId, headers } = await newSupplier(db(), { audited: true });
    expect(await (await get(headers)).json()).toMatchObject({
      payment_options: ["card", "bank_transfer", "swish", "bank_qr"],
      payment_report_pause_days: 7,
    });

    const response = await patch(headers, { payment_options: ["swish", "bank_transfer", "swish"], payment_report_pause_days: 14 });
    expect(response.status).toBe(200);
    // Stored once each, in a fixed order: the page decides what to show first.
    expect(await response.json()).toMatchObject({ payment_options: ["bank_transfer", "swish"], payment_report_pause_days: 14 });
    expect(await getSupplier(db(), supplierId)).toMatchObject({ paymentOptions: ["bank_transfer", "swish"], paymentReportPauseDays: 14 });
    const updates = (await db().select().from(events).where(eq(events.supplierId, supplierId)).orderBy(asc(events.seq)))
      .filter((event) => event.type === "supplier.updated");
    expect(updates.map((event) => event.data)).toEqual([
      {
        changes: {
          payment_options: { from: ["card", "bank_transfer", "swish", "bank_qr"], to: ["bank_transfer", "swish"] },
          payment_report_pause_days: { from: 7, to: 14 },
        },
      },
    ]);
  });

  it.each([
    ["no way to pay at all", { payment_options: [] }, "payment_options", /at least one/i],
    ["an unknown way to pay", { payment_options: ["card", "paypal"] }, "payment_options", /card, bank_transfer, swish, bank_qr/],
    ["a list as text", { payment_options: "card" }, "payment_options", /list/],
    ["null", { payment_options: null }, "payment_options", /list/],
    ["a pause of 0 days", { payment_report_pause_days: 0 }, "payment_report_pause_days", /1 to 60/],
    ["a pause of 61 days", { payment_report_pause_days: 61 }, "payment_report_pause_days", /1 to 60/],
    ["half a day", { payment_report_pause_days: 2.5 }, "payment_report_pause_days", /whole number/],
  ])("refuses %s with 422 naming the field, changing nothing", async (_name, body, field, message) => {
    const { supplierId, headers } = await newSupplier(db(), { audited: true });
    const before = await getSupplier(db(), supplierId);
    const response = await patch(headers, body);
    expect(response.status).toBe(422);
    const problem = (await response.json()) as Problem;
    expect(problem.errors.map((error) => error.field)).toEqual([field]);
    expect(problem.errors[0]!.message).toMatch(message);
    expect(await getSupplier(db(), supplierId)).toEqual(before);
  });
});

describe("npm run cli -- supplier:update with payment settings", CLI_TIMEOUT, () => {
  const cli = (args: string[]) => runCli(args, { DATABASE_URL: database.url() });

  it("sets the ways to pay from a comma list and the pause in days; a bad value exits 1 naming the flag", async () => {
    const { supplierId } = await newSupplier(db(), { audited: true });
    const good = await cli(["supplier:update", supplierId, "--payment-options", "card, swish", "--payment-report-pause-days", "10", "--json"]);
    expect(good.code, good.stderr).toBe(0);
    expect(JSON.parse(good.stdout)).toMatchObject({ payment_options: ["card", "swish"], payment_report_pause_days: 10 });

    const bad = await cli(["supplier:update", supplierId, "--payment-options", "card,cheque", "--payment-report-pause-days", "90"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("--payment-options:");
    expect(bad.stderr).toContain("--payment-report-pause-days: Expected a whole number of days from 1 to 60");
    expect(await getSupplier(db(), supplierId)).toMatchObject({ paymentOptions: ["card", "swish"], paymentReportPauseDays: 10 });
  });
});

// The supplier's notification address (where problem reports and confirmations are mailed):
// set, read and cleared through the API and the operator CLI, validated like every setting.
import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { events } from "../../../db/schema";
import { useTestDatabase } from "../../support/database";
import { CLI_TIMEOUT, runCli } from "../../support/cli";
import { callRoute, testContext } from "../../support/context";
import { newSupplier } from "../../support/suppliers";
import { action, loader } from "~/routes/api.v1.supplier";
import { getSupplier } from "~/features/suppliers/db/suppliers.server";

const database = useTestDatabase();

const auth = (key: string) => ({ authorization: `Bearer ${key}` });
const get = (key: string) => callRoute(loader, testContext(database.get()), { path: "/api/v1/supplier", headers: auth(key) });
const patch = (key: string, json: unknown) =>
  callRoute(action, testContext(database.get()), { method: "PATCH", path: "/api/v1/supplier", headers: auth(key), json });

const cli = (args: string[]) => runCli(args, { DATABASE_URL: database.url() });

describe("notification_email in /api/v1/supplier", () => {
  it("is null until set, then stored, shown and recorded in the audit log", async () => {
    const { supplierId, key } = await newSupplier(database.get().db, { name: "Nordljus Konsult AB", audited: true });
    expect(await (await get(key)).json()).toMatchObject({ notification_email: null });

    const response = await patch(key, { notification_email: "  ekonomi@nordljus.example " });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ notification_email: "ekonomi@nordljus.example" });
    expect(await (await get(key)).json()).toMatchObject({ notification_email: "ekonomi@nordljus.example" });
    expect((await getSupplier(database.get().db, supplierId))?.notificationEmail).toBe("ekonomi@nordljus.example");

    const updated = await database.get().db
      .select()
      .from(events)
      .where(and(eq(events.supplierId, supplierId), eq(events.type, "supplier.updated")));
    expect(updated.map((event) => event.data)).toEqual([
      { changes: { notification_email: { from: null, to: "ekonomi@nordljus.example" } } },
    ]);
  });

  it("is cleared with null", async () => {
    const { key } = await newSupplier(database.get().db, { name: "Nordljus Konsult AB", audited: true });
    await patch(key, { notification_email: "ekonomi@nordljus.example" });
    const response = await patch(key, { notification_email: null });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ notification_email: null });
  });

  it.each([["not an address"], ["ekonomi@"], ["a@b.example, c@d.example"], [42], [""]])(
    "rejects %j with 422 naming the field, and stores nothing",
    async (bad) => {
      const { supplierId, key } = await newSupplier(database.get().db, { name: "Nordljus Konsult AB", audited: true });
      const response = await patch(key, { notification_email: bad, name: "Renamed AB" });
      expect(response.status).toBe(422);
      const problem = (await response.json()) as { errors: { field: string }[] };
      expect(problem.errors.map((error) => error.field)).toEqual(["notification_email"]);
      expect(await getSupplier(database.get().db, supplierId)).toMatchObject({ name: "Nordljus Konsult AB", notificationEmail: null });
    },
  );
});

describe("npm run cli -- supplier:update --notification-email", CLI_TIMEOUT, () => {
  it("sets and clears the address, and refuses a bad one", async () => {
    const { supplierId } = await newSupplier(database.get().db, { name: "Nordljus Konsult AB", audited: true });
    const set = await cli(["supplier:update", supplierId, "--notification-email", "ekonomi@nordljus.example", "--json"]);
    expect(set.code, set.stderr).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({ id: supplierId, notification_email: "ekonomi@nordljus.example" });

    const bad = await cli(["supplier:update", supplierId, "--notification-email", "nope"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("--notification-email");
    expect((await getSupplier(database.get().db, supplierId))?.notificationEmail).toBe("ekonomi@nordljus.example");

    const cleared = await cli(["supplier:update", supplierId, "--notification-email", ""]);
    expect(cleared.code, cleared.stderr).toBe(0);
    expect((await getSupplier(database.get().db, supplierId))?.notificationEmail).toBeNull();
  });
});

// `npm run cli -- user:create` as an operator runs it for a supplier's first owner: it prints a
// one-time link that signs the owner in (once) and leads to choosing a password.
import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { events } from "../../../db/schema";
import * as linkRoute from "~/routes/app_.link.$token";
import { useTestDatabase } from "../../support/database";
import { CLI_TIMEOUT, runCli } from "../../support/cli";
import { testContext } from "../../support/context";
import { newSupplier } from "../../support/suppliers";
import { postForm, uniqueEmail } from "../../support/console";

const database = useTestDatabase();
const cli = (args: string[]) => runCli(args, { DATABASE_URL: database.url() });

describe("npm run cli -- user:create", CLI_TIMEOUT, () => {
  it("prints a one-time sign-in link for the new owner, which works once", async () => {
    const { supplierId } = await newSupplier(database.get().db);
    const run = await cli(["user:create", "--supplier", supplierId, "--email", uniqueEmail("first-owner"), "--role", "owner"]);
    expect(run.code, run.stderr).toBe(0);
    const token = run.stdout.match(/\/app\/link\/([A-Za-z0-9_-]{43})\s*$/)![1]!;
    const use = () => postForm(linkRoute, testContext(database.get()), `/app/link/${token}`, { intent: "use" }, { params: { token } });
    expect((await use()).status).toBe(303);
    expect((await use()).status).toBe(404);
    const added = await database.get().db.select().from(events).where(and(eq(events.supplierId, supplierId), eq(events.type, "console.member_added")));
    expect(added).toMatchObject([{ actor: "operator", data: { role: "owner" } }]);
  });

  it("refuses an unknown role (64), an unknown supplier and a bad address (1)", async () => {
    const { supplierId } = await newSupplier(database.get().db);
    expect((await cli(["user:create", "--supplier", supplierId, "--email", "a@example.test", "--role", "root"])).code).toBe(64);
    const unknown = await cli(["user:create", "--supplier", "sup_0000000000000000000000", "--email", "a@example.test", "--role", "owner"]);
    expect([unknown.code, unknown.stderr]).toEqual([1, expect.stringContaining("No supplier")]);
    expect((await cli(["user:create", "--supplier", supplierId, "--email", "not-an-address", "--role", "owner"])).code).toBe(1);
  });
});

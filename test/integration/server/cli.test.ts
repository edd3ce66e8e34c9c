// Runs the CLI against this file's database, and checks its effects through the API route and the
// tables, as an operator and an integrating supplier would. Commands run in this process (runCli);
// two runs go through the real binary as a child process (spawnCli), proving its output and exit codes.
import { describe, expect, it } from "vitest";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, asc, eq } from "drizzle-orm";
import { events } from "../../../db/schema";
import { useTestDatabase } from "../../support/database";
import { CLI_TIMEOUT, runCli, spawnCli } from "../../support/cli";
import { callRoute, testContext } from "../../support/context";
import { loader } from "~/routes/api.v1.supplier";
import { getSupplier } from "~/features/suppliers/db/suppliers.server";
import { isPublicId } from "~/domain/public-id";

const database = useTestDatabase();

const cli = (args: string[], env: Record<string, string | undefined> = { DATABASE_URL: database.url() }) => runCli(args, env);

const getSupplierWith = (key: string) =>
  callRoute(loader, testContext(database.get()), { path: "/api/v1/supplier", headers: { authorization: `Bearer ${key}` } });

async function createSupplier(name: string): Promise<{ supplier_id: string; api_key: string }> {
  const run = await cli(["supplier:create", "--name", name, "--org-number", "5560360793", "--json"]);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as { supplier_id: string; api_key: string };
}

describe("npm run cli", CLI_TIMEOUT, () => {
  it("supplier:create --json prints one JSON line whose key works with the API", async () => {
    const run = await spawnCli(["supplier:create", "--name", "Nordic Pipes AB", "--org-number", "5560360793", "--json"], { DATABASE_URL: database.url() });
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const created = JSON.parse(lines[0]!) as Record<string, string>;
    expect(Object.keys(created).sort()).toEqual(["api_key", "supplier_id"]);
    expect(isPublicId("sup", created.supplier_id!)).toBe(true);
    expect(created.api_key).toMatch(/^pp_live_/);

    const response = await getSupplierWith(created.api_key!);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      id: created.supplier_id,
      name: "Nordic Pipes AB",
      org_number: "556036-0793",
    });

    const logged = await database.get().db.select().from(events)
      .where(eq(events.supplierId, created.supplier_id!)).orderBy(asc(events.seq));
    expect(logged.map((event) => [event.type, event.actor, event.actorId])).toEqual([
      ["supplier.created", "operator", "cli"],
      ["api_key.created", "operator", "cli"],
    ]);
    // The plain key is shown once and never stored, not even in the audit log.
    expect(JSON.stringify(logged)).not.toContain(created.api_key);
  });

  it("apikey:revoke makes the key stop working; apikey:create issues a working one", async () => {
    const { supplier_id, api_key } = await createSupplier("Revoke Test AB");
    const prefix = api_key.slice(0, "pp_live_".length + 4);

    const listed = await cli(["apikey:list", supplier_id]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(prefix);
    expect(listed.stdout).not.toContain(api_key);

    const revoked = await cli(["apikey:revoke", prefix]);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect((await getSupplierWith(api_key)).status).toBe(401);
    expect((await cli(["apikey:revoke", prefix])).code).toBe(1);

    const issued = await cli(["apikey:create", supplier_id, "--name", "erp", "--json"]);
    expect(issued.code, issued.stderr).toBe(0);
    const { api_key: second } = JSON.parse(issued.stdout) as { api_key: string };
    expect((await getSupplierWith(second)).status).toBe(200);
  });

  it("supplier:update applies normalised values, and a bad bankgiro exits 1 and writes nothing", async () => {
    const { supplier_id } = await createSupplier("Update Test AB");

    const bad = await cli(["supplier:update", supplier_id, "--name", "Not Stored AB", "--bankgiro", "9912345"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/bankgiro.*check digit/i);
    const unchanged = await getSupplier(database.get().db, supplier_id);
    expect(unchanged).toMatchObject({ name: "Update Test AB", bankgiro: null });

    const good = await cli(["supplier:update", supplier_id, "--bankgiro", "9912346", "--iban", "se45 5000 0000 0583 9825 7466", "--json"]);
    expect(good.code, good.stderr).toBe(0);
    expect(JSON.parse(good.stdout)).toMatchObject({ bankgiro: "991-2346", iban: "SE4550000000058398257466" });
    const [event] = await database.get().db.select().from(events)
      .where(and(eq(events.supplierId, supplier_id), eq(events.type, "supplier.updated"))).orderBy(asc(events.seq));
    expect(event).toMatchObject({ supplierId: supplier_id, actor: "operator", actorId: "cli" });
    expect(event!.data).toEqual({
      changes: { bankgiro: { from: null, to: "991-2346" }, iban: { from: null, to: "SE4550000000058398257466" } },
    });

    const shown = await cli(["supplier:show", supplier_id, "--json"]);
    expect(JSON.parse(shown.stdout)).toMatchObject({ id: supplier_id, bankgiro: "991-2346" });
    const missing = await cli(["supplier:show", "sup_doesnotexist"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("sup_doesnotexist");
  });

  it("answers usage errors with exit code 64 and the usage text", async () => {
    const unknown = await spawnCli(["supplier:destroy"], { DATABASE_URL: database.url() });
    expect(unknown.code).toBe(64);
    expect(unknown.stderr).toContain('unknown command "supplier:destroy"');
    expect(unknown.stderr).toContain("supplier:create");
    expect(unknown.stderr).toContain("apikey:revoke");

    const none = await cli([]);
    expect(none.code).toBe(64);
    expect(none.stderr).toContain("Usage:");

    const badOption = await cli(["supplier:list", "--colour", "red"]);
    expect(badOption.code).toBe(64);
    expect(badOption.stderr).toContain("--colour");

    const missingArgument = await cli(["supplier:show"]);
    expect(missingArgument.code).toBe(64);

    const help = await cli(["help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("supplier:update");
  });

  describe("without DATABASE_URL", () => {
    function dataDir(): string {
      const dir = mkdtempSync(path.join(tmpdir(), "pp-cli-"));
      mkdirSync(path.join(dir, "pg"));
      return dir;
    }

    it("uses the URL that `npm run dev` left in DATA_DIR/pg-url", async () => {
      const dir = dataDir();
      try {
        writeFileSync(path.join(dir, "pg-url"), `${database.url()}\n`);
        const { supplier_id } = await createSupplier("Listed AB");
        const run = await cli(["supplier:list", "--json"], { DATA_DIR: dir });
        expect(run.code, run.stderr).toBe(0);
        expect((JSON.parse(run.stdout) as { id: string }[]).map((supplier) => supplier.id)).toContain(supplier_id);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it("says how to reach an embedded server that another process holds", async () => {
      const dir = dataDir();
      try {
        // A live process (this one) holding the data folder on port 54999, as postmaster.pid records it.
        writeFileSync(path.join(dir, "pg", "postmaster.pid"), `${process.pid}\n${dir}/pg\n0\n54999\n`);
        const run = await cli(["supplier:list"], { DATA_DIR: dir });
        expect(run.code).toBe(78);
        expect(run.stderr).toContain(`in use by process ${process.pid}`);
        expect(run.stderr).toContain("DATABASE_URL=postgres://postgres:postgres@127.0.0.1:54999/payer_portal");
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});

// `npm run cli -- invoices:import`, run as the real CLI process against this file's database:
// the summary an operator reads, the exit codes a script checks, and the invoices it leaves.
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { useTestDatabase } from "../../support/database";
import { CLI_TIMEOUT, runCli } from "../../support/cli";
import { TEST_BASE_URL, TEST_CREDENTIALS_KEYS, TEST_LINK_KEYS } from "../../support/context";
import { createSupplier } from "~/features/suppliers/db/suppliers.server";

const database = useTestDatabase();
const SERVER_ENV = { CREDENTIALS_KEYS: TEST_CREDENTIALS_KEYS, LINK_SIGNING_KEYS: TEST_LINK_KEYS, PUBLIC_BASE_URL: TEST_BASE_URL };
const cli = (args: string[]) => runCli(args, { DATABASE_URL: database.url(), ...SERVER_ENV });

const dir = mkdtempSync(path.join(tmpdir(), "pp-import-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function csvFile(name: string, rows: string[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, `number,customer_external_id,customer_name,currency,issue_date,due_date,description,quantity,unit_price,vat_rate\n${rows.join("\n")}\n`);
  return file;
}

const row = (number: string, price = "100.00") => `${number},K-1,Kund AB,SEK,2026-03-01,2026-03-31,Service,1,"${price}",25`;

async function invoiceNumbers(supplierId: string): Promise<string[]> {
  const rows = await database.get().sql`select number from invoices where supplier_id = ${supplierId} order by number`;
  return rows.map((invoice) => invoice.number as string);
}

describe("npm run cli -- invoices:import", CLI_TIMEOUT, () => {
  it("creates the invoices, prints a summary, exits 0; a second run skips them all", async () => {
    const supplier = await createSupplier(database.get().db, { name: "CLI Import AB" });
    const file = csvFile("good.csv", [row("A-1"), row("A-2", "1 250,50"), row("A-3")]);

    const run = await cli(["invoices:import", file, "--supplier", supplier.id]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("3 invoices in the file");
    expect(run.stdout).toMatch(/created\s+3/);
    expect(await invoiceNumbers(supplier.id)).toEqual(["A-1", "A-2", "A-3"]);

    const again = await cli(["invoices:import", file, "--supplier", supplier.id, "--json"]);
    expect(again.code, again.stderr).toBe(0);
    const report = JSON.parse(again.stdout) as { created: unknown[]; skipped: { number: string }[] };
    expect(report.created).toEqual([]);
    expect(report.skipped.map((skipped) => skipped.number)).toEqual(["A-1", "A-2", "A-3"]);
    expect(await invoiceNumbers(supplier.id)).toEqual(["A-1", "A-2", "A-3"]);
  });

  it("exits 1 naming the bad row; --all-or-nothing then creates none, the default the valid ones", async () => {
    const supplier = await createSupplier(database.get().db, { name: "CLI Bad Rows AB" });
    const file = csvFile("bad.csv", [row("B-1"), row("B-2", "12,345"), row("B-3")]);

    const strict = await cli(["invoices:import", file, "--supplier", supplier.id, "--all-or-nothing"]);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/\b3\s+unit_price\s+unit_price has 3 decimals/);
    expect(strict.stdout).toContain("nothing was created");
    expect(await invoiceNumbers(supplier.id)).toEqual([]);

    const dry = await cli(["invoices:import", file, "--supplier", supplier.id, "--dry-run"]);
    expect(dry.code).toBe(1);
    expect(dry.stdout).toMatch(/would create\s+2/);
    expect(await invoiceNumbers(supplier.id)).toEqual([]);

    const lenient = await cli(["invoices:import", file, "--supplier", supplier.id]);
    expect(lenient.code).toBe(1);
    expect(await invoiceNumbers(supplier.id)).toEqual(["B-1", "B-3"]);
  });

  it("prints plain progress lines for a large file when stderr is not a terminal", async () => {
    const supplier = await createSupplier(database.get().db, { name: "CLI Progress AB" });
    const file = csvFile("large.csv", Array.from({ length: 1000 }, (_, index) => row(`P-${index}`)));
    const run = await cli(["invoices:import", file, "--supplier", supplier.id]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("… 1000/1000 invoices (100 %)");
    expect(run.stderr).not.toContain("\r");
    expect(run.stdout).toMatch(/created\s+1000/);
  }, 60_000);

  it("answers usage errors with 64, an unknown supplier or a missing file with 1", async () => {
    const file = csvFile("one.csv", [row("C-1")]);
    const noSupplier = await cli(["invoices:import", file]);
    expect(noSupplier.code).toBe(64);
    expect(noSupplier.stderr).toContain("--supplier");
    expect((await cli(["invoices:import", "--supplier", "sup_x"])).code).toBe(64);

    const unknown = await cli(["invoices:import", file, "--supplier", "sup_doesnotexist"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("No supplier with id sup_doesnotexist");

    const supplier = await createSupplier(database.get().db, { name: "CLI Missing File AB" });
    const missing = await cli(["invoices:import", path.join(dir, "nope.csv"), "--supplier", supplier.id]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("ENOENT");
  });
});

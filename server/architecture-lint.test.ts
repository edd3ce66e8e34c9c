// The layering rules of eslint.architecture.js, proved on small sources linted in memory with
// ESLint's Node API (files that do not exist on disk, classified by the path they are given).
// The rules are loaded on their own, so this holds whether or not eslint.config.js includes them.
import { describe, expect, it } from "vitest";
import { ESLint } from "eslint";
import tseslint from "typescript-eslint";
import architecture from "../eslint.architecture.js";

const eslint = new ESLint({
  cwd: process.cwd(),
  overrideConfigFile: true,
  overrideConfig: [{ files: ["**/*.{ts,tsx}"], languageOptions: { parser: tseslint.parser } }, ...architecture],
});

async function ruleIds(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath });
  return (result?.messages ?? []).map((message) => `${message.ruleId}@${message.line}`);
}

describe("architecture lint", () => {
  it("fails a route that imports drizzle, postgres or the schema", async () => {
    const source = [
      'import { eq } from "drizzle-orm";',
      'import type postgres from "postgres";',
      'import { invoices } from "../../db/schema";',
      "export const probe = [eq, invoices] as unknown as postgres.Sql;",
    ].join("\n");
    expect(await ruleIds("app/routes/api.v1.probe.ts", source)).toEqual([
      "no-restricted-imports@1",
      "no-restricted-imports@2",
      "boundaries/dependencies@3",
    ]);
  });

  it("passes a route that calls a feature's use case", async () => {
    const source = 'import { listInvoices } from "~/features/invoices/invoices.server";\nexport const probe = listInvoices;\n';
    expect(await ruleIds("app/routes/api.v1.probe.ts", source)).toEqual([]);
  });

  it("fails a route that reads a feature's db/ folder", async () => {
    const source = 'import { invoiceExists } from "~/features/invoices/db/invoices.server";\nexport const probe = invoiceExists;\n';
    expect(await ruleIds("app/routes/api.v1.probe.ts", source)).toEqual(["boundaries/dependencies@1"]);
  });

  it("fails a db/ folder that imports a use case, passes one that imports the schema and another db/", async () => {
    const useCase = 'import { createInvoice } from "~/features/invoices/invoices.server";\nexport const probe = createInvoice;\n';
    expect(await ruleIds("app/features/payments/db/probe.server.ts", useCase)).toEqual(["boundaries/dependencies@1"]);
    const queries = [
      'import { invoices } from "../../../../db/schema";',
      'import { invoiceExists } from "~/features/invoices/db/invoices.server";',
      "export const probe = [invoices, invoiceExists];",
    ].join("\n");
    expect(await ruleIds("app/features/payments/db/probe.server.ts", queries)).toEqual([]);
  });

  it("fails the platform or the API's plumbing importing a feature", async () => {
    const source = 'import { createInvoice } from "~/features/invoices/invoices.server";\nexport const probe = createInvoice;\n';
    expect(await ruleIds("app/platform/jobs/probe.server.ts", source)).toEqual(["boundaries/dependencies@1"]);
    expect(await ruleIds("app/api/probe.server.ts", source)).toEqual(["boundaries/dependencies@1"]);
  });

  it("fails a domain module that does I/O or imports the platform", async () => {
    const source = 'import { readFileSync } from "node:fs";\nimport { loadConfig } from "~/platform/config.server";\nexport const probe = [readFileSync, loadConfig];\n';
    expect(await ruleIds("app/domain/probe.ts", source)).toEqual(["no-restricted-imports@1", "boundaries/dependencies@2"]);
  });
});

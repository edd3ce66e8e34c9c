// The layering rules of eslint.architecture.js, proved on small sources linted in memory with
// ESLint's Node API. The rules are loaded on their own, so this holds before eslint.config.js
// includes them. Only the rules whose paths exist in today's layout are proved here; the
// regrouping into app/features/ brings the full version (db/ folders, platform, API).
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

  it("passes a route that imports only what a route may", async () => {
    const source = 'import { json } from "~/api/problem.server";\nimport { isPublicId } from "~/domain/public-id";\nexport const probe = [json, isPublicId];\n';
    expect(await ruleIds("app/routes/api.v1.probe.ts", source)).toEqual([]);
  });

  it("fails a domain module that does I/O", async () => {
    const source = 'import { readFileSync } from "node:fs";\nexport const probe = readFileSync;\n';
    expect(await ruleIds("app/domain/probe.ts", source)).toEqual(["no-restricted-imports@1"]);
  });
});

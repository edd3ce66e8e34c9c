// The typed client for integrators: clients/typescript/api.d.ts is what openapi-typescript makes
// of the document the API serves today (`npm run openapi:types` refreshes it), and the README's
// example, kept in clients/typescript/example.ts, compiles against it with openapi-fetch.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import openapiTS, { astToString } from "openapi-typescript";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "~/api/openapi/document.server";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");

describe("the typed TypeScript client", () => {
  it("has types generated from the current document (else: npm run openapi:types)", async () => {
    const generated = astToString(await openapiTS(JSON.parse(openApiDocument().text) as never));
    expect(read("clients/typescript/api.d.ts").endsWith(generated), "clients/typescript/api.d.ts is stale: npm run openapi:types").toBe(true);
  });

  it("compiles the README's example against those types", () => {
    const example = read("clients/typescript/example.ts");
    const shown = example.slice(example.indexOf("import createClient"));
    expect(read("README.md")).toContain(shown.trim());
    const tsc = spawnSync(process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "clients/typescript"], { cwd: ROOT, encoding: "utf8" });
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.status).toBe(0);
  }, 120_000);
});

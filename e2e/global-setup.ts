// Starts the production build on a fresh database with the demo data, like a new user would
// see it after `npm run dev`, and stops everything afterwards.
import { spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync } from "node:fs";
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { startEmbeddedPostgres, databaseUrl, freePort, type EmbeddedDatabase } from "../db/embedded";
import { runMigrations } from "../db/migrate";
import { connect } from "../db/client";
import { loadConfig } from "../app/config.server";
import { seedDemo } from "../db/seed";

export const SERVER_LOG = ".data/e2e-server.log";

async function waitForReady(url: string, child: { exitCode: number | null }) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The server exited with code ${child.exitCode}; see ${SERVER_LOG}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100)); // polling an external process
  }
  throw new Error(`The server did not become ready in 60 s; see ${SERVER_LOG}`);
}

export default async function globalSetup() {
  if (!existsSync("build/index.js")) throw new Error("No production build: run `npm run build` before the e2e tests.");

  let embedded: EmbeddedDatabase | undefined;
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    embedded = await startEmbeddedPostgres({ dataDir: ".data/e2e-pg", durable: false });
    serverUrl = embedded.url;
  }
  const name = `pp_e2e_${randomBytes(4).toString("hex")}`;
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
    LINK_SIGNING_KEYS: `e2e1:${randomBytes(32).toString("base64url")}`,
    LOG_LEVEL: "info",
  };

  const config = loadConfig(env);
  const database = connect(url, { max: 2 });
  const demo = await seedDemo({ config, db: database.db });
  await database.close();

  mkdirSync(".data", { recursive: true });
  const log = createWriteStream(SERVER_LOG);
  const server = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout.pipe(log);
  server.stderr.pipe(log);
  await waitForReady(baseUrl, server);

  process.env.E2E_BASE_URL = baseUrl;
  process.env.E2E_DEMO = JSON.stringify(demo);

  return async () => {
    server.kill("SIGTERM");
    await new Promise((resolve) => server.once("exit", resolve));
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
    await embedded?.stop();
  };
}

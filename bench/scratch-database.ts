// A migrated scratch database for a benchmark: on DATABASE_URL's server when set, else on an
// embedded PostgreSQL under .data/bench-<label>-pg. drop() removes it (and stops the embedded server).
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { connect, type Database } from "../db/client";
import { databaseUrl, startEmbeddedPostgres, type EmbeddedDatabase } from "../db/embedded";
import { runMigrations } from "../db/migrate";
import "../server/jobs"; // registers every job before the queue migrates, drains or runs them

export type ScratchDatabase = Database & {
  url: string;
  /** For the printed tables: which server the figures come from. */
  server: string;
  drop: () => Promise<void>;
};

export async function openScratchDatabase(label: string, maxConnections: number): Promise<ScratchDatabase> {
  let embedded: EmbeddedDatabase | undefined;
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    console.log(`No DATABASE_URL: starting an embedded PostgreSQL in .data/bench-${label}-pg …`);
    embedded = await startEmbeddedPostgres({ dataDir: `.data/bench-${label}-pg`, durable: false });
    serverUrl = embedded.url;
  }
  const name = `pp_bench_${label}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(databaseUrl(serverUrl, "postgres"), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = databaseUrl(serverUrl, name);
  const database = connect(url, { max: maxConnections });
  const drop = async () => {
    await database.close();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
    await embedded?.stop();
  };
  try {
    await runMigrations(url);
  } catch (error) {
    await drop();
    throw error;
  }
  return { ...database, url, server: process.env.DATABASE_URL ? "DATABASE_URL's server" : "embedded PostgreSQL", drop };
}

import path from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { installJobQueues } from "../app/platform/jobs/queue.server";
import type { JobTuning } from "../app/platform/config.server";

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");

/**
 * Applies committed migrations and installs the job queues; safe to run from several processes
 * at once (advisory lock).
 */
/** `tuning`: the configured job timings (server primaries pass theirs; tools keep the defaults). */
export async function runMigrations(url: string, tuning?: JobTuning): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_advisory_lock(727274)`;
    await migrate(drizzle(sql), { migrationsFolder });
    await installJobQueues(url, undefined, tuning);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Creates the database named in the URL when it does not exist (embedded and local servers). */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!name || name === "postgres") return;
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const sql = postgres(admin.toString(), { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql`select 1 as found from pg_database where datname = ${name}`;
    if (!row) {
      await sql.unsafe(`create database "${name.replace(/"/g, '""')}"`).catch((error: { code?: string }) => {
        if (error.code !== "42P04") throw error; // created meanwhile by another process
      });
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}

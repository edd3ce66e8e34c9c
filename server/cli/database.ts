// Which PostgreSQL a CLI command uses: DATABASE_URL when set; otherwise the embedded one of
// `npm run dev`, reached through the URL it leaves in DATA_DIR/pg-url, or started for this command.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { isDatabaseReady } from "../../db/client";
import { startEmbeddedPostgres, databaseUrl, type EmbeddedDatabase } from "../../db/embedded";
import { CliError, EXIT } from "./support";

/** host:port/database, never the password. */
export function describe(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
}

async function answers(url: string): Promise<boolean> {
  let sql: postgres.Sql;
  try {
    sql = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
  } catch {
    return false; // not a URL at all: a stale or damaged file
  }
  try {
    return await isDatabaseReady(sql);
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/** The PostgreSQL that owns the data folder, read from postmaster.pid, if its process is alive. */
function runningPostmaster(pgDir: string): { pid: number; port: string } | undefined {
  const pidFile = path.join(pgDir, "postmaster.pid");
  if (!existsSync(pidFile)) return undefined;
  const lines = readFileSync(pidFile, "utf8").split("\n");
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return undefined;
  }
  return { pid, port: lines[3]?.trim() ?? "?" };
}

/**
 * DATABASE_URL when set; otherwise the embedded PostgreSQL of `npm run dev` (whose URL
 * server/run.ts leaves in DATA_DIR/pg-url), or one started here for this command only.
 */
export async function resolveDatabase(): Promise<{ url: string; embedded?: EmbeddedDatabase }> {
  const configured = process.env.DATABASE_URL;
  if (configured) {
    if (!/^postgres(ql)?:\/\//.test(configured)) throw new CliError("DATABASE_URL must be a postgres:// URL", EXIT.config);
    return { url: configured };
  }
  const dataDir = process.env.DATA_DIR ?? ".data";
  const pgDir = path.join(dataDir, "pg");
  const urlFile = path.join(dataDir, "pg-url");
  if (existsSync(urlFile)) {
    const url = readFileSync(urlFile, "utf8").trim();
    if (await answers(url)) return { url };
  }
  const running = runningPostmaster(pgDir);
  if (running) {
    throw new CliError(
      `The embedded PostgreSQL in ${pgDir} is in use by process ${running.pid} (probably \`npm run dev\`) ` +
        `and ${urlFile} does not say how to reach it. Point the CLI at it: ` +
        `DATABASE_URL=postgres://postgres:postgres@127.0.0.1:${running.port}/payer_portal npm run cli -- …`,
      EXIT.config,
    );
  }
  console.error(`No DATABASE_URL: starting the embedded PostgreSQL in ${pgDir} for this command …`);
  try {
    const embedded = await startEmbeddedPostgres({ dataDir: pgDir });
    return { url: databaseUrl(embedded.url, "payer_portal"), embedded };
  } catch (error) {
    throw new CliError(`${(error as Error).message}. Set DATABASE_URL to use another PostgreSQL.`, EXIT.config);
  }
}

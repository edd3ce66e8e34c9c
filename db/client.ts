// One postgres.js pool and one drizzle instance per process (creating them per request cost ~20 %).
import postgres from "postgres";
import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import * as schema from "./schema";

export type Db = PostgresJsDatabase<typeof schema> & { $client: postgres.Sql };
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** A database handle or an open transaction: models accept either. */
export type DbOrTx = Db | Tx;

export type Database = { db: Db; sql: postgres.Sql; close: () => Promise<void> };

export type ConnectOptions = {
  max?: number;
  /** Called with the SQL text of every query sent; tests use it to count round trips. */
  onQuery?: (query: string) => void;
  /**
   * Commit without waiting for the disk flush (synchronous_commit off) on every connection of the
   * pool: only for writes whose last fraction of a second may be lost in a database crash.
   */
  asyncCommit?: boolean;
};

/**
 * How long a pooled connection waits before it connects again after a failed attempt. The
 * driver's default grows to 10–20 s after a few failures (3^n / 100 s), and every request during
 * an outage counts as one, so the service stayed down for up to 8 s after the database was back.
 * Capped at 1 s (with jitter, so processes do not reconnect in step): a refused connect is cheap.
 */
export function reconnectDelaySeconds(failures: number): number {
  return (0.5 + Math.random() / 2) * Math.min(0.05 * 2 ** failures, 1);
}

export function connect(url: string, options: ConnectOptions = {}): Database {
  const { onQuery } = options;
  const sql = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    connection: { application_name: "payer-portal", ...(options.asyncCommit ? { synchronous_commit: "off" } : {}) },
    backoff: reconnectDelaySeconds,
    ...(onQuery ? { debug: (_connection: number, query: string) => onQuery(query) } : {}),
  });
  const db = drizzle(sql, { schema });
  return { db, sql, close: () => sql.end({ timeout: 5 }) };
}

/** True while the database answers a trivial query within the timeout. */
export async function isDatabaseReady(sql: postgres.Sql, timeoutMs = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([sql`select 1`.then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

// What a lost or refused connection looks like: postgres.js's own codes, the socket's, and the
// SQLSTATEs of a server shutting down or starting up (class 08, 57P01–57P03, 53300).
const UNAVAILABLE_CODES = new Set([
  "CONNECTION_CLOSED", "CONNECTION_DESTROYED", "CONNECTION_ENDED", "CONNECT_TIMEOUT",
  "ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENOTFOUND", "EAI_AGAIN",
  "57P01", "57P02", "57P03", "53300",
]);

/**
 * True when an error (or what it wraps: drizzle wraps the driver's error in `cause`) means the
 * database cannot be reached right now, as opposed to a query that was wrong.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 5 || typeof error !== "object" || error === null) return false;
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === "string" && (UNAVAILABLE_CODES.has(code) || code.startsWith("08"))) return true;
  if (Array.isArray(errors) && errors.some((inner) => isDatabaseUnavailable(inner, depth + 1))) return true;
  return isDatabaseUnavailable(cause, depth + 1);
}

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
};

export function connect(url: string, options: ConnectOptions = {}): Database {
  const { onQuery } = options;
  const sql = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    connection: { application_name: "payer-portal" },
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

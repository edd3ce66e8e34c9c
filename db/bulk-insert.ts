// Multi-row inserts for set-based writers (a bank file's batch of payments, their events, webhook
// messages and receipts): the rows as one json parameter, read by json_to_recordset. Measured on the
// bank-file bench, drizzle's own `.values(rows)` spends most of a batch building the statement
// (about 1 s per 1,000 payment rows on a loaded 2-core machine); this builds it in a few ms, and
// PostgreSQL's parameter limit no longer caps the rows per statement.
import { getTableColumns, sql, type SQL } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { DbOrTx } from "./client";

/** Each value as PostgreSQL's text input for its column type (the column's own driver mapping first). */
function textOf(column: PgColumn, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const driver = column.mapToDriverValue(value);
  if (typeof driver === "string") return driver;
  if (driver instanceof Date) return driver.toISOString();
  if (typeof driver === "object") return JSON.stringify(driver);
  return String(driver);
}

/**
 * Inserts rows (all with the same keys; a key left out takes its column's default) in one
 * statement. With `onConflictDoNothing`, rows that hit a unique index are skipped; `returning`
 * answers that column of the rows inserted, in order.
 *
 * The rows travel as ONE json text parameter (json_to_recordset), json/jsonb values inside it
 * as they are: building a text[] per column meant a string per value, each JSON value escaped
 * again for the array literal, and a bank file's batch left hundreds of thousands of strings for
 * the collector (about a third of the bench's heap). Every other value is its column's text
 * input, cast as before.
 */
export async function insertRows<T extends PgTable>(
  db: DbOrTx,
  table: T,
  rows: readonly T["$inferInsert"][],
  options: { onConflictDoNothing?: boolean; returning?: keyof T["$inferSelect"] & string } = {},
): Promise<string[]> {
  if (rows.length === 0) return [];
  const columns = getTableColumns(table) as Record<string, PgColumn>;
  const keys = Object.keys(rows[0]!).filter((key) => key in columns);
  const list = keys.map((key, index) => {
    const column = columns[key]!;
    const type = column.getSQLType();
    if (type.endsWith("]")) throw new Error(`insertRows: array column ${column.name} is not supported`);
    const json = column.dataType === "json";
    return { key, column, type, json, alias: `c${index}` };
  });
  const records = rows.map((row) => {
    const record: Record<string, unknown> = {};
    for (const { key, column, json, alias } of list) {
      const value = (row as Record<string, unknown>)[key];
      record[alias] = json ? (value ?? null) : textOf(column, value);
    }
    return record;
  });
  const names = sql.join(list.map(({ column }) => sql.identifier(column.name)), sql`, `);
  const casts = sql.join(list.map(({ type, alias }) => sql.raw(`u.${alias}::${type}`)), sql`, `);
  const definition = sql.raw(list.map(({ json, alias }) => `${alias} ${json ? "jsonb" : "text"}`).join(", "));
  const returningColumn = options.returning ? columns[options.returning] : undefined;
  const tail: SQL[] = [];
  if (options.onConflictDoNothing) tail.push(sql` on conflict do nothing`);
  if (returningColumn) tail.push(sql` returning ${sql.identifier(returningColumn.name)} as value`);
  const result = await db.execute<{ value: string }>(
    sql`insert into ${table} (${names}) select ${casts} from json_to_recordset(${JSON.stringify(records)}::json) as u(${definition})${sql.join(tail)}`,
  );
  return returningColumn ? [...result].map((row) => row.value) : [];
}

// The imports and import_batches tables: a large upload, its progress, and each committed batch's
// part of the report. The rules (who may run an import, when it ends) are ../imports.server's.
import { and, asc, eq, getTableColumns, gte, inArray, sql } from "drizzle-orm";
import { importBatches, imports, type IMPORT_KINDS, type IMPORT_STATES } from "../../../../db/schema";
import type { DbOrTx, Tx } from "../../../../db/client";

export type ImportKind = (typeof IMPORT_KINDS)[number];
export type ImportState = (typeof IMPORT_STATES)[number];
export type ImportRow = Omit<typeof imports.$inferSelect, "file">;

/** Every column but the file: reading an import's state never loads its upload. */
const { file: _file, ...rowColumns } = getTableColumns(imports);

export async function insertImport(tx: Tx, row: typeof imports.$inferInsert): Promise<void> {
  await tx.insert(imports).values(row);
}

export async function findImport(db: DbOrTx, supplierId: string, id: string): Promise<ImportRow | undefined> {
  const [row] = await db.select(rowColumns).from(imports).where(and(eq(imports.supplierId, supplierId), eq(imports.id, id)));
  return row;
}

/**
 * Starts (or resumes) a run: counts the attempt and hands over the file, unless the import has
 * ended. Locks nothing beyond this statement; batches lock the row one at a time.
 */
export async function startRun(db: DbOrTx, id: string): Promise<(ImportRow & { file: Buffer }) | undefined> {
  const [row] = await db
    .update(imports)
    .set({ state: "running", attempts: sql`${imports.attempts} + 1`, startedAt: sql`coalesce(${imports.startedAt}, now())` })
    .where(and(eq(imports.id, id), inArray(imports.state, ["queued", "running"])))
    .returning();
  return row && row.file ? { ...row, file: row.file } : undefined;
}

/** Locks a running import's row for the caller's transaction and answers how many batches it has committed. */
export async function lockRunning(tx: Tx, id: string): Promise<number | undefined> {
  const [row] = await tx
    .select({ batches: imports.batches })
    .from(imports)
    .where(and(eq(imports.id, id), eq(imports.state, "running")))
    .for("update");
  return row?.batches;
}

/** Stores a batch's part of the report and moves the cursor past it, in the batch's transaction. */
export async function saveBatch(tx: Tx, id: string, batch: number, report: unknown, processed: number): Promise<void> {
  await saveBatchPart(tx, id, batch, report);
  await moveCursor(tx, id, batch + 1, processed);
}

export async function saveBatchPart(tx: DbOrTx, id: string, batch: number, report: unknown, options: { replace?: boolean } = {}): Promise<void> {
  const insert = tx.insert(importBatches).values({ importId: id, batch, report });
  // A dry run saves its parts outside its (rolled-back) transaction: its retry writes them again.
  await (options.replace ? insert.onConflictDoUpdate({ target: [importBatches.importId, importBatches.batch], set: { report } }) : insert);
}

export async function moveCursor(tx: Tx, id: string, batches: number, processed: number): Promise<void> {
  await tx.update(imports).set({ batches, processed }).where(eq(imports.id, id));
}

/**
 * Serialises the runs of one import for the caller's transaction without locking its row (an
 * all-or-nothing run writes its progress to the row from another connection); answers the
 * committed batches of a running import.
 */
export async function lockImportRun(tx: Tx, id: string): Promise<number | undefined> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`import:${id}`}, 0))`);
  const [row] = await tx.select({ batches: imports.batches }).from(imports).where(and(eq(imports.id, id), eq(imports.state, "running")));
  return row?.batches;
}

export async function setProgress(db: DbOrTx, id: string, progress: { processed: number; total?: number }): Promise<void> {
  await db.update(imports).set(progress).where(and(eq(imports.id, id), eq(imports.state, "running")));
}

/** The parts of batches `from` to `from + count - 1` (those that exist), in order, with their numbers. */
export async function batchReportsFrom(db: DbOrTx, id: string, from: number, count: number): Promise<{ batch: number; report: unknown }[]> {
  return db
    .select({ batch: importBatches.batch, report: importBatches.report })
    .from(importBatches)
    .where(and(eq(importBatches.importId, id), gte(importBatches.batch, from)))
    .orderBy(asc(importBatches.batch))
    .limit(count);
}

/** The number of the first part from batch `from` on, without reading it; undefined when there is none. */
export async function nextBatchPart(db: DbOrTx, id: string, from: number): Promise<number | undefined> {
  const [row] = await db
    .select({ batch: importBatches.batch })
    .from(importBatches)
    .where(and(eq(importBatches.importId, id), gte(importBatches.batch, from)))
    .orderBy(asc(importBatches.batch))
    .limit(1);
  return row?.batch;
}

/** The committed batches' parts of the report, in order, one read at a time: a large import's parts never sit in memory together. */
export async function* batchReports(db: DbOrTx, id: string): AsyncGenerator<unknown> {
  for (let from = 0; ; ) {
    const [row] = await batchReportsFrom(db, id, from, 1);
    if (!row) return;
    yield row.report;
    from = row.batch + 1;
  }
}

/**
 * Ends the import (under the caller's lock): its answer kept, its file dropped, and its batch
 * parts too unless the kind pages its full report from them (`keepParts`).
 */
export async function finishImport(
  tx: Tx,
  id: string,
  end: { state: "succeeded" | "failed"; report: unknown; problem: unknown; keepParts?: boolean },
): Promise<void> {
  await tx
    .update(imports)
    .set({ state: end.state, report: end.report, problem: end.problem, file: null, finishedAt: sql`now()` })
    .where(eq(imports.id, id));
  if (!end.keepParts) await tx.delete(importBatches).where(eq(importBatches.importId, id));
}

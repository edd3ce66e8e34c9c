// The imports and import_batches tables: a large upload, its progress, and each committed batch's
// part of the report. The rules (who may run an import, when it ends) are ../imports.server's.
import { and, asc, eq, getTableColumns, inArray, sql } from "drizzle-orm";
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

export async function saveBatchPart(tx: Tx, id: string, batch: number, report: unknown): Promise<void> {
  await tx.insert(importBatches).values({ importId: id, batch, report });
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

/** The committed batches' parts of the report, in order. */
export async function batchReports(db: DbOrTx, id: string): Promise<unknown[]> {
  const rows = await db.select({ report: importBatches.report }).from(importBatches).where(eq(importBatches.importId, id)).orderBy(asc(importBatches.batch));
  return rows.map((row) => row.report);
}

/** Ends the import (under the caller's lock): its answer kept, its file and batch parts dropped. */
export async function finishImport(
  tx: Tx,
  id: string,
  end: { state: "succeeded" | "failed"; report: unknown; problem: unknown },
): Promise<void> {
  await tx
    .update(imports)
    .set({ state: end.state, report: end.report, problem: end.problem, file: null, finishedAt: sql`now()` })
    .where(eq(imports.id, id));
  await tx.delete(importBatches).where(eq(importBatches.importId, id));
}

import { pgTable, text, timestamp, integer, customType, index, jsonb, primaryKey } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { suppliers } from "./suppliers";

const bytea = customType<{ data: Buffer }>({ dataType: () => "bytea" });

export const IMPORT_KINDS = ["invoices_csv", "bank_file"] as const;
export const IMPORT_STATES = ["queued", "running", "succeeded", "failed"] as const;

/**
 * A large upload booked by a job (app/platform/imports/): the file is kept here, in PostgreSQL,
 * until the import ends, so a worker on any host can run or resume it.
 */
export const imports = pgTable(
  "imports",
  {
    id: text("id").primaryKey(), // imp_…
    supplierId: text("supplier_id").notNull().references(() => suppliers.id),
    kind: text("kind", { enum: IMPORT_KINDS }).notNull(),
    state: text("state", { enum: IMPORT_STATES }).notNull().default("queued"),
    /** The kind's options as the request gave them (dry_run, all_or_nothing …). */
    options: jsonb("options").notNull().default(sql`'{}'::jsonb`),
    /** Cleared when the import ends: nothing else reads it. */
    file: bytea("file"),
    fileSha256: text("file_sha256").notNull(),
    fileBytes: integer("file_bytes").notNull(),
    /** Units (invoices, payments) done and in the file; total is null until the file is read. */
    processed: integer("processed").notNull().default(0),
    total: integer("total"),
    /** Batches committed: their parts of the report are in import_batches; a re-run starts after them. */
    batches: integer("batches").notNull().default(0),
    attempts: integer("attempts").notNull().default(0),
    report: jsonb("report"),
    problem: jsonb("problem"),
    /** The request's Idempotency-Key: a failed import frees it, so the fixed file can be sent with it. */
    idempotencyKey: text("idempotency_key"),
    /** The audit actor who started it: { actor, actorId, ip, userAgent }. */
    actor: jsonb("actor").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (table) => [index("imports_supplier_created_idx").on(table.supplierId, table.createdAt)],
);

/** The report of each committed batch of a running import, written in the batch's own transaction. */
export const importBatches = pgTable(
  "import_batches",
  {
    importId: text("import_id").notNull().references(() => imports.id, { onDelete: "cascade" }),
    batch: integer("batch").notNull(),
    report: jsonb("report").notNull(),
  },
  (table) => [primaryKey({ columns: [table.importId, table.batch] })],
);

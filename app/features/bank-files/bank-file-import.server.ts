// Imports a bank reconciliation file (BgMax from Bankgirot, camt.054 from a bank) for one supplier,
// as an import job (app/platform/imports/): the request only recognises the format and stores the
// file; the job parses it, refuses what must not be booked (a broken file, a test file, another
// account's file) before touching the ledger, then books it a batch of payments at a time. Each
// batch is one transaction holding the supplier's import lock, with its part of the report and
// the import's cursor: a run that dies is resumed after the last committed batch, and every
// payment is booked once (the bank's transaction id is checked before booking, too). The audit
// event is written with the import's end. A dry run books in one transaction that is rolled back.
import { createHash } from "node:crypto";
import { z } from "zod";
import type { Db } from "../../../db/client";
import type { BankFile, BankFileResult, BankPayment } from "~/domain/bank-file";
import { readBgMax } from "~/domain/bgmax";
import { parseCamt054 } from "~/domain/camt054";
import { lockBankImports } from "~/features/bank-files/db/bank-imports.server";
import { actorColumns, appendEvent, type Actor } from "~/platform/audit/db/events.server";
import { getSupplier, type Supplier } from "~/features/suppliers/db/suppliers.server";
import { bookBankFile, FLAG_KINDS, type BankFileFlag, type BookingResult, type FlagKind } from "~/features/bank-files/bank-file-booking.server";
import { queueUnbookedPayments } from "~/features/bank-files/unapplied-queue.server";
import { startImport, yieldToEventLoop, type ImportOutcome, type ImportRow, type ImportRun } from "~/platform/imports/imports.server";
import type { Keyed } from "~/api/idempotency.server";
import { invalid, type ProblemBody } from "~/api/problem.server";

export type BankFileReport = {
  format: BankFile["format"];
  account: { bankgiro: string | null; iban: string | null };
  created_at: string | null;
  test: boolean;
  dry_run: boolean;
  /** Entries in the file: payments and deductions. */
  payments: number;
  /** Flags of each kind in the whole file; `flags` holds at most REPORT_SAMPLE of each. */
  flag_counts: Record<FlagKind, number>;
  /** True when `items` and `flags` hold every entry and flag; else the rest is paged (GET /api/v1/imports/{id}/items). */
  complete: boolean;
} & BookingResult;

/**
 * Items, and flags of each kind, the report holds itself: a day's file is reported whole, and a
 * file of 100,000 payments does not become a 100 MB answer held in memory. Every item and flag
 * stays in its batch's part (kept with the import) and is paged from there (bankFileReportPage).
 */
export const REPORT_SAMPLE = 1000;

export type StartBankFileImport = {
  supplierId: string;
  bytes: Uint8Array;
  actor: Actor;
  idempotencyKey?: string;
  /** Parse, match and book in a transaction that is rolled back: the report of a real run, nothing kept. */
  dryRun?: boolean;
};

/** Payments per batch: one transaction, one progress step, a few set-based statements (bench/bank-files.ts). */
const BATCH_PAYMENTS = 2000;

/** The API's and the CLI's limit: the camt.054 parser's own, and far above a year of BgMax files. */
export const MAX_BANK_FILE_BYTES = 20 * 1024 * 1024;
/** BgMax arrives as text/plain, camt.054 as XML; a file saved and re-sent may be octet-stream. */
export const BANK_FILE_CONTENT_TYPES = ["text/plain", "application/xml", "text/xml", "application/octet-stream"] as const;

/** `POST /api/v1/bank-files?dry_run=` */
export const bankFileQuerySchema = z
  .object({
    dry_run: z.enum(["true", "false"], { message: "dry_run must be true or false" }).transform((value) => value === "true").optional(),
  })
  .strict();

const refused = (field: string, message: string, detail = "The bank file was not imported; nothing was booked."): ProblemBody =>
  invalid([{ field, message }], detail);

/** Strips a UTF-8 byte-order mark and leading blank lines, which some banks' exports carry. */
function firstText(bytes: Uint8Array): string {
  return Buffer.from(bytes.subarray(0, 64)).toString("latin1").replace(/^\u00ef\u00bb\u00bf/, "").trimStart();
}

/** BgMax by its start record; anything that looks like XML is given to the camt.054 parser. */
export function detectBankFormat(bytes: Uint8Array): BankFile["format"] | null {
  const start = firstText(bytes);
  if (start.startsWith("01BGMAX")) return "bgmax";
  if (start.startsWith("<")) return "camt054";
  return null;
}

const bankgiroDigits = (value: string | null) => (value ? value.replace(/\D/g, "").replace(/^0+/, "") : "");
const compactIban = (value: string | null) => (value ? value.replace(/\s+/g, "").toUpperCase() : "");

/** The file's account must be the supplier's: bankgiro compared as digits (a dash, zero-fill aside), or the IBAN. */
export function isSuppliersAccount(account: BankFile["account"], supplier: Pick<Supplier, "bankgiro" | "iban">): boolean {
  const bankgiro = bankgiroDigits(account.bankgiro);
  const iban = compactIban(account.iban);
  return (bankgiro !== "" && bankgiro === bankgiroDigits(supplier.bankgiro)) || (iban !== "" && iban === compactIban(supplier.iban));
}

const describeAccount = (account: { bankgiro: string | null; iban: string | null }) =>
  [account.bankgiro && `bankgiro ${account.bankgiro}`, account.iban && `IBAN ${account.iban}`].filter(Boolean).join(", ") || "no account";

/**
 * A checked file without its payments, their count, and a way to read them (again) in order.
 * BgMax is read record by record both times, so memory holds one payment group and one batch,
 * not the file's payments; camt.054 stays parsed (its XML is read whole, bounded by the 20 MB limit).
 */
type CheckedFile = { file: BankFile; count: number; payments: () => Iterable<BankPayment> };

/** Reads the whole file to check it, keeping none of its payments but their count. */
function scanBankFile(bytes: Uint8Array): { result: BankFileResult; count: number; payments: () => Iterable<BankPayment> } | null {
  const format = detectBankFormat(bytes);
  if (format === null) return null;
  if (format === "camt054") {
    const result = parseCamt054(bytes);
    const payments = result.ok ? result.file.payments : [];
    return { result, count: payments.length, payments: () => payments };
  }
  // Streamed both times: the check notes each section's date, so the booking read never holds a section (bgmax.ts ReadOptions).
  const sectionDates = new Map<number, string>();
  const reading = readBgMax(bytes, undefined, { sectionDates });
  let count = 0;
  for (let next = reading.next(); ; next = reading.next()) {
    if (next.done) return { result: next.value, count, payments: () => ({ [Symbol.iterator]: () => readBgMax(bytes, undefined, { sectionDates }) }) };
    count += 1;
  }
}

/** Everything that is wrong with the file itself, before any booking: a 422 naming the line or entry. */
function checkFile(bytes: Uint8Array, supplier: Supplier, dryRun: boolean): { ok: true; checked: CheckedFile } | { ok: false; problem: ProblemBody } {
  const scanned = scanBankFile(bytes);
  if (scanned === null) return { ok: false, problem: refused("file", "not a BgMax or camt.054 file") };
  const parsed = scanned.result;
  if (parsed === null) return { ok: false, problem: refused("file", "not a BgMax or camt.054 file") };
  if (!parsed.ok) {
    return {
      ok: false,
      problem: invalid(
        parsed.errors.map((error) => ({ field: error.position, message: error.message })),
        "The bank file is invalid; nothing was booked. See errors for each line or entry.",
      ),
    };
  }
  const file = { ...parsed.file, payments: [] };
  if (file.test && !dryRun) {
    return { ok: false, problem: refused("file", "this is a test file (BgMax T): it would book money that never arrived; import it with dry_run only") };
  }
  if (!isSuppliersAccount(file.account, supplier)) {
    return {
      ok: false,
      problem: refused("account", `the file is for ${describeAccount(file.account)}, not this supplier's account (${describeAccount(supplier)})`),
    };
  }
  return { ok: true, checked: { file, count: scanned.count, payments: scanned.payments } };
}

/** The payments in batches of `size` with how many are done after each, from batch `from` on. */
function* batchesOf(payments: Iterable<BankPayment>, size: number, from: number): Generator<{ payments: BankPayment[]; processed: number }> {
  let batch: BankPayment[] = [];
  let index = 0;
  let processed = 0;
  for (const payment of payments) {
    processed += 1;
    if (index++ < from * size) continue;
    batch.push(payment);
    if (batch.length === size) {
      yield { payments: batch, processed };
      batch = [];
    }
  }
  if (batch.length > 0) yield { payments: batch, processed };
}

/** Thrown to roll a dry run back after its report is built. */
class DryRunDone extends Error {}

const emptyReport = (file: BankFile, count: number, dryRun: boolean): BankFileReport => ({
  format: file.format,
  account: file.account,
  created_at: file.createdAt,
  test: file.test,
  dry_run: dryRun,
  payments: count,
  booked: 0,
  already_imported: 0,
  amount_booked: {},
  flags: Object.fromEntries(FLAG_KINDS.map((kind) => [kind, [] as BankFileFlag[]])) as Record<FlagKind, BankFileFlag[]>,
  items: [],
  flag_counts: Object.fromEntries(FLAG_KINDS.map((kind) => [kind, 0])) as Record<FlagKind, number>,
  complete: true,
});

/** Adds a batch's part: its counts in full, its items and flags while the report has room for them. */
function merge(report: BankFileReport, part: BookingResult): void {
  report.booked += part.booked;
  report.already_imported += part.already_imported;
  for (const [currency, amount] of Object.entries(part.amount_booked)) report.amount_booked[currency] = (report.amount_booked[currency] ?? 0) + amount;
  for (const kind of FLAG_KINDS) {
    report.flag_counts[kind] += part.flags[kind].length;
    report.flags[kind].push(...part.flags[kind].slice(0, REPORT_SAMPLE - report.flags[kind].length));
    if (report.flags[kind].length < report.flag_counts[kind]) report.complete = false;
  }
  const room = REPORT_SAMPLE - report.items.length;
  report.items.push(...part.items.slice(0, room));
  if (part.items.length > room) report.complete = false;
}

/** The import job's runner for `bank_file`. */
export async function runBankFileImport(run: ImportRun): Promise<ImportOutcome> {
  const { supplierId, services } = run;
  const dryRun = run.options.dry_run === true;
  const now = services.now?.() ?? new Date();
  const supplier = await getSupplier(services.db, supplierId);
  if (!supplier) return { ok: false, problem: { status: 404, title: "Not found", detail: "Supplier not found." } };
  const checking = checkFile(run.file, supplier, dryRun);
  if (!checking.ok) return checking;
  const { file, count, payments } = checking.checked;
  const report = emptyReport(file, count, dryRun);
  const size = run.batchSize(BATCH_PAYMENTS);
  // Read as they are booked: one batch of payments in memory at a time.
  function* slices(from: number) {
    for (const batch of batchesOf(payments(), size, from)) yield { file: { ...file, payments: batch.payments }, first: batch.processed - batch.payments.length, processed: batch.processed };
  }
  await run.progress(Math.min(run.committed * size, count), count);

  if (dryRun) {
    // The real booking, rolled back: the flags (under- and over-payments) are the ledger's own.
    try {
      await services.db.transaction(async (tx) => {
        await lockBankImports(tx, supplierId);
        let batch = 0;
        for (const slice of slices(0)) {
          // Nothing is queued for a person: the dry run keeps nothing but its report (the parts are paged like a real run's).
          const part = await bookBankFile(tx, { supplierId, file: slice.file, now });
          merge(report, part);
          await run.savePart(batch++, part);
          await run.progress(slice.processed);
          await yieldToEventLoop();
        }
        throw new DryRunDone();
      });
    } catch (error) {
      if (!(error instanceof DryRunDone)) throw error;
    }
    return { ok: true, report, keepParts: true };
  }

  for (const slice of slices(run.committed)) {
    await run.batch(async (tx) => {
      // Imports of one supplier book one batch at a time: a payment in two files is booked by one.
      await lockBankImports(tx, supplierId);
      const part = await bookBankFile(tx, { supplierId, file: slice.file, now });
      // What could not be booked waits for a person, in the same transaction as the batch.
      await queueUnbookedPayments(tx, { supplierId, importId: run.id, format: file.format, payments: slice.file.payments, part, now, firstIndex: slice.first });
      return { part, processed: slice.processed };
    });
  }
  // A part at a time: the report keeps the counts and the first items and flags, never the whole file's.
  for await (const part of run.parts()) merge(report, part as BookingResult);
  const sha256 = createHash("sha256").update(run.file).digest("hex");
  return {
    ok: true,
    report,
    keepParts: true,
    onCommit: (tx) =>
      appendEvent(tx, {
        supplierId,
        type: "bank_file.imported",
        ...actorColumns(run.actor),
        data: {
          format: file.format,
          account: file.account,
          file_sha256: sha256,
          payments: report.payments,
          booked: report.booked,
          already_imported: report.already_imported,
          amount_booked: report.amount_booked,
          flags: FLAG_KINDS.reduce((sum, kind) => sum + report.flag_counts[kind], 0),
        },
      }),
  };
}

/**
 * Stores the file and queues its import (POST /api/v1/bank-files, the CLI): the import (202),
 * or the problem of what is cheap to see now (no supplier, not a bank file, a reused key).
 */
export async function startBankFileImport(db: Db, params: StartBankFileImport): Promise<Keyed<ImportRow>> {
  if (!(await getSupplier(db, params.supplierId))) return { ok: false, problem: { status: 404, title: "Not found", detail: "Supplier not found." } };
  if (detectBankFormat(params.bytes) === null) return { ok: false, problem: refused("file", "not a BgMax or camt.054 file") };
  return startImport(db, {
    supplierId: params.supplierId,
    kind: "bank_file",
    file: params.bytes,
    options: { dry_run: params.dryRun ?? false },
    actor: params.actor,
    ...(params.idempotencyKey === undefined ? {} : { idempotencyKey: params.idempotencyKey }),
    route: "POST /api/v1/bank-files",
  });
}

// Imports a bank reconciliation file (BgMax from Bankgirot, camt.054 from a bank) for one supplier:
// recognise and parse it, refuse what must not be booked (a broken file, a test file, another
// account's file) before touching the database, then book it in ONE transaction (all or nothing)
// with its audit event. The API route and the CLI both call importBankFile.
import { createHash } from "node:crypto";
import { z } from "zod";
import type { Db, Tx } from "../../../db/client";
import type { BankFile, BankFileResult } from "~/domain/bank-file";
import { parseBgMax } from "~/domain/bgmax";
import { parseCamt054 } from "~/domain/camt054";
import { lockBankImports } from "~/features/bank-files/db/bank-imports.server";
import { actorColumns, appendEvent, type Actor } from "~/platform/audit/db/events.server";
import { getSupplier, type Supplier } from "~/features/suppliers/db/suppliers.server";
import { bookBankFile, FLAG_KINDS, type BookingResult } from "~/features/bank-files/bank-file-booking.server";
import { runIdempotent, type Keyed } from "~/api/idempotency.server";
import { invalid, type ProblemBody } from "~/api/problem.server";

export type BankFileReport = {
  format: BankFile["format"];
  account: { bankgiro: string | null; iban: string | null };
  created_at: string | null;
  test: boolean;
  dry_run: boolean;
  /** Entries in the file: payments and deductions. */
  payments: number;
} & BookingResult;

export type ImportBankFileParams = {
  supplierId: string;
  bytes: Uint8Array;
  actor: Actor;
  idempotencyKey?: string;
  /** Parse, match and book in a transaction that is rolled back: the report of a real run, nothing kept. */
  dryRun?: boolean;
  now?: Date;
};

const ROUTE = "POST /api/v1/bank-files";

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

export function parseBankFile(bytes: Uint8Array): BankFileResult | null {
  const format = detectBankFormat(bytes);
  if (format === null) return null;
  return format === "bgmax" ? parseBgMax(bytes) : parseCamt054(bytes);
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

/** Everything that is wrong with the file itself, before any booking: a 422 naming the line or entry. */
function checkFile(bytes: Uint8Array, supplier: Supplier, dryRun: boolean): { ok: true; file: BankFile } | { ok: false; problem: ProblemBody } {
  const parsed = parseBankFile(bytes);
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
  const { file } = parsed;
  if (file.test && !dryRun) {
    return { ok: false, problem: refused("file", "this is a test file (BgMax T): it would book money that never arrived; import it with dry_run only") };
  }
  if (!isSuppliersAccount(file.account, supplier)) {
    return {
      ok: false,
      problem: refused("account", `the file is for ${describeAccount(file.account)}, not this supplier's account (${describeAccount(supplier)})`),
    };
  }
  return { ok: true, file };
}

/** Thrown to roll a dry run back after its report is built. */
class DryRunDone extends Error {
  constructor(readonly report: BankFileReport) {
    super("dry run");
  }
}

/** The report (201; 200 for a dry run), or the problem (422 invalid file, 404 no supplier, key problems). */
export async function importBankFile(db: Db, params: ImportBankFileParams): Promise<Keyed<BankFileReport>> {
  const { supplierId, bytes, actor } = params;
  const dryRun = params.dryRun ?? false;
  const now = params.now ?? new Date();
  const supplier = await getSupplier(db, supplierId);
  if (!supplier) return { ok: false, problem: { status: 404, title: "Not found", detail: "Supplier not found." } };
  const checked = checkFile(bytes, supplier, dryRun);
  if (!checked.ok) return checked;
  const { file } = checked;
  const sha256 = createHash("sha256").update(bytes).digest("hex");

  const book = async (tx: Tx): Promise<BankFileReport> => {
    await lockBankImports(tx, supplierId);
    const booking = await bookBankFile(tx, { supplierId, file, now });
    const report: BankFileReport = {
      format: file.format,
      account: file.account,
      created_at: file.createdAt,
      test: file.test,
      dry_run: dryRun,
      payments: file.payments.length,
      ...booking,
    };
    await appendEvent(tx, {
      supplierId,
      type: "bank_file.imported",
      ...actorColumns(actor),
      data: {
        format: file.format,
        account: file.account,
        file_sha256: sha256,
        payments: report.payments,
        booked: report.booked,
        already_imported: report.already_imported,
        amount_booked: report.amount_booked,
        flags: FLAG_KINDS.reduce((sum, kind) => sum + report.flags[kind].length, 0),
      },
    });
    return report;
  };

  if (dryRun) {
    // The real booking, rolled back: the flags (under- and over-payments) are the ledger's own.
    try {
      await db.transaction(async (tx) => {
        throw new DryRunDone(await book(tx));
      });
    } catch (error) {
      if (error instanceof DryRunDone) return { ok: true, status: 200, body: error.report, replayed: false };
      throw error;
    }
    throw new Error("unreachable: a dry run always rolls back");
  }
  return db.transaction((tx) =>
    runIdempotent(tx, { supplierId, key: params.idempotencyKey, route: ROUTE, input: { sha256 } }, async () => ({
      status: 201,
      body: await book(tx),
    })),
  );
}

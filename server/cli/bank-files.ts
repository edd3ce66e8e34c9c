// The CLI's bank-file import (`npm run cli -- payments:import-bank-file <file> --supplier <id>`):
// the same import job as POST /api/v1/bank-files, with a summary table and the flags for a terminal.
import { readFileSync, statSync } from "node:fs";
import type { Db } from "../../db/client";
import { getSupplier } from "~/features/suppliers/db/suppliers.server";
import { FLAG_KINDS, moneyText, type FlagKind } from "~/features/bank-files/bank-file-booking.server";
import { bankFileReportEntries, type BankFileReportEntry } from "~/features/bank-files/bank-file-report.server";
import { MAX_BANK_FILE_BYTES, startBankFileImport, type BankFileReport } from "~/features/bank-files/bank-file-import.server";
import type { ProblemBody } from "~/api/problem.server";
import { OPERATOR } from "~/features/suppliers/suppliers.server";
import { CliError, EXIT, fail, jsonOption, noSupplier, print, type Command } from "./support";
import { followImport } from "./imports";

const FORMAT_NAMES: Record<BankFileReport["format"], string> = { bgmax: "BgMax", camt054: "camt.054" };

const flagLine = (kind: string, position: string, invoiceNumber: string | null, message: string) =>
  `  ${kind.padEnd(10)}  ${position.padEnd(22)}  ${(invoiceNumber ?? "-").padEnd(12)}  ${message}`;

/**
 * The summary and every flag, one line each, in the order a person works through them. A large
 * file's report holds the first flags only (`complete` false): `entries` then pages every one.
 */
export async function* reportLines(file: string, report: BankFileReport, entries?: () => AsyncIterable<BankFileReportEntry>): AsyncGenerator<string> {
  const account = [report.account.bankgiro && `bankgiro ${report.account.bankgiro}`, report.account.iban && `IBAN ${report.account.iban}`]
    .filter(Boolean)
    .join(", ");
  const mode = [report.test ? "test file" : "", report.dry_run ? "dry run: nothing was booked" : ""].filter(Boolean).join("; ");
  const booked = Object.entries(report.amount_booked).map(([currency, minor]) => moneyText(minor, currency)).join(", ");
  const count = (kind: FlagKind) => report.flag_counts?.[kind] ?? report.flags[kind].length;
  const flagged = FLAG_KINDS.filter((kind) => count(kind) > 0);
  const rows: [string, number, string][] = [
    ["payments", report.payments, "in the file"],
    [report.dry_run ? "would book" : "booked", report.booked, booked],
    ["already imported", report.already_imported, report.already_imported > 0 ? "booked by an earlier import; not booked again" : ""],
    ...flagged.map((kind): [string, number, string] => [kind, count(kind), ""]),
  ];
  yield `${file}: ${FORMAT_NAMES[report.format]} for ${account || "no account"}${mode ? ` (${mode})` : ""}`;
  for (const [label, number, note] of rows) yield `  ${label.padEnd(17)} ${String(number).padStart(6)}  ${note}`.trimEnd();
  if (flagged.length === 0) return;
  yield "";
  yield `  ${"flag".padEnd(10)}  ${"where".padEnd(22)}  ${"invoice".padEnd(12)}  message`;
  if (report.complete === false && entries) {
    // In file order, each entry's flags together: read a part at a time, never the whole file's.
    for await (const entry of entries()) {
      for (const flag of entry.flag_details) yield flagLine(flag.kind, entry.position, flag.invoice_number, flag.message);
    }
    return;
  }
  for (const kind of flagged) {
    for (const flag of report.flags[kind]) yield flagLine(kind, flag.position, flag.invoice_number, flag.message);
  }
}

export const BANK_FILE_COMMANDS: Record<string, Command> = {
  "payments:import-bank-file": {
    args: ["file"],
    options: { supplier: { type: "string" }, "dry-run": { type: "boolean" }, ...jsonOption },
    usage: "payments:import-bank-file <file> --supplier <id> [--dry-run] [--json]   (BgMax or camt.054; exit 1 when the file is refused)",
    check: (values) => {
      if (typeof values.supplier !== "string") throw new CliError("payments:import-bank-file needs --supplier <supplier_id>", EXIT.usage);
    },
    run: async (db: Db, values, [file]) => {
      const supplierId = String(values.supplier);
      if (!(await getSupplier(db, supplierId))) return noSupplier(supplierId);
      let bytes: Buffer;
      try {
        if (statSync(file!).size > MAX_BANK_FILE_BYTES) return fail(`${file} is larger than ${MAX_BANK_FILE_BYTES} bytes (20 MB)`);
        bytes = readFileSync(file!);
      } catch (error) {
        return fail(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
      const started = await startBankFileImport(db, { supplierId, bytes, actor: OPERATOR, dryRun: values["dry-run"] === true });
      const ended = started.ok ? await followImport(db, started.body, "payments") : undefined;
      const problem = started.ok ? (ended!.problem as ProblemBody | null) : started.problem;
      if (problem) {
        if (values.json) print(problem);
        for (const error of problem.errors ?? []) console.error(`error: ${error.field}: ${error.message}`);
        if (!problem.errors) console.error(`error: ${problem.detail ?? problem.title}`);
        // A refused file books nothing; a run that failed for a reason of ours says what it kept.
        if (problem.status < 500) console.error("Nothing was booked.");
        return EXIT.failed;
      }
      const report = ended!.report as BankFileReport;
      if (values.json) return print(report);
      for await (const line of reportLines(file!, report, () => bankFileReportEntries(db, supplierId, ended!.id))) console.log(line);
      return EXIT.ok;
    },
  },
};

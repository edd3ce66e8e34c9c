// The CSV invoice import (`npm run cli -- invoices:import <file.csv> --supplier <id>`): the same
// import job as POST /api/v1/invoices/import, with a summary table and progress for a terminal.
import { readFileSync } from "node:fs";
import { getSupplier } from "~/features/suppliers/db/suppliers.server";
import { startInvoiceImport, type ImportReport } from "~/features/invoices/import/invoice-import.server";
import { CliError, EXIT, fail, jsonOption as json, noSupplier, print, type Command } from "./support";
import { followImport } from "./imports";

export const INVOICE_COMMANDS: Record<string, Command> = {
  "invoices:import": {
    args: ["file.csv"],
    options: { supplier: { type: "string" }, "all-or-nothing": { type: "boolean" }, "dry-run": { type: "boolean" }, ...json },
    usage: "invoices:import <file.csv> --supplier <id> [--all-or-nothing] [--dry-run] [--json]   (exit 1 when a row is bad; see README for the format)",
    check: (values) => {
      if (typeof values.supplier !== "string") throw new CliError("invoices:import needs --supplier", EXIT.usage);
    },
    run: async (db, values, [file]) => {
      const supplierId = String(values.supplier);
      if (!(await getSupplier(db, supplierId))) return noSupplier(supplierId);
      let csv: Buffer;
      try {
        csv = readFileSync(file!);
      } catch (error) {
        return fail(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
      const started = await startInvoiceImport(db, {
        supplierId,
        csv,
        actor: { actor: "supplier", actorId: null },
        options: { all_or_nothing: values["all-or-nothing"] === true, dry_run: values["dry-run"] === true },
      });
      if (!started.ok) return fail(started.problem.detail ?? started.problem.title);
      const ended = await followImport(db, started.body, "invoices");
      const report = ended.report as ImportReport | null;
      if (!report) return fail(`${(ended.problem as { detail?: string } | null)?.detail ?? "the import failed"} (import ${ended.id})`);
      if (values.json) print(report);
      else printImportReport(file!, report);
      return report.errors.length > 0 ? EXIT.failed : EXIT.ok;
    },
  },
};

function printImportReport(file: string, report: ImportReport) {
  const mode = [report.dry_run ? "dry run" : "", report.all_or_nothing ? "all or nothing" : ""].filter(Boolean).join(", ");
  console.log(`${file}: ${report.invoices} invoice${report.invoices === 1 ? "" : "s"} in the file${mode ? ` (${mode})` : ""}`);
  const rows: [string, number, string][] = [
    [report.dry_run ? "would create" : "created", report.dry_run ? report.would_create.length : report.created.length, ""],
    ["skipped", report.skipped.length, "their number already exists"],
    ["bad rows", new Set(report.errors.map((error) => error.line)).size, report.errors.length > 0 && report.all_or_nothing ? "so nothing was created" : ""],
  ];
  for (const [label, count, note] of rows) console.log(`  ${label.padEnd(12)} ${String(count).padStart(6)}  ${note}`.trimEnd());
  if (report.errors.length > 0) {
    console.log(`\n  ${"line".padStart(6)}  ${"field".padEnd(20)}  message`);
    for (const error of report.errors) console.log(`  ${String(error.line).padStart(6)}  ${error.field.padEnd(20)}  ${error.message}`);
  }
  for (const skipped of report.skipped) console.log(`  line ${skipped.line}: ${skipped.number} exists already (${skipped.id ?? "id unknown"})`);
}

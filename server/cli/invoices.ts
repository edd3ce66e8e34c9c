// The CSV invoice import (`npm run cli -- invoices:import <file.csv> --supplier <id>`): the same
// import job as POST /api/v1/invoices/import, with a summary table and progress for a terminal. And
// the supplier's own invoice PDF (issue #21): uploaded as with PUT /api/v1/invoices/:id/document,
// and written out stamped with the pay-now box as with GET …/document?stamped=true.
import { readFileSync, writeFileSync } from "node:fs";
import { getSupplier } from "~/features/suppliers/db/suppliers.server";
import { startInvoiceImport, type ImportReport } from "~/features/invoices/import/invoice-import.server";
import { SUPPLIER_PDF_REFUSED, uploadSupplierPdf } from "~/features/invoices/supplier-pdf/supplier-pdf.server";
import { supplierDocumentForSupplier } from "~/features/invoices/pdf/invoice-pdf.server";
import { OPERATOR } from "~/features/suppliers/suppliers.server";
import { cliConfig, CliError, EXIT, fail, jsonOption as json, noSupplier, print, type Command } from "./support";
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

const needsSupplier = (command: string) => (values: Record<string, unknown>) => {
  if (typeof values.supplier !== "string") throw new CliError(`${command} needs --supplier`, EXIT.usage);
};

export const INVOICE_PDF_COMMANDS: Record<string, Command> = {
  "invoices:upload-pdf": {
    args: ["invoice_id", "file.pdf"],
    options: { supplier: { type: "string" }, ...json },
    usage: "invoices:upload-pdf <invoice_id> <file.pdf> --supplier <id> [--json]   (the invoice PDF your ERP made, at most 10 MB)",
    check: needsSupplier("invoices:upload-pdf"),
    run: async (db, values, [invoiceId, file]) => {
      let bytes: Buffer;
      try {
        bytes = readFileSync(file!);
      } catch (error) {
        return fail(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
      const result = await uploadSupplierPdf(db, { supplierId: String(values.supplier), invoiceId: invoiceId!, bytes, actor: OPERATOR });
      if (!result.ok) return fail(result.reason === "not_found" ? `The supplier has no invoice ${invoiceId}` : SUPPLIER_PDF_REFUSED[result.reason]);
      if (values.json) return print(result.document);
      console.log(`${result.replaced ? "Replaced" : "Stored"} the PDF of ${invoiceId}: ${result.document.page_count} page(s), ${result.document.byte_size} bytes.`);
      return EXIT.ok;
    },
  },
  "invoices:stamped-pdf": {
    args: ["invoice_id", "out.pdf"],
    options: { supplier: { type: "string" }, lang: { type: "string" } },
    usage: "invoices:stamped-pdf <invoice_id> <out.pdf> --supplier <id> [--lang sv|en]   (the uploaded PDF with the pay-now box)",
    check: (values) => {
      needsSupplier("invoices:stamped-pdf")(values);
      if (values.lang !== undefined && values.lang !== "sv" && values.lang !== "en") throw new CliError("--lang must be sv or en", EXIT.usage);
    },
    run: async (db, values, [invoiceId, out]) => {
      const result = await supplierDocumentForSupplier(db, cliConfig(), {
        supplierId: String(values.supplier), invoiceId: invoiceId!, stamped: true,
        ...(values.lang === "sv" || values.lang === "en" ? { locale: values.lang } : {}),
      });
      if (!result.ok) return fail(result.reason === "not_found" ? `The supplier has no invoice ${invoiceId}` : `No PDF was uploaded for ${invoiceId}`);
      writeFileSync(out!, result.pdf.content);
      console.log(`Wrote ${out} (pay-now box: ${result.placement.replace(/_/g, " ")}).`);
      return EXIT.ok;
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

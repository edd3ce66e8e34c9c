// Imports (a CSV of invoices, a bank file) as a client sees them: the POST answers 202 with the
// import's Location; the worker runs the job; GET on the Location answers the import's report.
import type { AppLoadContext } from "@remix-run/node";
import { expect } from "vitest";
import type { ProblemBody } from "~/api/problem.server";
import { drainJobs } from "~/platform/jobs/queue.server";
import { IMPORT_RUN_JOB } from "~/platform/imports/imports.server";
import { loader as getImportRoute } from "~/routes/api.v1.imports.$id";
import { callRoute } from "./context";

export type ImportView<Report> = {
  id: string;
  kind: "invoices_csv" | "bank_file";
  state: "queued" | "running" | "succeeded" | "failed";
  options: Record<string, unknown>;
  progress: { processed: number; total: number | null };
  report: Report | null;
  problem: ProblemBody | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
};

/** Runs every queued import, as a worker does. */
export const runImports = (context: AppLoadContext) => drainJobs(context.app, { names: [IMPORT_RUN_JOB] });

/** GET /api/v1/imports/{id} with the caller's headers. */
export async function readImport<Report>(context: AppLoadContext, location: string, headers: Record<string, string>): Promise<ImportView<Report>> {
  const read = await callRoute(getImportRoute, context, { path: location, params: { id: location.split("/").pop()! }, headers });
  expect(read.status).toBe(200);
  return (await read.json()) as ImportView<Report>;
}

/**
 * The POST's answer and, when it was accepted (202, with its Location), the import after the
 * worker has run it: `done.report`, or `done.problem` for a failed import.
 */
export async function afterImport<Report>(
  context: AppLoadContext,
  response: Response,
  headers: Record<string, string>,
): Promise<{ response: Response; done?: ImportView<Report> }> {
  if (response.status !== 202) return { response };
  const location = response.headers.get("location");
  expect(location).toMatch(/^\/api\/v1\/imports\/imp_\w+$/);
  await runImports(context);
  return { response, done: await readImport<Report>(context, location!, headers) };
}

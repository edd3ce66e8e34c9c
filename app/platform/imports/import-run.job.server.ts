// `import.run`: runs (or resumes after a crash) one import. Running it twice books nothing twice:
// see imports.server for the batch cursor.
import { z } from "zod";
import { defineJob } from "~/platform/jobs/registry.server";
import { IMPORT_RETRY_LIMIT, IMPORT_RUN_JOB, runImport } from "~/platform/imports/imports.server";

export const importRunJob = defineJob({
  name: IMPORT_RUN_JOB,
  schema: z.object({ importId: z.string() }),
  retryLimit: IMPORT_RETRY_LIMIT,
  retryDelay: 5,
  handle: ({ importId }, services) => runImport(services, importId),
});

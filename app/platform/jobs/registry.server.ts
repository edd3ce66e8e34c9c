// The job registry: what a job is, and the list of jobs the workers run. It knows no feature:
// each feature defines its jobs in its own modules, and the composition root (server/jobs.ts)
// registers them all, so the queue never imports a use case back (no import cycle).
import type { ZodType, ZodTypeDef } from "zod";
import type { AppServices } from "~/platform/context";

export type RetryPolicy = { retryLimit?: number; retryDelay?: number; retryBackoff?: boolean };

export type JobDefinition<T> = RetryPolicy & {
  name: string;
  schema: ZodType<T, ZodTypeDef, unknown>;
  handle: (payload: T, services: AppServices) => Promise<void>;
  /** A cron expression (UTC) when the job also runs on a schedule, with an empty payload. */
  cron?: string;
};

export function defineJob<T>(definition: JobDefinition<T>): JobDefinition<T> {
  return definition;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a list of jobs of different payload types
export type AnyJob = JobDefinition<any>;

const registry = new Map<string, AnyJob>();

/** Adds jobs to the list the workers run; registering the same definition twice is a no-op. */
export function registerJobs(definitions: readonly AnyJob[]): void {
  for (const definition of definitions) {
    const known = registry.get(definition.name);
    if (known && known !== definition) throw new Error(`Two jobs are named "${definition.name}"`);
    registry.set(definition.name, definition);
  }
}

/** Every registered job; an empty registry is a wiring error (server/jobs.ts was never imported). */
export function registeredJobs(): AnyJob[] {
  if (registry.size === 0) throw new Error("No jobs are registered: import server/jobs.ts at the entry point");
  return [...registry.values()];
}

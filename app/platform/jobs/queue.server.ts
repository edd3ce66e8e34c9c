// The job queue: pg-boss 10 in our own database. Jobs are enqueued inside the caller's
// transaction (committed or rolled back with the change that causes them, security J1), and
// every handler is idempotent because a queue may run a job twice (J2).
import PgBoss from "pg-boss";
import type postgres from "postgres";
import type { AppServices } from "~/platform/context";
import type { JobTuning } from "~/platform/config.server";
import type { Db, DbOrTx } from "../../../db/client";
import { registeredJobs, type AnyJob, type RetryPolicy } from "./registry.server";
import { jobDuration } from "~/platform/metrics/counters.server";

export const JOB_SCHEMA = "pgboss";

export type JobOptions = RetryPolicy & { singletonKey?: string; startAfter?: Date };

/** The postgres.js connection behind a drizzle database or transaction. */
function clientOf(db: DbOrTx): postgres.Sql {
  if ("$client" in db) return (db as Db).$client;
  return (db as unknown as { session: { client: postgres.Sql } }).session.client;
}

/** Lets pg-boss run its INSERT on our connection, i.e. inside our transaction. */
function executorFor(db: DbOrTx): PgBoss.Db {
  const client = clientOf(db);
  return {
    executeSql: async (text, values) => {
      // drizzle passes JSON through untouched on this client, so objects are sent as JSON text;
      // pg (pg-boss's own driver) sends undefined as NULL, postgres.js refuses it.
      const params = values.map((value: unknown) =>
        value === undefined
          ? null
          : value !== null && typeof value === "object" && !(value instanceof Date) && !Array.isArray(value)
            ? JSON.stringify(value)
            : value,
      );
      return { rows: await client.unsafe(text, params as postgres.ParameterOrJSON<never>[]) };
    },
  };
}

// Builds the INSERT statements only; it never connects (sends go through executorFor).
let sender: PgBoss | undefined;
function jobSender(): PgBoss {
  sender ??= new PgBoss({ connectionString: "postgres://unused", schema: JOB_SCHEMA });
  return sender;
}

export async function enqueueJob(
  db: DbOrTx,
  name: string,
  payload: Record<string, unknown>,
  options: JobOptions = {},
): Promise<void> {
  const id = await jobSender().send(name, payload, { ...options, db: executorFor(db) });
  // pg-boss answers null when the queue does not exist: that is a deployment error, not a no-op.
  if (id === null && !options.singletonKey) throw new Error(`Job queue "${name}" does not exist: run the migrations`);
}

/**
 * Queues one job per payload in one statement (pg-boss's batch insert), in the caller's
 * transaction: for set-based producers such as the reminder evaluation.
 */
export async function enqueueJobs(
  db: DbOrTx,
  name: string,
  payloads: readonly Record<string, unknown>[],
  /** When each job may run (by its index); throttled producers spread their jobs out with it. */
  startAfter?: (index: number) => Date,
  /** Each job's singleton key (by its index), as enqueueJob's option: a second job with it is not added. */
  singletonKey?: (index: number) => string,
): Promise<void> {
  if (payloads.length === 0) return;
  // pg-boss skips jobs of a queue that does not exist without a word: check first, loudly.
  const [queue] = await clientOf(db).unsafe(`select 1 from ${JOB_SCHEMA}.queue where name = $1`, [name]);
  if (!queue) throw new Error(`Job queue "${name}" does not exist: run the migrations`);
  const jobs = payloads.map((data, index) => ({
    name,
    data,
    ...(startAfter ? { startAfter: startAfter(index) } : {}),
    ...(singletonKey ? { singletonKey: singletonKey(index) } : {}),
  }));
  await jobSender().insert(jobs, { db: executorFor(db) });
}

function parseData(data: unknown): unknown {
  // This connection leaves JSON as text (drizzle's setting); pg-boss's own pool parses it.
  return typeof data === "string" ? JSON.parse(data) : data;
}

async function runJob(definition: AnyJob, job: PgBoss.Job<unknown>, services: AppServices, db: PgBoss.Db) {
  const parsed = definition.schema.safeParse(parseData(job.data));
  const timer = jobDuration.startTimer({ queue: definition.name });
  try {
    if (!parsed.success) throw new Error(`invalid payload: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
    await definition.handle(parsed.data, services);
    await jobSender().complete(definition.name, job.id, {}, { db });
    timer({ outcome: "completed" });
  } catch (error) {
    timer({ outcome: "failed" });
    services.log.warn({ job: definition.name, jobId: job.id, err: error }, "job failed; pg-boss retries it per its policy");
    await jobSender().fail(definition.name, job.id, { message: (error as Error).message }, { db });
  }
}

/**
 * Runs every due job until none is left (SKIP LOCKED, so any number of workers may drain at
 * once). Deterministic for tests and operators: no polling, no sleeps. Returns the jobs run.
 */
export async function drainJobs(
  services: AppServices,
  options: { names?: string[]; jobs?: AnyJob[] } = {},
): Promise<number> {
  const selected = (options.jobs ?? registeredJobs()).filter((job) => !options.names || options.names.includes(job.name));
  const db = executorFor(services.db);
  let ran = 0;
  for (;;) {
    let fetched = 0;
    for (const definition of selected) {
      const batch = (await jobSender().fetch<unknown>(definition.name, { batchSize: 10, db })) ?? [];
      fetched += batch.length;
      for (const job of batch) await runJob(definition, job, services, db);
    }
    ran += fetched;
    if (fetched === 0) return ran;
  }
}

/**
 * True while pg-boss's schema answers (its version table is readable) within the timeout: the
 * readiness probe's second half, so a database restored without the queue is not "ready".
 */
export async function isJobQueueReady(sql: postgres.Sql, timeoutMs = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([sql.unsafe(`select version from ${JOB_SCHEMA}.version`).then((rows) => rows.length === 1), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** Creates pg-boss's schema and one queue per job type (part of the migrations). */
export async function installJobQueues(databaseUrl: string, definitions?: AnyJob[], tuning?: JobTuning): Promise<void> {
  const list = definitions ?? registeredJobs();
  const boss = new PgBoss({ connectionString: databaseUrl, schema: JOB_SCHEMA, max: 1, supervise: false, schedule: false });
  boss.on("error", () => {}); // start() rejects with the same error
  await boss.start();
  try {
    const existing = new Set((await boss.getQueues()).map((queue) => queue.name));
    for (const job of list) {
      const retryDelay = Math.min(job.retryDelay ?? 30, tuning?.retryDelayMaxSeconds ?? Infinity);
      const policy = {
        retryLimit: job.retryLimit ?? 3,
        retryDelay,
        retryBackoff: job.retryBackoff ?? true,
        ...(tuning ? { expireInSeconds: tuning.expireSeconds } : {}),
      };
      if (existing.has(job.name)) await boss.updateQueue(job.name, { name: job.name, ...policy });
      else await boss.createQueue(job.name, { name: job.name, ...policy });
    }
  } finally {
    await boss.stop({ graceful: false, wait: true });
  }
}

/**
 * The worker: pg-boss's maintenance (expiring jobs of a worker that died, so they are retried),
 * its cron (every registered job that names one, such as the reminder evaluation) and a loop
 * that drains the queues. Runs in the web process unless WORKER=off.
 */
export async function startJobs(services: AppServices, databaseUrl: string, intervalMs = 1000) {
  const boss = new PgBoss({
    connectionString: databaseUrl,
    schema: JOB_SCHEMA,
    max: 2,
    migrate: false,
    maintenanceIntervalSeconds: services.config.jobs.maintenanceSeconds,
  });
  boss.on("error", (error) => services.log.error({ err: error }, "job queue error"));
  await boss.start();
  // Upserted on every start; pg-boss sends each cron tick once however many workers run.
  for (const job of registeredJobs()) {
    if (job.cron) await boss.schedule(job.name, job.cron, {}, { tz: "UTC" });
  }
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const tick = async () => {
    if (stopped) return;
    running = drainJobs(services).catch((error) => services.log.error({ err: error }, "draining jobs failed"));
    await running;
    if (!stopped) timer = setTimeout(tick, intervalMs);
  };
  let timer = setTimeout(tick, 0);
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
      await boss.stop({ graceful: true, wait: true, timeout: services.config.shutdownGraceMs });
    },
  };
}

import { describe, it, expect } from "vitest";
import { z } from "zod";
import { sql } from "drizzle-orm";
import { useTestDatabase } from "../../support/database";
import { testContext } from "../../support/context";
import { drainJobs, enqueueJob, enqueueJobs, installJobQueues, startJobs } from "~/platform/jobs/queue.server";
import { defineJob } from "~/platform/jobs/registry.server";
import { REMINDERS_CRON } from "~/features/reminders/reminders-evaluate.job.server";
import { REMINDERS_EVALUATE_JOB } from "~/features/reminders/reminders.server";

const database = useTestDatabase();

const seen: string[] = [];
let failuresLeft = 0;
const probe = defineJob({
  name: "test.probe",
  schema: z.object({ value: z.string() }),
  retryLimit: 2,
  retryDelay: 0,
  retryBackoff: false,
  handle: async ({ value }) => {
    if (failuresLeft > 0) {
      failuresLeft--;
      throw new Error("provider unavailable");
    }
    seen.push(value);
  },
});

describe("job queue", () => {
  it("runs a job enqueued in a committed transaction, and never one from a rolled-back one", async () => {
    await installJobQueues(database.url(), [probe]);
    const services = testContext(database.get()).app;
    const { db } = database.get();
    seen.length = 0;

    await db.transaction(async (tx) => {
      await enqueueJob(tx, "test.probe", { value: "committed" });
    });
    await db
      .transaction(async (tx) => {
        await enqueueJob(tx, "test.probe", { value: "rolled back" });
        throw new Error("abort");
      })
      .catch(() => {});

    expect(await drainJobs(services, { jobs: [probe] })).toBe(1);
    expect(seen).toEqual(["committed"]);
    expect(await drainJobs(services, { jobs: [probe] })).toBe(0);
  });

  it("retries a failing job per its policy", async () => {
    const services = testContext(database.get()).app;
    seen.length = 0;
    failuresLeft = 1;
    await enqueueJob(database.get().db, "test.probe", { value: "after retry" });
    // The first run fails; with retryDelay 0 the retry is due at once and runs in the same drain.
    expect(await drainJobs(services, { jobs: [probe] })).toBe(2);
    expect(seen).toEqual(["after retry"]);
    const [row] = (await database.get().db.execute(
      sql`select state, retry_count from pgboss.job where name = 'test.probe' and data->>'value' = 'after retry'`,
    )) as unknown as { state: string; retry_count: number }[];
    expect(row).toMatchObject({ state: "completed", retry_count: 1 });
  });

  it("refuses to enqueue to a queue that was never installed", async () => {
    await expect(enqueueJob(database.get().db, "test.missing", {})).rejects.toThrow(/does not exist/);
    await expect(enqueueJobs(database.get().db, "test.missing", [{}])).rejects.toThrow(/does not exist/);
  });

  it("queues a batch in one call, inside the caller's transaction", async () => {
    const services = testContext(database.get()).app;
    seen.length = 0;
    await database.get().db.transaction((tx) => enqueueJobs(tx, "test.probe", [{ value: "a" }, { value: "b" }, { value: "c" }]));
    await database.get().db
      .transaction(async (tx) => {
        await enqueueJobs(tx, "test.probe", [{ value: "rolled back" }]);
        throw new Error("abort");
      })
      .catch(() => {});
    expect(await drainJobs(services, { jobs: [probe] })).toBe(3);
    expect(seen.sort()).toEqual(["a", "b", "c"]);
  });

  it("the worker schedules the reminder evaluation (pg-boss cron), once however many workers start", async () => {
    const services = testContext(database.get()).app;
    const workers = await Promise.all([startJobs(services, database.url(), 60_000), startJobs(services, database.url(), 60_000)]);
    await Promise.all(workers.map((worker) => worker.stop()));
    const rows = (await database.get().db.execute(
      sql`select name, cron, timezone from pgboss.schedule where name = ${REMINDERS_EVALUATE_JOB}`,
    )) as unknown as { name: string; cron: string; timezone: string }[];
    expect(rows).toEqual([{ name: REMINDERS_EVALUATE_JOB, cron: REMINDERS_CRON, timezone: "UTC" }]);
  });
});

// Read from the database at each scrape, once for all processes (the process answering the
// scrape reads them): queue depth and the oldest waiting job per queue, the connections in use.
import { Gauge, Registry } from "prom-client";
import type postgres from "postgres";
import { JOB_SCHEMA } from "~/platform/jobs/queue.server";

/** Read from the database at each scrape by the process that answers it. */
export function databaseMetrics(sql: postgres.Sql): Registry {
  const registry = new Registry();
  new Gauge({
    name: "job_queue_depth",
    help: "Jobs waiting (created or to be retried) per queue",
    labelNames: ["queue"] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await waitingJobs(sql)) this.set({ queue: row.name }, Number(row.waiting));
    },
  });
  new Gauge({
    name: "job_queue_oldest_age_seconds",
    help: "Age of the oldest job waiting to start per queue (0 when none waits)",
    labelNames: ["queue"] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await waitingJobs(sql)) this.set({ queue: row.name }, Number(row.oldest_age));
    },
  });
  new Gauge({
    name: "database_connections",
    help: "Connections of this application to PostgreSQL, by state (active = running a query)",
    labelNames: ["state"] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await sql<{ state: string; count: string }[]>`
        select coalesce(state, 'unknown') as state, count(*) as count from pg_stat_activity
        where application_name = 'payer-portal' group by 1`;
      for (const row of rows) this.set({ state: row.state }, Number(row.count));
    },
  });
  return registry;
}

function waitingJobs(sql: postgres.Sql) {
  return sql<{ name: string; waiting: string; oldest_age: string }[]>`
    select q.name, count(j.id) as waiting,
      coalesce(extract(epoch from now() - min(j.start_after) filter (where j.start_after <= now())), 0) as oldest_age
    from ${sql(JOB_SCHEMA)}.queue q
    left join ${sql(JOB_SCHEMA)}.job j on j.name = q.name and j.state in ('created', 'retry')
    group by q.name order by q.name`;
}

// What an operator watches (Prometheus text format, prom-client). Counted in each process and
// added up across a cluster's processes (server/metrics.ts): request durations, jobs run, emails,
// webhook delivery lag. Read from the database at scrape time, once for all processes: queue
// depth and the oldest waiting job per queue, and the connections in use.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type postgres from "postgres";
import { JOB_SCHEMA } from "~/platform/jobs/queue.server";

/** Counted in this process; a cluster's primary adds every process's up. */
export const processMetrics = new Registry();
collectDefaultMetrics({ register: processMetrics });

export const httpRequestDuration = new Histogram({
  name: "http_request_duration_seconds",
  help: "Time to answer a request, by method, route template and status",
  labelNames: ["method", "route", "status"] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [processMetrics],
});

export const jobDuration = new Histogram({
  name: "job_duration_seconds",
  help: "Time to run a job, by queue and outcome (the reminder run is queue reminders.evaluate)",
  labelNames: ["queue", "outcome"] as const,
  buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
  registers: [processMetrics],
});

export const emailsTotal = new Counter({
  name: "emails_total",
  help: "Emails handed to the provider (or the outbox) and emails given up, by outcome",
  labelNames: ["outcome"] as const,
  registers: [processMetrics],
});

export const webhookDeliveryLag = new Histogram({
  name: "webhook_delivery_lag_seconds",
  help: "From an event to its successful delivery to a supplier's endpoint",
  buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 1800, 3600, 21600],
  registers: [processMetrics],
});

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

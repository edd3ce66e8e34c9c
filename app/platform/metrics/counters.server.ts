// What an operator watches (Prometheus text format, prom-client), counted in each process and
// added up across a cluster's processes (server/metrics.ts): request durations, jobs run, emails,
// webhook delivery lag. What the database knows is read at scrape time (database-metrics.server.ts).
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

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
  help: "Emails by outcome: sent (to the provider or the outbox), failed (given up), suppressed",
  labelNames: ["outcome"] as const,
  registers: [processMetrics],
});

export const webhookDeliveryLag = new Histogram({
  name: "webhook_delivery_lag_seconds",
  help: "From an event to its successful delivery to a supplier's endpoint",
  buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 1800, 3600, 21600],
  registers: [processMetrics],
});

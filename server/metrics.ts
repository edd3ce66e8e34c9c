// `/metrics` for Prometheus, served only when asked for: on METRICS_PORT (keep that port private),
// or on the main port to `Authorization: Bearer <METRICS_TOKEN>`; with neither, it is a 404. With
// several web processes the cluster's primary adds up every process's counts (prom-client's
// AggregatorRegistry); a web process asked on the main port gets the sum from the primary.
import cluster from "node:cluster";
import http from "node:http";
import type { RequestHandler } from "express";
import { AggregatorRegistry, type PrometheusContentType, type Registry } from "prom-client";
import type { Logger } from "pino";
import type postgres from "postgres";
import type { Config } from "~/platform/config.server";
import { connect } from "../db/client";
import { sameSecret } from "~/domain/same-secret";
import { processMetrics } from "~/platform/metrics/counters.server";
import { databaseMetrics } from "~/platform/metrics/database-metrics.server";

const ASK = "payer-portal:metrics?";
const ANSWER = "payer-portal:metrics";
const CONTENT_TYPE = processMetrics.contentType;

type Scrape = () => Promise<string>;

function scrapeOf(sql: () => postgres.Sql, aggregator?: AggregatorRegistry<PrometheusContentType>): Scrape {
  let database: Registry | undefined;
  return async () => {
    database ??= databaseMetrics(sql());
    const counts = aggregator ? await aggregator.clusterMetrics() : await processMetrics.metrics();
    return `${counts}\n${await database.metrics()}`;
  };
}

/** In the cluster's primary: collects from every web process; serves METRICS_PORT and answers the processes' asks. */
export function primaryMetrics(config: Config, log: Logger): void {
  if (!config.metrics.port && !config.metrics.token) return;
  let sql: postgres.Sql | undefined; // opened at the first scrape: the primary needs no database otherwise
  const scrape = scrapeOf(() => (sql ??= connect(config.databaseUrl!, { max: 1 }).sql), new AggregatorRegistry());
  cluster.on("message", (child, message: { type?: string; id?: number }) => {
    if (message?.type !== ASK) return;
    scrape().then(
      (text) => child.send({ type: ANSWER, id: message.id, text }),
      (error: Error) => child.send({ type: ANSWER, id: message.id, error: error.message }),
    );
  });
  if (config.metrics.port) serveMetricsPort(config, scrape, log);
}

/** In a web process: reports its counts to the primary when there is one; serves METRICS_PORT when alone. */
export function processMetricsRoute(config: Config, log: Logger, sql: () => postgres.Sql): RequestHandler {
  let scrape: Scrape;
  if (cluster.isWorker) {
    AggregatorRegistry.setRegistries([processMetrics]);
    new AggregatorRegistry(); // answers the primary's requests for this process's counts
    scrape = askPrimary;
  } else {
    scrape = scrapeOf(sql);
    if (config.metrics.port) serveMetricsPort(config, scrape, log);
  }
  const token = config.metrics.token;
  return (req, res, next) => {
    if (!token || !sameSecret(req.get("authorization") ?? "", `Bearer ${token}`)) {
      return void res.status(404).type("text/plain").set("Cache-Control", "no-store").send("Not found.");
    }
    scrape().then((text) => res.status(200).type(CONTENT_TYPE).set("Cache-Control", "no-store").send(text), next);
  };
}

let asked = 0;
function askPrimary(): Promise<string> {
  const id = ++asked;
  return new Promise((resolve, reject) => {
    const onAnswer = (message: { type?: string; id?: number; text?: string; error?: string }) => {
      if (message?.type !== ANSWER || message.id !== id) return;
      process.off("message", onAnswer);
      if (message.error !== undefined) reject(new Error(message.error));
      else resolve(message.text ?? "");
    };
    process.on("message", onAnswer);
    process.send!({ type: ASK, id });
  });
}

function serveMetricsPort(config: Config, scrape: Scrape, log: Logger) {
  http
    .createServer((req, res) => {
      if (req.url !== "/metrics") return void res.writeHead(404).end();
      scrape().then(
        (text) => res.writeHead(200, { "Content-Type": CONTENT_TYPE }).end(text),
        (error: Error) => res.writeHead(503, { "Content-Type": "text/plain" }).end(`metrics unavailable: ${error.message}`),
      );
    })
    .on("error", (error) => log.error({ err: error, port: config.metrics.port }, "metrics port"))
    .listen(config.metrics.port, config.host, () => log.info({ port: config.metrics.port }, "metrics listening"));
}

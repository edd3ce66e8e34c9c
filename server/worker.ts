// `npm run worker`: runs the job queue alone, in WORKER_CONCURRENCY processes (any number of
// these, on any number of hosts, may share one database). On SIGTERM the job running finishes.
import cluster from "node:cluster";
import { runMigrations } from "../db/migrate";
import "./jobs"; // registers every job before the queue migrates, drains or runs them
import { startJobs } from "~/platform/jobs/queue.server";
import { createLogger } from "~/platform/logger.server";
import { loadConfigOrExit, openServices } from "./boot";
import { superviseCopies } from "./cluster";
import { drainOnSignals } from "./shutdown";

const config = loadConfigOrExit();
if (cluster.isPrimary) await runMigrations(config.databaseUrl!, config.jobs);

if (cluster.isPrimary && config.workerProcesses > 1) {
  superviseCopies({ count: config.workerProcesses, name: "worker", graceMs: config.shutdownGraceMs, log: createLogger(config.logLevel) });
} else {
  await work();
}

async function work() {
  const services = openServices(config);
  const worker = await startJobs(services, config.databaseUrl!);
  services.log.info("worker running");

  drainOnSignals({
    graceMs: config.shutdownGraceMs,
    log: services.log,
    stop: async () => {
      await worker.stop();
      await services.database.close();
    },
  });
}

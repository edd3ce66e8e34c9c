// `npm run worker`: runs the job queue alone (any number of these may share one database).
import { runMigrations } from "../db/migrate";
import "./jobs"; // registers every job before the queue migrates, drains or runs them
import { startJobs } from "~/platform/jobs/queue.server";
import { loadConfigOrExit, openServices } from "./boot";

const config = loadConfigOrExit();
const services = openServices(config);
await runMigrations(config.databaseUrl!);
const worker = await startJobs(services, config.databaseUrl!);
services.log.info("worker running");

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  services.log.info({ signal }, "worker shutting down");
  await worker.stop();
  await services.database.close();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));

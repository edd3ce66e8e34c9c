// `npm start`: the primary checks the build, applies the migrations once and runs
// WEB_CONCURRENCY web processes (server/cluster.ts); each serves the Remix build behind Express on
// the shared port, runs the job worker unless WORKER=off, and drains on SIGTERM (server/shutdown.ts).
import cluster from "node:cluster";
import path from "node:path";
import { readFileSync, existsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { broadcastDevReady } from "@remix-run/node";
import { runMigrations } from "../db/migrate";
import "./jobs"; // registers every job before the queue migrates, drains or runs them
import { createServerApp } from "./app";
import { connect } from "../db/client";
import { postgresLimitStores } from "~/platform/rate-limits/db/limit-stores.server";
import { loadConfigOrExit, openServices } from "./boot";
import { EXIT_STOP_ALL, superviseCopies } from "./cluster";
import { drainOnSignals } from "./shutdown";
import { primaryMetrics } from "./metrics";
import { createLogger } from "~/platform/logger.server";
import { startJobs } from "~/platform/jobs/queue.server";

const BUILD_PATH = path.resolve("build/index.js");

function checkBuild(production: boolean) {
  if (!existsSync(BUILD_PATH)) {
    console.error("No build found in build/: run `npm run build` first.");
    process.exit(1);
  }
  // `remix dev` leaves a development build behind; the production server cannot run it.
  if (production && readFileSync(BUILD_PATH, "utf8").includes("jsxDEV")) {
    console.error("build/ holds a development build: run `npm run build` before `npm start`.");
    process.exit(1);
  }
}

const config = loadConfigOrExit();

if (cluster.isPrimary) {
  checkBuild(config.isProduction);
  await runMigrations(config.databaseUrl!, config.jobs);
}

if (cluster.isPrimary && config.webProcesses > 1) {
  const log = createLogger(config.logLevel);
  superviseCopies({ count: config.webProcesses, name: "web", graceMs: config.shutdownGraceMs, log });
  primaryMetrics(config, log);
} else {
  await serveWeb();
}

async function serveWeb() {
  const services = openServices(config);
  const build = (await import(pathToFileURL(BUILD_PATH).href)) as ServerBuild;
  const worker = config.inProcessWorker ? await startJobs(services, config.databaseUrl!) : undefined;

  // Rate-limit counts commit without waiting for the disk flush: every request of one key or
  // address updates the same row, and with a flush per commit (1–3 ms here) those updates queue
  // behind each other's flush. A database crash may forget the last fraction of a second of counts.
  const limits = connect(config.databaseUrl!, { max: 3, asyncCommit: true });
  const server = createServerApp(services, build, postgresLimitStores(limits.db)).listen(config.port, config.host, () => {
    services.log.info({ port: config.port, publicBaseUrl: config.publicBaseUrl.href }, "listening");
    // Only `remix dev` listens for this (REMIX_DEV_ORIGIN); elsewhere it would reject unhandled.
    if (process.env.REMIX_DEV_ORIGIN) void broadcastDevReady(build);
  });
  server.on("error", (error: NodeJS.ErrnoException) => {
    console.error(
      error.code === "EADDRINUSE"
        ? `Port ${config.port} on ${config.host} is already in use (another \`npm start\` or \`npm run dev\`?): stop that process or set PORT to a free port.`
        : `Cannot listen on ${config.host}:${config.port}: ${error.message}`,
    );
    void drain("listen error", EXIT_STOP_ALL);
  });
  const drain = drainOnSignals({
    server,
    graceMs: config.shutdownGraceMs,
    log: services.log,
    stop: async () => {
      await worker?.stop();
      await services.database.close();
      await limits.close();
    },
  });
}

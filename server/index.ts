// The web process: migrates, serves the Remix build behind Express, shuts down gracefully.
import path from "node:path";
import { readFileSync, existsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { broadcastDevReady } from "@remix-run/node";
import { runMigrations } from "../db/migrate";
import "./jobs"; // registers every job before the queue migrates, drains or runs them
import { createServerApp } from "./app";
import { loadConfigOrExit, openServices } from "./boot";
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
checkBuild(config.isProduction);
const services = openServices(config);
await runMigrations(config.databaseUrl!);
const build = (await import(pathToFileURL(BUILD_PATH).href)) as ServerBuild;
const worker = config.inProcessWorker ? await startJobs(services, config.databaseUrl!) : undefined;

const server = createServerApp(services, build).listen(config.port, config.host, () => {
  services.log.info({ port: config.port, publicBaseUrl: config.publicBaseUrl.href }, "listening");
  if (!config.isProduction) void broadcastDevReady(build);
});
server.on("error", (error: NodeJS.ErrnoException) => {
  console.error(
    error.code === "EADDRINUSE"
      ? `Port ${config.port} on ${config.host} is already in use (another \`npm start\` or \`npm run dev\`?): stop that process or set PORT to a free port.`
      : `Cannot listen on ${config.host}:${config.port}: ${error.message}`,
  );
  shutdown("listen error", 1);
});

let stopping = false;
function shutdown(signal: string, exitCode = 0) {
  if (stopping) return;
  stopping = true;
  services.log.info({ signal }, "shutting down");
  server.close(async () => {
    await worker?.stop();
    await services.database.close();
    process.exit(exitCode);
  });
  server.closeIdleConnections();
  setTimeout(() => process.exit(1), 10_000).unref();
}
process.on("SIGTERM", () => shutdown("SIGTERM"));
process.on("SIGINT", () => shutdown("SIGINT"));

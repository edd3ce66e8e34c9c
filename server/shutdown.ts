// How a web or worker process stops (SIGTERM from the cluster's primary, an orchestrator or
// Ctrl+C): stop accepting, let requests in flight and the running job finish within the grace
// period, close what is left, then exit. Called twice, it does the work once.
import type { Server } from "node:http";
import type { Logger } from "pino";

export type Drain = (reason: string, exitCode?: number) => Promise<void>;

export function drainOnSignals(options: {
  server?: Server;
  graceMs: number;
  log: Logger;
  /** Stops the rest (the job worker, the database pool) once no request is in flight. */
  stop: () => Promise<void>;
}): Drain {
  const { server, graceMs, log, stop } = options;
  let stopping = false;
  const drain: Drain = async (reason, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    log.info({ reason, graceMs }, "shutting down");
    if (server) {
      const deadline = setTimeout(() => {
        log.warn("grace period over: closing the connections still open");
        server.closeAllConnections();
      }, graceMs);
      deadline.unref();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
    }
    await stop();
    process.exit(exitCode);
  };
  process.on("SIGTERM", () => void drain("SIGTERM"));
  process.on("SIGINT", () => void drain("SIGINT"));
  return drain;
}

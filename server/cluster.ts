// Runs several copies of a process with node:cluster (web processes share the listening port):
// the primary only supervises. A copy that dies is replaced; one that exits with EXIT_STOP_ALL
// (bad configuration, a port in use) can never work, so the whole group stops instead of looping.
// SIGTERM/SIGINT are passed to every copy, which drains, and the primary exits when all are gone.
import cluster from "node:cluster";
import type { Logger } from "pino";

/** A child's exit code that means "restarting me will not help": the group stops with an error. */
export const EXIT_STOP_ALL = 78; // EX_CONFIG

/** More deaths than this within a minute is a crash loop: the group stops rather than spin. */
const MAX_RESTARTS_PER_MINUTE = 10;

export function superviseCopies(options: { count: number; name: string; graceMs: number; log: Logger }): void {
  const { count, name, graceMs, log } = options;
  let stopping = false;
  let exitCode = 0;
  const restarts: number[] = [];

  const living = () => Object.values(cluster.workers ?? {}).filter((child) => child && !child.isDead());
  const stopAll = (reason: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ reason, processes: living().length }, `stopping the ${name} processes`);
    if (living().length === 0) process.exit(exitCode);
    for (const child of living()) child!.process.kill("SIGTERM");
    // A child that outlives its own grace period is stuck: end it so the primary can exit.
    setTimeout(() => {
      for (const child of living()) child!.process.kill("SIGKILL");
    }, graceMs + 5_000).unref();
  };

  cluster.on("exit", (child, code, signal) => {
    if (stopping) {
      if (living().length === 0) process.exit(exitCode);
      return;
    }
    if (code === EXIT_STOP_ALL) {
      exitCode = 1;
      return stopAll(`a ${name} process cannot start`);
    }
    const now = Date.now();
    restarts.push(now);
    while (restarts[0]! < now - 60_000) restarts.shift();
    if (restarts.length > MAX_RESTARTS_PER_MINUTE) {
      exitCode = 1;
      log.error({ restarts: restarts.length }, `${name} processes keep dying: stopping`);
      return stopAll("crash loop");
    }
    log.error({ pid: child.process.pid, code, signal }, `a ${name} process died: starting another`);
    cluster.fork();
  });

  for (let i = 0; i < count; i++) cluster.fork();
  log.info({ processes: count }, `${name} processes started`);
  process.on("SIGTERM", () => stopAll("SIGTERM"));
  process.on("SIGINT", () => stopAll("SIGINT"));
}

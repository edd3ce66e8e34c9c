import type { Logger } from "pino";
import type { Config } from "~/platform/config.server";
import type { Db } from "../../db/client";

/** Long-lived services shared by every request of the process. */
export type AppServices = {
  config: Config;
  db: Db;
  log: Logger;
  isDatabaseReady: () => Promise<boolean>;
  /** Whether the job queue (pg-boss's schema) answers; /readyz checks it after the database. Absent: not checked. */
  isJobQueueReady?: () => Promise<boolean>;
  /** The clock jobs go by (working hours, "today"); tests fix it. Default: the system clock. */
  now?: () => Date;
};

/** Facts about the current request that the audit log and the pages need. */
export type RequestInfo = {
  requestId: string;
  ip: string;
  userAgent: string;
  cspNonce: string;
};

declare module "@remix-run/node" {
  interface AppLoadContext {
    app: AppServices;
    request: RequestInfo;
  }
}

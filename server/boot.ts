// Shared start-up for every process (web, cli, scripts): validated config, logger, database.
import { loadConfig, ConfigError, type Config } from "~/platform/config.server";
import { createLogger } from "~/platform/logger.server";
import type { AppServices } from "~/platform/context";
import { connect, isDatabaseReady, type Database } from "../db/client";
import { isJobQueueReady } from "~/platform/jobs/queue.server";
import { readOrCreateDevSecrets } from "./dev-secrets";

export function loadConfigOrExit(env = process.env): Config {
  try {
    const isProduction = env.NODE_ENV === "production";
    const generated = isProduction ? {} : readOrCreateDevSecrets(env.DATA_DIR ?? ".data");
    return loadConfig(env, generated);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`${error.message}\nSee .env.example for every variable.`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}

export function openServices(config: Config): AppServices & { database: Database } {
  if (!config.databaseUrl) {
    console.error("DATABASE_URL is not set: start through `npm run dev` / `npm start`, which start an embedded PostgreSQL.");
    process.exit(78);
  }
  const database = connect(config.databaseUrl);
  return {
    config,
    db: database.db,
    log: createLogger(config.logLevel),
    isDatabaseReady: () => isDatabaseReady(database.sql),
    isJobQueueReady: () => isJobQueueReady(database.sql),
    database,
  };
}

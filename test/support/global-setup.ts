// Integration tests run on a real PostgreSQL: DATABASE_URL's server when set, otherwise an
// embedded one. Migrations are applied once to a template; each test file clones it.
import type { TestProject } from "vitest/node";
import postgres from "postgres";
import { randomBytes } from "node:crypto";
import { startEmbeddedPostgres, databaseUrl, type EmbeddedDatabase } from "../../db/embedded";
import { runMigrations } from "../../db/migrate";
import "../../server/jobs"; // registers every job before the queue migrates, drains or runs them

declare module "vitest" {
  export interface ProvidedContext {
    templateDatabaseUrl: string;
  }
}

let embedded: EmbeddedDatabase | undefined;
let cleanup: (() => Promise<void>) | undefined;

export async function setup(project: TestProject) {
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    embedded = await startEmbeddedPostgres({ dataDir: ".data/test-pg", durable: false });
    serverUrl = embedded.url;
  }
  const template = `pp_template_${randomBytes(4).toString("hex")}`;
  const admin = postgres(databaseUrl(serverUrl, "postgres"), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${template}`);
  const templateUrl = databaseUrl(serverUrl, template);
  await runMigrations(templateUrl);
  project.provide("templateDatabaseUrl", templateUrl);
  cleanup = async () => {
    await admin.unsafe(`drop database if exists ${template} with (force)`);
    await admin.end();
  };
}

export async function teardown() {
  await cleanup?.();
  await embedded?.stop();
}

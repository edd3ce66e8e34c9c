// Each test file gets its own database, cloned from the migrated template: data never leaks
// between files, and tests inside a file isolate themselves by creating their own supplier.
import { inject, beforeAll, afterAll } from "vitest";
import postgres from "postgres";
import { randomBytes } from "node:crypto";
import { connect, type Database } from "../../db/client";
import { databaseUrl } from "../../db/embedded";

export function useTestDatabase(): { get: () => Database; url: () => string } {
  let database: Database | undefined;
  let url = "";
  const name = `pp_test_${randomBytes(6).toString("hex")}`;
  const templateUrl = inject("templateDatabaseUrl");
  const template = new URL(templateUrl).pathname.slice(1);
  const adminUrl = databaseUrl(templateUrl, "postgres");

  beforeAll(async () => {
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name} template ${template}`);
    await admin.end();
    url = databaseUrl(templateUrl, name);
    database = connect(url, { max: 5 });
  });

  afterAll(async () => {
    await database?.close();
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  });

  return {
    get: () => {
      if (!database) throw new Error("test database not ready: call inside a test or hook");
      return database;
    },
    url: () => url,
  };
}

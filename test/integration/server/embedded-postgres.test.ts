// What stops the embedded PostgreSQL is said in one sentence that names the directory and what to
// do, before any server process is spawned (no stack, no half-made data folder).
import { mkdtempSync, mkdirSync, writeFileSync, chmodSync, existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { startEmbeddedPostgres } from "../../../db/embedded";

const base = mkdtempSync(path.join(tmpdir(), "pp-embedded-"));
chmodSync(base, 0o755);
afterAll(() => rmSync(base, { recursive: true, force: true }));

it.runIf(process.getuid?.() === 0)("as root, a parent the postgres user cannot enter is named with the fix", async () => {
  const locked = path.join(base, "locked");
  mkdirSync(locked, { mode: 0o700 });
  chmodSync(locked, 0o700);
  const dataDir = path.join(locked, "checkout", ".data", "pg");
  await expect(startEmbeddedPostgres({ dataDir })).rejects.toThrow(
    `runs as user "postgres", which cannot enter ${locked}: let it through (chmod o+x ${locked})`,
  );
  expect(existsSync(dataDir)).toBe(false);
});

it("a data folder from another PostgreSQL major version is named, and left untouched", async () => {
  const dataDir = path.join(base, "old", "pg");
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(path.join(dataDir, "PG_VERSION"), "16\n");
  await expect(startEmbeddedPostgres({ dataDir })).rejects.toThrow(
    `${dataDir} holds a PostgreSQL 16 database, and the embedded server is PostgreSQL 18: move that folder away`,
  );
});

// Runs after `npm install`/`npm ci` (package.json "postinstall"): repairs a defect of the
// postgres.js driver (3.4.x) that ends the whole process when PostgreSQL goes away.
//
// The driver queues small writes behind setImmediate. When the connection closes first, its
// `closed()` sets the socket to null; a query issued on that connection afterwards (the ROLLBACK
// that `sql.begin` sends when a transaction's query failed with CONNECTION_CLOSED) queues a write,
// and the immediate calls `socket.write` on null: an uncaught TypeError, and the process exits.
// `closed()` and `terminate()` also clear the immediate without forgetting it, so the connection
// never sends again (not even its next start-up message). Upstream: porsager/postgres issues
// #1066, #1154, #1208; pull requests #1168, #1209 (not released in 3.4.10).
//
// The repair: a write with no socket settles its queries with CONNECTION_CLOSED (which the app
// answers with 503) instead of throwing, and a closed connection forgets its pending write.
// Idempotent; a driver whose source no longer matches is reported, never half-patched.
// `node scripts/patch-postgres.mjs [node_modules directory]`.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const MARKER = "payer-portal patch";
const root = path.resolve(process.argv[2] ?? "node_modules", "postgres");
const files = ["src/connection.js", "cjs/src/connection.js", "cf/src/connection.js"].map((file) => path.join(root, file));

const nextWrite = `  function nextWrite(fn) {
    const x = socket.write(chunk, fn)`;
const guardedNextWrite = `  function nextWrite(fn) {
    if (socket === null) { // ${MARKER}: the connection closed after this write was queued
      chunk = nextWriteTimer = null
      error(Errors.connection('CONNECTION_CLOSED', options))
      return true
    }
    const x = socket.write(chunk, fn)`;
const clear = "    clearImmediate(nextWriteTimer)\n";
const clearAndForget = `    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null // ${MARKER}: a dead socket's write is never sent\n`;

let problems = 0;
for (const file of files.filter((candidate) => existsSync(candidate))) {
  const source = readFileSync(file, "utf8");
  if (source.includes(MARKER)) continue;
  if (!source.includes(nextWrite) || source.split(clear).length !== 3) {
    console.warn(`patch-postgres: ${path.relative(process.cwd(), file)} does not look like postgres.js 3.4.x; not patched (see scripts/patch-postgres.mjs)`);
    problems += 1;
    continue;
  }
  writeFileSync(file, source.replace(nextWrite, guardedNextWrite).replaceAll(clear, clearAndForget));
}
if (!existsSync(root)) console.warn(`patch-postgres: no postgres.js in ${root}`);
// An install does not fail on it (the exit code stays 0): test/integration/platform/connection-lost.test.ts does, so CI says so.
if (problems > 0) console.warn("patch-postgres: the driver may end the process when PostgreSQL goes away");

// A connection that PostgreSQL drops in the middle of a transaction (the server killed, a
// failover) fails that transaction with an error the app answers with 503, and the process lives
// on: postgres.js 3.4 sent the transaction's ROLLBACK on the dead connection from a setImmediate
// and threw an uncaught TypeError, which ended the web process (scripts/patch-postgres.mjs).
// The dropped connection is simulated by a TCP proxy that cuts its sockets.
import { afterAll, beforeAll, expect, it } from "vitest";
import { createServer, connect as connectTcp, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import postgres from "postgres";
import { useTestDatabase } from "../../support/database";
import { connect, isDatabaseUnavailable, type Database } from "../../../db/client";

const testDb = useTestDatabase();
let proxy: Server;
const sockets = new Set<Socket>();
let viaProxy: Database;
let admin: postgres.Sql;

beforeAll(async () => {
  const target = new URL(testDb.url());
  proxy = createServer((client) => {
    const upstream = connectTcp(Number(target.port || 5432), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => {});
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const url = new URL(testDb.url());
  url.host = `127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  viaProxy = connect(url.href, { max: 1 });
  admin = postgres(testDb.url(), { max: 1, onnotice: () => {} });
});

afterAll(async () => {
  await viaProxy?.close();
  await admin?.end();
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => proxy?.close(resolve));
});

it("a connection lost mid-transaction fails it as 'database unavailable', the process lives on, and the pool reconnects", async () => {
  const marker = `lost_${Date.now()}`;
  const transaction = viaProxy.sql.begin(async (tx) => {
    await tx.unsafe(`select pg_sleep(30) as ${marker}`);
  });
  const failure = transaction.then(() => undefined, (error: unknown) => error);
  // Cut the connection once the transaction's statement runs on the server.
  for (;;) {
    const [running] = await admin`select count(*)::int as n from pg_stat_activity where query like ${`%as ${marker}`} and pid <> pg_backend_pid()`;
    if (running!.n > 0) break;
    await new Promise((resolve) => setTimeout(resolve, 20)); // polling the server
  }
  for (const socket of sockets) socket.destroy();

  const error = await failure;
  expect(isDatabaseUnavailable(error), String(error)).toBe(true);
  // The driver's ROLLBACK write ran from an immediate: give it its turns (before the repair, the process died here).
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));

  // The same pooled connection connects again at once (it used to keep its dead socket's write and wait for its 30 s connect timeout).
  const started = Date.now();
  const [row] = await viaProxy.sql`select 1 as one`;
  expect(row).toEqual({ one: 1 });
  expect(Date.now() - started).toBeLessThan(5_000);
});

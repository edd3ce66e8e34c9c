// The Express layer in front of Remix: probes, security headers, request ids. The Remix build is
// not needed for these paths, so the handler's build is never loaded here.
import { describe, it, expect, afterEach } from "vitest";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import pino from "pino";
import { sql } from "drizzle-orm";
import { useTestDatabase } from "../../support/database";
import { testConfig } from "../../support/context";
import { createServerApp } from "../../../server/app";
import postgres from "postgres";
import { randomBytes } from "node:crypto";
import { connect, isDatabaseReady } from "../../../db/client";
import { freePort, databaseUrl } from "../../../db/embedded";
import { isJobQueueReady } from "~/platform/jobs/queue.server";
import type { AppServices } from "~/platform/context";
import { createSupplier } from "~/features/suppliers/db/suppliers.server";
import { appendEvent } from "~/platform/audit/db/events.server";

const database = useTestDatabase();
let server: Server | undefined;

afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function start(services: AppServices): Promise<string> {
  const app = createServerApp(services, () => Promise.reject(new Error("no Remix build in this test")));
  server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server!.once("listening", resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

function services(ready: () => Promise<boolean>): AppServices {
  return { config: testConfig(), db: database.get().db, log: pino({ level: "silent" }), isDatabaseReady: ready };
}

describe("health probes", () => {
  it("answer 200 while the process runs and the database answers", async () => {
    const base = await start(services(() => isDatabaseReady(database.get().sql)));
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.headers.get("cache-control")).toBe("no-store");
  });

  it("readyz checks the job queue too: 200 with both, 503 naming the queue when its schema does not answer", async () => {
    const { sql } = database.get();
    const both = await start({ ...services(() => isDatabaseReady(sql)), isJobQueueReady: () => isJobQueueReady(sql) });
    expect(await (await fetch(`${both}/readyz`)).json()).toEqual({ status: "ready" });
    await new Promise<void>((resolve) => server!.close(() => resolve()));

    // A database the migrations never reached: it answers, but holds no queue.
    const name = `pp_noqueue_${randomBytes(4).toString("hex")}`;
    const admin = postgres(databaseUrl(database.url(), "postgres"), { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const bare = postgres(databaseUrl(database.url(), name), { max: 1, onnotice: () => {} });
    try {
      const base = await start({ ...services(() => isDatabaseReady(bare)), isJobQueueReady: () => isJobQueueReady(bare) });
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(503);
      expect(ready.headers.get("retry-after")).toBe("5");
      expect(await ready.json()).toEqual({ status: "not ready", reason: "job queue unavailable" });
    } finally {
      await bare.end();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });

  it("readyz answers 503 while the database is away; healthz still 200", async () => {
    // A pool pointed at a port where nothing listens stands for a database that went away.
    const away = connect(`postgres://postgres@127.0.0.1:${await freePort()}/none`, { max: 1 });
    const base = await start({ ...services(() => isDatabaseReady(away.sql, 1000)), isJobQueueReady: () => isJobQueueReady(away.sql, 1000) });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.headers.get("retry-after")).toBe("5");
    expect(await ready.json()).toEqual({ status: "not ready", reason: "database unavailable" });
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    await away.close();
  });
});

describe("every response", () => {
  it("carries the security headers, with a fresh CSP nonce each time", async () => {
    const base = await start(services(async () => true));
    const [first, second] = await Promise.all([fetch(`${base}/favicon.ico`), fetch(`${base}/favicon.ico`)]);
    for (const response of [first!, second!]) {
      expect(response.headers.get("referrer-policy")).toBe("no-referrer");
      expect(response.headers.get("x-robots-tag")).toContain("noindex");
      expect(response.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    }
    const nonce = (response: Response) => /'nonce-([^']+)'/.exec(response.headers.get("content-security-policy")!)?.[1];
    expect(nonce(first!)).toBeTruthy();
    expect(nonce(first!)).not.toBe(nonce(second!));
  });

  it("echoes a well-formed X-Request-Id and replaces a malformed one", async () => {
    const base = await start(services(async () => true));
    const kept = await fetch(`${base}/healthz`, { headers: { "x-request-id": "erp-req-12345678" } });
    expect(kept.headers.get("x-request-id")).toBe("erp-req-12345678");
    const replaced = await fetch(`${base}/healthz`, { headers: { "x-request-id": "<script>" } });
    expect(replaced.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("the audit log", () => {
  it("is append-only: UPDATE, DELETE and TRUNCATE are refused for the app's role", async () => {
    const { db } = database.get();
    const supplier = await createSupplier(db, { name: "Audit AB" });
    await appendEvent(db, { supplierId: supplier.id, type: "test.event", actor: "system" });
    for (const statement of [
      sql`update events set type = 'rewritten' where supplier_id = ${supplier.id}`,
      sql`delete from events where supplier_id = ${supplier.id}`,
      sql`truncate events`,
    ]) {
      await expect(db.execute(statement)).rejects.toMatchObject({ cause: { code: "42501" } });
    }
    const rows = await db.execute(sql`select type from events where supplier_id = ${supplier.id}`);
    expect(rows).toEqual([{ type: "test.event" }]);
  });
});

describe("cross-site form posts (security L4)", () => {
  it("are refused with 403 before any route runs; same-origin posts pass on", async () => {
    const base = await start(services(async () => true));
    const crossSite = await fetch(`${base}/i/some-token`, {
      method: "POST",
      headers: { "sec-fetch-site": "cross-site", origin: "https://evil.example" },
      body: new URLSearchParams({ intent: "confirm" }),
    });
    expect(crossSite.status).toBe(403);
    const foreignOrigin = await fetch(`${base}/i/some-token`, {
      method: "POST",
      headers: { origin: "https://evil.example" },
      body: new URLSearchParams({ intent: "confirm" }),
    });
    expect(foreignOrigin.status).toBe(403);
    // A same-origin form on a no-referrer page sends `Origin: null`: it reaches the route
    // (here a missing build answers 500, which shows it was let through).
    const sameOrigin = await fetch(`${base}/i/some-token`, {
      method: "POST",
      headers: { "sec-fetch-site": "same-origin", origin: "null" },
      body: new URLSearchParams({ intent: "confirm" }),
    });
    expect(sameOrigin.status).not.toBe(403);
  });
});

// Security L8: nothing limited failed API keys per client address: 1,300
// different bogus keys from one IP got 1,300 × 401 and no 429 (the per-key limit never bites, since
// each guess is a new key). Now an address whose keys are refused FAILED_API_KEYS_PER_MINUTE times
// waits out the minute, while other addresses are not affected.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import * as invoicesRoute from "~/routes/api.v1.invoices";
import { createApiKey } from "~/api/db/api-keys.server";
import { createSupplier } from "~/features/suppliers/db/suppliers.server";
import { useTestDatabase } from "../../support/database";
import { testConfig } from "../../support/context";
import { routeBuild, useServerApp } from "../../support/remix-app";

const database = useTestDatabase();
const LIMIT = 20;

const app = useServerApp({
  build: routeBuild([
    ["root", undefined, "", { default: () => null }],
    ["routes/api.v1.invoices", "root", "api/v1/invoices", invoicesRoute],
  ]),
  // One proxy hop is trusted, so the attacker and the honest client are different addresses.
  config: () => testConfig({ TRUST_PROXY_HOPS: "1", FAILED_API_KEYS_PER_MINUTE: String(LIMIT) }),
  db: () => database.get().db,
});

const list = (key: string, ip: string) =>
  fetch(`${app.url()}/api/v1/invoices`, { headers: { authorization: `Bearer ${key}`, "x-forwarded-for": ip } });

describe("failed API keys are limited per client IP", () => {
  it("1,300 bogus keys from one IP: 401 for the first 20, then 429 with Retry-After; a good key from another IP still works", async () => {
    const supplier = await createSupplier(database.get().db, { name: "Honest AB" });
    const good = await createApiKey(database.get().db, supplier.id);
    const attacker = "198.51.100.66";
    const statuses = new Map<number, number>();
    let firstRefusal: Response | undefined;
    for (let i = 0; i < 1300; i++) {
      const response = await list(`pp_live_${randomBytes(24).toString("base64url")}`, attacker);
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      if (response.status === 429 && !firstRefusal) firstRefusal = response;
      else await response.arrayBuffer();
    }
    expect(Object.fromEntries(statuses)).toEqual({ 401: LIMIT, 429: 1300 - LIMIT });
    // The window started with the first refused key, moments ago.
    expect(Number(firstRefusal!.headers.get("retry-after"))).toBeGreaterThanOrEqual(30);
    expect(Number(firstRefusal!.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    expect(firstRefusal!.headers.get("content-type")).toContain("application/problem+json");
    expect(await firstRefusal!.json()).toMatchObject({ status: 429 });

    // Another address with a good key is not affected; the blocked address waits even with a good one.
    const honest = await list(good.key, "203.0.113.10");
    expect(honest.status).toBe(200);
    expect(((await honest.json()) as { data: unknown[] }).data).toEqual([]);
    expect((await list(good.key, attacker)).status).toBe(429);
  });

  it("a good key's requests never count against its address", async () => {
    const supplier = await createSupplier(database.get().db, { name: "Busy AB" });
    const good = await createApiKey(database.get().db, supplier.id);
    const statuses = new Set<number>();
    for (let i = 0; i < LIMIT * 2; i++) {
      const response = await list(good.key, "203.0.113.20");
      await response.arrayBuffer();
      statuses.add(response.status);
    }
    expect([...statuses]).toEqual([200]);
  });
});

// Security R1, L8: the rate limits were decided on the path as written, while
// Express and Remix's router match case-insensitively and decode percent-escapes, so `/I/…`,
// `/C/…`, `/P/…`, `/%69/…` and `/API/v1/…` reached the pages and the API and were never limited.
// Each spelling must be routed as its canonical path and limited with it.
import { describe, expect, it } from "vitest";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { testConfig } from "../../support/context";
import { routeBuild, useServerApp } from "../../support/remix-app";
import { memoryLimitStores } from "~/platform/rate-limits/db/limit-stores.server";

/** A route that says which path and params it was reached with. */
const echo = {
  loader: ({ request, params }: LoaderFunctionArgs) =>
    Response.json({ path: new URL(request.url).pathname, params }, { headers: { "cache-control": "no-store" } }),
};

const PORTAL_LIMIT = 5;
const API_LIMIT = 5;

const app = useServerApp({
  build: routeBuild([
    ["root", undefined, "", { default: () => null }],
    ["routes/i.$token", "root", "i/:token", echo],
    ["routes/c.$token", "root", "c/:token", echo],
    ["routes/p.$code", "root", "p/:code", echo],
    ["routes/api.v1.invoices", "root", "api/v1/invoices", echo],
  ]),
  // One proxy hop is trusted, so each case can come from its own client address.
  config: () => testConfig({ TRUST_PROXY_HOPS: "1", PORTAL_REQUESTS_PER_MINUTE: String(PORTAL_LIMIT), API_REQUESTS_PER_MINUTE: String(API_LIMIT) }),
  db: () => undefined as never,
  limitStores: memoryLimitStores(),
  // Its /api/v1/invoices is the echo route above, not the API: nothing to check against the document.
  apiContract: false,
});

let client = 0;
/** Sends `count` requests from one fresh client address, answering the statuses and the first body. */
async function hammer(path: string, count: number, headers: Record<string, string> = {}) {
  const ip = `198.51.100.${++client}`;
  const statuses: number[] = [];
  let first: unknown;
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${app.url()}${path}`, { headers: { "x-forwarded-for": ip, ...headers } });
    if (i === 0) first = await response.json();
    else await response.arrayBuffer();
    statuses.push(response.status);
  }
  return { statuses, first };
}

const limited = (limit: number) => [...Array<number>(limit).fill(200), 429];

describe("link routes: every spelling is routed and rate-limited as the canonical path", () => {
  it.each([
    ["/i/k1.Token-AbC", "/i/k1.Token-AbC", "token"],
    ["/I/k1.Token-AbC", "/i/k1.Token-AbC", "token"],
    ["/%69/k1.Token-AbC", "/i/k1.Token-AbC", "token"],
    ["/%49/k1.Token-AbC", "/i/k1.Token-AbC", "token"],
    ["/C/k1.Token-AbC", "/c/k1.Token-AbC", "token"],
    ["/%63/k1.Token-AbC", "/c/k1.Token-AbC", "token"],
    ["/P/Code12AbC", "/p/Code12AbC", "code"],
    ["/%70/Code12AbC", "/p/Code12AbC", "code"],
    ["//I/k1.Token-AbC", "/i/k1.Token-AbC", "token"],
    ["/x/../I/k1.Token-AbC", "/i/k1.Token-AbC", "token"],
  ])("%s reaches %s, and the request after the limit gets 429", async (path, canonical, param) => {
    const { statuses, first } = await hammer(path, PORTAL_LIMIT + 1);
    expect(first).toEqual({ path: canonical, params: { [param]: canonical.split("/")[2] } });
    expect(statuses).toEqual(limited(PORTAL_LIMIT));
  });

  it("counts the spellings together: /i/, /I/ and /%69/ from one client share one limit", async () => {
    const ip = "203.0.113.77";
    const statuses: number[] = [];
    for (const path of ["/i/a", "/I/a", "/%69/a", "/i/b", "/I/b", "/%69/b"]) {
      const response = await fetch(`${app.url()}${path}`, { headers: { "x-forwarded-for": ip } });
      await response.arrayBuffer();
      statuses.push(response.status);
    }
    expect(statuses).toEqual(limited(PORTAL_LIMIT));
  });
});

describe("the API: every spelling is routed and rate-limited per key as the canonical path", () => {
  it.each([
    ["/api/v1/invoices"],
    ["/API/v1/invoices"],
    ["/Api/V1/invoices"],
    ["/%61pi/v1/invoices"],
    ["/%41PI/v1/invoices"],
  ])("%s reaches /api/v1/invoices, and the request after the limit gets 429 problem+json", async (path) => {
    const { statuses, first } = await hammer(path, API_LIMIT + 1, { authorization: `Bearer key-for-${path}` });
    expect((first as { path: string }).path.toLowerCase()).toBe("/api/v1/invoices");
    expect(statuses).toEqual(limited(API_LIMIT));
  });
});

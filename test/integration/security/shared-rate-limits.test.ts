// Issue #20 / security L8: the limits lived in each process's memory, so with N processes or
// hosts a client got N times every limit, and concurrent guesses were all let through before the
// first failure was counted. Now two web servers with their own database pools (two processes, as
// far as the limits can tell) share one count in PostgreSQL, and a failure is counted before the
// request runs.
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { connect, type Database } from "../../../db/client";
import { useTestDatabase } from "../../support/database";
import { testConfig } from "../../support/context";
import { routeBuild, useServerApp } from "../../support/remix-app";

const LIMIT = 20;
const database = useTestDatabase();

/** Answers 200 for the one good token and 404 for every guess. */
const link = {
  loader: ({ params }: LoaderFunctionArgs) => new Response(null, { status: params.token === "good" ? 200 : 404 }),
};
const build = routeBuild([
  ["root", undefined, "", { default: () => null }],
  ["routes/i.$token", "root", "i/:token", link],
]);
const config = () => testConfig({ TRUST_PROXY_HOPS: "1", BAD_LINKS_PER_MINUTE: String(LIMIT) });

let second: Database | undefined;
const hostA = useServerApp({ build, config, db: () => database.get().db });
const hostB = useServerApp({ build, config, db: () => (second ??= connect(database.url(), { max: 5 })).db });
afterAll(() => second?.close());

const get = (base: string, path: string, ip: string) =>
  fetch(`${base}${path}`, { headers: { "x-forwarded-for": ip } }).then(async (response) => (await response.arrayBuffer(), response.status));

const tally = (statuses: number[]) => statuses.reduce<Record<number, number>>((counts, status) => ({ ...counts, [status]: (counts[status] ?? 0) + 1 }), {});

describe("rate limits are shared by every process and host", () => {
  it("guesses alternating between two hosts: 20 answered 404 in all, then 429 on both", async () => {
    const ip = "198.51.100.21";
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push(await get(i % 2 ? hostA.url() : hostB.url(), `/i/guess-${i}`, ip));
    expect(tally(statuses)).toEqual({ 404: LIMIT, 429: 60 - LIMIT });
    expect(await get(hostA.url(), "/i/good", ip)).toBe(429);
    expect(await get(hostB.url(), "/i/good", ip)).toBe(429);
  });

  it("100 guesses at once across both hosts: still exactly 20 answered", async () => {
    const ip = "198.51.100.22";
    const statuses = await Promise.all(Array.from({ length: 100 }, (_, i) => get(i % 2 ? hostA.url() : hostB.url(), `/i/rush-${i}`, ip)));
    expect(tally(statuses)).toEqual({ 404: LIMIT, 429: 100 - LIMIT });
  });

  it("good links never count, however many, on either host", async () => {
    const ip = "198.51.100.23";
    const statuses: number[] = [];
    for (let i = 0; i < 2 * LIMIT; i++) statuses.push(await get(i % 2 ? hostA.url() : hostB.url(), "/i/good", ip));
    expect(tally(statuses)).toEqual({ 200: 2 * LIMIT });
  });
});

describe("a link already good from an address", () => {
  afterEach(() => vi.useRealTimers());

  it("waits on one host once guesses on the other host have the address refused", async () => {
    const ip = "198.51.100.25";
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date());
    // Good twice on host A: the second is not counted, only checked against the address's count.
    expect(await get(hostA.url(), "/i/good", ip)).toBe(200);
    expect(await get(hostA.url(), "/i/good", ip)).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i <= LIMIT; i++) statuses.push(await get(hostB.url(), `/i/elsewhere-${i}`, ip));
    expect(tally(statuses)).toEqual({ 404: LIMIT, 429: 1 });
    // Host A trusts its last read of the count for a second.
    vi.setSystemTime(Date.now() + 1500);
    expect(await get(hostA.url(), "/i/good", ip)).toBe(429);
  });
});

describe("while the database is away", () => {
  // Nothing listens on port 1: every query fails at once, as with a database that went away.
  const away = connect("postgres://postgres@127.0.0.1:1/none", { max: 1 });
  const orphan = useServerApp({ build, config, db: () => away.db });
  afterAll(() => away.close());

  it("the in-memory insurance still limits, and every request is answered", async () => {
    const ip = "198.51.100.24";
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 5; i++) statuses.push(await get(orphan.url(), `/i/offline-${i}`, ip));
    expect(tally(statuses)).toEqual({ 404: LIMIT, 429: 5 });
  });
});

// Security C2 and C6 over real HTTP: failed sign-ins are limited per client IP by the shared
// limiter (server/rate-limit.ts), and a cross-site POST to the console is refused before any route.
import { describe, expect, it } from "vitest";
import * as signInRoute from "~/routes/app_.sign-in";
import * as teamRoute from "~/routes/app.team";
import { useTestDatabase } from "../../support/database";
import { testConfig, TEST_BASE_URL } from "../../support/context";
import { routeBuild, useServerApp } from "../../support/remix-app";
import { newSupplier } from "../../support/suppliers";
import { consoleTables, newConsoleUser, PASSWORD, signedInCookie, uniqueEmail } from "../../support/console";

const database = useTestDatabase();

const app = useServerApp({
  build: routeBuild([
    ["root", undefined, "", { default: () => null }],
    ["routes/app_.sign-in", "root", "app/sign-in", { action: signInRoute.action }],
    ["routes/app.team", "root", "app/team", { action: teamRoute.action }],
  ]),
  config: () => testConfig({ TRUST_PROXY_HOPS: "1" }),
  db: () => database.get().db,
});

const post = (path: string, fields: Record<string, string>, headers: Record<string, string>) =>
  fetch(`${app.url()}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: TEST_BASE_URL, "sec-fetch-site": "same-origin", ...headers },
    body: new URLSearchParams(fields),
  });

describe("sign-in limits per IP (C2)", () => {
  it("100 failed sign-ins from one IP → at least 90 × 429; another IP signs in fine", async () => {
    const { supplierId } = await newSupplier(database.get().db);
    const { email } = await newConsoleUser(database.get().db, supplierId, "member");
    const counts = new Map<number, number>();
    for (let i = 0; i < 100; i++) {
      const target = i % 2 === 0 ? uniqueEmail("nobody") : email;
      const response = await post("/app/sign-in", { intent: "password", email: target, password: `guess ${i}` }, { "x-forwarded-for": "198.51.100.9" });
      await response.arrayBuffer();
      counts.set(response.status, (counts.get(response.status) ?? 0) + 1);
    }
    console.info(`C2: 100 failed sign-ins from one IP → ${JSON.stringify(Object.fromEntries(counts))}`);
    expect(counts.get(429)).toBeGreaterThanOrEqual(90);
    const honest = await post("/app/sign-in", { intent: "password", email, password: PASSWORD }, { "x-forwarded-for": "192.0.2.44" });
    expect(honest.status).toBe(303);
    // C1: no password reaches the log, however the sign-in went.
    const log = app.lines.join("");
    expect(log).toContain("/app/sign-in");
    expect(log).toContain("console sign-in refused");
    expect(log).not.toContain(email);
    for (const password of [PASSWORD, "guess 1", "guess 98"]) expect(log).not.toContain(password);
  });
});

describe("cross-site console POSTs (C6)", () => {
  it("are refused with 403 before the route runs, in 100 % of cases", async () => {
    const { supplierId } = await newSupplier(database.get().db);
    const { user } = await newConsoleUser(database.get().db, supplierId, "owner");
    const cookie = await signedInCookie(database.get().db, user.id, supplierId);
    const before = await consoleTables(database.get().db);
    const attempts: Record<string, string>[] = [
      { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
      { origin: "https://evil.example" },
      { "sec-fetch-site": "cross-site", origin: "null" },
      { "sec-fetch-site": "same-site", origin: "https://sub.pay.example.test" },
    ];
    for (const headers of attempts) {
      const response = await post("/app/team", { intent: "invite", email: "mallory@evil.example", role: "owner" }, { cookie, ...headers, "x-forwarded-for": "192.0.2.45" });
      expect(response.status).toBe(403);
    }
    expect(await consoleTables(database.get().db)).toEqual(before);
  });
});

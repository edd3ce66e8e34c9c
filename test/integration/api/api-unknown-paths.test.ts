// Through the real server and Remix's router: a path under /api/ that no route serves answers
// the problem+json 404 whatever Accept says (it was the site's HTML page), a path's other
// methods the 405 with Allow, and the rate limit the 429 with Retry-After — each as the OpenAPI
// document describes it (useServerApp checks every answer under /api/ against it).
import { describe, expect, it } from "vitest";
import { testConfig } from "../../support/context";
import { routeBuild, useServerApp } from "../../support/remix-app";
import { memoryLimitStores } from "~/platform/rate-limits/db/limit-stores.server";
import * as unknownApiPath from "~/routes/api.$";
import * as openApiJson from "~/routes/api.v1.openapi[.]json";

const API_LIMIT = 6;

const app = useServerApp({
  build: routeBuild([
    ["root", undefined, "", { default: () => null }],
    ["routes/api.$", "root", "api/*", unknownApiPath],
    ["routes/api.v1.openapi[.]json", "root", "api/v1/openapi.json", openApiJson],
  ]),
  config: () => testConfig({ TRUST_PROXY_HOPS: "1", API_REQUESTS_PER_MINUTE: String(API_LIMIT) }),
  limitStores: memoryLimitStores(),
  db: () => undefined as never,
});

let client = 0;
async function send(method: string, path: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${app.url()}${path}`, { method, headers: { "x-forwarded-for": `198.51.100.${++client}`, ...headers } });
}

describe("answers under /api/ that no operation gives", () => {
  it.each([
    ["GET", "/api/v1/nope", "text/html"],
    ["GET", "/api/v1/invoices/inv_4mZ7Qk2Vb9XcYtR1sPq3Lw/nope", "application/json"],
    ["GET", "/api/v1", "application/json"],
    ["POST", "/api/v1/nope", "*/*"],
    ["DELETE", "/api/v2/invoices", "text/html"],
  ])("%s %s (Accept: %s) is the problem+json 404", async (method, path, accept) => {
    const response = await send(method, path, { accept, authorization: "Bearer pp_test_key" });
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(await response.json()).toMatchObject({ status: 404, title: "Not found" });
  });

  it("answers another method of a known path with the 405 and Allow", async () => {
    const response = await send("DELETE", "/api/v1/openapi.json", { accept: "text/html" });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET");
  });

  it("answers past the rate limit with the 429 and Retry-After", async () => {
    const ip = "203.0.113.99";
    const statuses: number[] = [];
    for (let i = 0; i <= API_LIMIT; i++) statuses.push((await send("GET", "/api/v1/openapi.json", { "x-forwarded-for": ip })).status);
    expect(statuses).toEqual([...Array<number>(API_LIMIT).fill(200), 429]);
  });
});

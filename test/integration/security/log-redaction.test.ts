// Security L2, R1: the request log redacted link tokens only under `/i/`,
// `/c/` and `/p/` as written, so `/I/<token>` and `/%69/<token>`, which reach the same pages,
// wrote the full working token to the log. Redaction now works on the canonical path.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { redactPath, shortHash } from "~/platform/logger.server";
import { testConfig } from "../../support/context";
import { routeBuild, useServerApp } from "../../support/remix-app";
import { memoryLimitStores } from "~/platform/rate-limits/db/limit-stores.server";

const notFound = { loader: () => new Response("not found", { status: 404 }) };

const app = useServerApp({
  build: routeBuild([
    ["root", undefined, "", { default: () => null }],
    ["routes/i.$token", "root", "i/:token", notFound],
    ["routes/c.$token", "root", "c/:token", notFound],
    ["routes/p.$code", "root", "p/:code", notFound],
  ]),
  config: () => testConfig(),
  db: () => undefined as never,
  limitStores: memoryLimitStores(),
});

const token = () => `k1.${randomBytes(16).toString("base64url")}.${randomBytes(32).toString("base64url")}`;

describe("the request log never holds a link token, however the path is spelled", () => {
  it.each([
    ["/i/", "/i/"],
    ["/I/", "/i/"],
    ["/%69/", "/i/"],
    ["/%49/", "/i/"],
    ["/C/", "/c/"],
    ["/%63/", "/c/"],
    ["/P/", "/p/"],
    ["/%70/", "/p/"],
    ["//I/", "/i/"],
  ])("%s<token> is logged as %s~<hash>", async (prefix, canonical) => {
    const secret = token();
    const response = await fetch(`${app.url()}${prefix}${secret}`);
    await response.arrayBuffer();
    const line = app.lines.map((text) => JSON.parse(text) as { msg: string; path: string }).filter((entry) => entry.msg === "request").at(-1);
    expect(line?.path).toBe(`${canonical}~${shortHash(secret)}`);
    expect(app.lines.join("")).not.toContain(secret);
    // The token's secret parts, in case a spelling splits it.
    for (const part of secret.split(".").slice(1)) expect(app.lines.join("")).not.toContain(part);
  });

  it.each([["/I/"], ["/%69/"], ["/C/"], ["/%43/"], ["/P/"], ["/%70/"]])("redactPath hashes the token after %s", (prefix) => {
    const secret = token();
    expect(redactPath(`${prefix}${secret}`)).not.toContain(secret);
    expect(redactPath(`${prefix}${secret}/invoice.pdf`)).toMatch(/^\/[icp]\/~[0-9a-f]{12}\/invoice\.pdf$/);
  });
});

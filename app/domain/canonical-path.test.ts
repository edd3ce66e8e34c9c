import { describe, expect, it } from "vitest";
import { canonicalPath } from "./canonical-path";

describe("canonicalPath (security R1)", () => {
  it.each([
    ["/i/k1.Payload.Sig", "/i/k1.Payload.Sig"],
    ["/I/k1.Payload.Sig", "/i/k1.Payload.Sig"],
    ["/%69/k1.Payload.Sig", "/i/k1.Payload.Sig"],
    ["/%49/k1.Payload.Sig", "/i/k1.Payload.Sig"],
    ["/C/abc", "/c/abc"],
    ["/P/abc", "/p/abc"],
    ["/%70/abc", "/p/abc"],
    ["/API/v1/invoices", "/api/v1/invoices"],
    ["/%61pi/v1/invoices", "/api/v1/invoices"],
    ["/i/%6B1.x", "/i/k1.x"],
    ["/i/a%2fb", "/i/a%2Fb"],
    ["//i/abc", "/i/abc"],
    ["/x/../i/abc", "/i/abc"],
    ["/x/%2e%2e/i/abc", "/i/abc"],
    ["/x\\..\\I/abc", "/i/abc"],
    ["/", "/"],
    ["/healthz", "/healthz"],
  ])("%s → %s", (path, canonical) => {
    expect(canonicalPath(path)).toBe(canonical);
  });

  it("is idempotent", () => {
    for (const path of ["/I/%41b", "/%2e%2e/API/x", "/i/a%2fb%20c"]) expect(canonicalPath(canonicalPath(path))).toBe(canonicalPath(path));
  });
});

import { describe, it, expect } from "vitest";
import { Writable } from "node:stream";
import { createLogger, redactPath, shortHash } from "./logger.server";

describe("logs never hold a working link or a secret", () => {
  it.each([
    ["/i/k1.payload.signature", `/i/~${shortHash("k1.payload.signature")}`],
    ["/c/k1.customer.token", `/c/~${shortHash("k1.customer.token")}`],
    ["/api/v1/invoices", "/api/v1/invoices"],
    ["/", "/"],
  ])("%s is logged as %s", (path, logged) => {
    expect(redactPath(path)).toBe(logged);
  });

  it("redacts authorization headers and token fields", () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = createLogger("info", sink);
    log.info({ req: { headers: { authorization: "Bearer pp_live_secret" } }, token: "k1.a.b", api_key: "pp_live_x" }, "hello");
    const output = lines.join("");
    expect(output).toContain("hello");
    expect(output).not.toContain("pp_live_secret");
    expect(output).not.toContain("k1.a.b");
    expect(output).not.toContain("pp_live_x");
  });
});

import { describe, expect, it } from "vitest";
import { routeTemplate } from "./route-template";

describe("routeTemplate", () => {
  it.each([
    ["/api/v1/invoices/inv_7Hq2kP9xYz/payments", 200, "/api/v1/invoices/:id/payments"],
    ["/api/v1/invoices", 201, "/api/v1/invoices"],
    ["/i/k1.aGVsbG8td29ybGQtdG9rZW4.sig/invoice.pdf", 200, "/i/:token/invoice.pdf"],
    ["/c/k1.abc", 303, "/c/:token"],
    ["/p/Ab3dE7", 302, "/p/:code"],
    ["/api/v1/email-suppressions/anna%40example.se", 204, "/api/v1/email-suppressions/:id"],
    ["/webhooks/stripe/pac_1a2b3c4d5e", 200, "/webhooks/stripe/:id"],
    ["/build/_shared/chunk-ABC123.js", 200, "/build/*"],
    ["/anything/at/all", 404, "(unmatched)"],
    ["/healthz", 200, "/healthz"],
  ])("%s (%i) → %s", (path, status, template) => {
    expect(routeTemplate(path, status)).toBe(template);
  });
});

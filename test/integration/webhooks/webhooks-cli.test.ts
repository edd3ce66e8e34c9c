// The operator's webhook commands, run as the real CLI process against this file's database.
import { describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { useTestDatabase } from "../../support/database";
import { CLI_TIMEOUT, runCli } from "../../support/cli";
import { webhookHeaders, webhookBody } from "~/domain/standard-webhooks";

const database = useTestDatabase();


const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, { DATABASE_URL: database.url(), ...env });

describe("npm run cli -- webhook:…", CLI_TIMEOUT, () => {
  it("adds an endpoint (secret printed once), lists it without the secret, and removes it", async () => {
    const supplier = await cli(["supplier:create", "--name", "CLI Webhooks AB", "--json"]);
    expect(supplier.code, supplier.stderr).toBe(0);
    const { supplier_id: supplierId } = JSON.parse(supplier.stdout) as { supplier_id: string };

    const added = await cli(["webhook:add", supplierId, "--url", "https://erp.example.com/hooks", "--events", "invoice.paid, invoice.disputed", "--json"]);
    expect(added.code, added.stderr).toBe(0);
    const endpoint = JSON.parse(added.stdout) as { id: string; secret: string; event_types: string[] };
    expect(endpoint.event_types).toEqual(["invoice.paid", "invoice.disputed"]);
    // The printed secret is the one deliveries are signed with.
    const body = webhookBody("invoice.paid", new Date(), {});
    const now = Math.floor(Date.now() / 1000);
    expect(() => new Webhook(endpoint.secret).verify(body, webhookHeaders(endpoint.secret, "whm_x", now, body))).not.toThrow();

    const listed = await cli(["webhook:list", supplierId]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(endpoint.id);
    expect(listed.stdout).toContain("https://erp.example.com/hooks");
    expect(listed.stdout).not.toContain(endpoint.secret.slice(6));

    const removed = await cli(["webhook:remove", endpoint.id]);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toContain(`Removed webhook endpoint ${endpoint.id}`);
    const empty = await cli(["webhook:list", supplierId, "--json"]);
    expect(JSON.parse(empty.stdout)).toEqual([]);
    expect((await cli(["webhook:remove", endpoint.id])).code).toBe(1);
  });

  it("reports a bad URL by its flag, refuses http in production, and needs --url", async () => {
    const supplier = await cli(["supplier:create", "--name", "CLI Errors AB", "--json"]);
    const { supplier_id: supplierId } = JSON.parse(supplier.stdout) as { supplier_id: string };

    const bad = await cli(["webhook:add", supplierId, "--url", "not a url", "--events", "Paid"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("--url: url must be an absolute URL");
    expect(bad.stderr).toContain("--events[0]: an event type looks like invoice.confirmed");

    const http = await cli(["webhook:add", supplierId, "--url", "http://erp.example.com/hooks"], { NODE_ENV: "production" });
    expect(http.code).toBe(1);
    expect(http.stderr).toContain("--url: url must use https");

    expect((await cli(["webhook:add", supplierId])).code).toBe(64);
    const unknown = await cli(["webhook:add", "sup_0000000000000000000000", "--url", "https://erp.example.com/hooks"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("No supplier with id");
  });
});

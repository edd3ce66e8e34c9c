// Outgoing webhook endpoints of a supplier (`npm run cli -- webhook:…`): the same use cases and URL
// rules as /api/v1/webhook-endpoints; the signing secret is printed once, at creation.
import { getSupplier } from "~/features/suppliers/db/suppliers.server";
import {
  createWebhookEndpoint, findWebhookEndpoint, listWebhookEndpoints, removeWebhookEndpoint,
} from "~/features/webhooks/webhooks.server";
import { OPERATOR } from "~/features/suppliers/suppliers.server";
import { CliError, EXIT, fail, invalid, jsonOption as json, noSupplier, print, type Command } from "./support";

export const WEBHOOK_COMMANDS: Record<string, Command> = {
  "webhook:add": {
    args: ["supplier_id"],
    options: { url: { type: "string" }, events: { type: "string" }, ...json },
    usage: "webhook:add <supplier_id> --url https://… [--events invoice.confirmed,…] [--json]   (prints the signing secret once)",
    check: (values) => {
      if (typeof values.url !== "string") throw new CliError("webhook:add needs --url", EXIT.usage);
    },
    run: async (db, values, [supplierId]) => {
      const events = typeof values.events === "string" ? values.events.split(",").map((type) => type.trim()) : undefined;
      const input = { url: values.url, ...(events ? { event_types: events } : {}) };
      const result = await createWebhookEndpoint(db, webhookUrlRules(), supplierId!, input, OPERATOR);
      if (!result.ok) {
        if (result.reason === "not_found") return noSupplier(supplierId!);
        return invalid(result.errors.map((error) => ({ ...error, field: error.field.replace(/^url/, "--url").replace(/^event_types/, "--events") })));
      }
      const { endpoint } = result;
      if (values.json) return print(endpoint);
      console.log(`Created webhook endpoint ${endpoint.id} for ${supplierId}: ${endpoint.url} (${endpoint.event_types?.join(", ") ?? "all events"}).`);
      console.log(`Signing secret, shown only this once, store it now:\n${endpoint.secret}`);
      return EXIT.ok;
    },
  },
  "webhook:list": {
    args: ["supplier_id"],
    options: json,
    usage: "webhook:list <supplier_id> [--json]   (secrets are never shown again)",
    run: async (db, values, [supplierId]) => {
      if (!(await getSupplier(db, supplierId!))) return noSupplier(supplierId!);
      const endpoints = await listWebhookEndpoints(db, supplierId!);
      if (values.json) return print(endpoints);
      if (endpoints.length === 0) console.log(`Supplier ${supplierId} has no webhook endpoints.`);
      for (const endpoint of endpoints) {
        const state = endpoint.enabled ? "enabled " : "disabled";
        console.log(`${endpoint.id}  ${state}  ${endpoint.url}  ${endpoint.event_types?.join(",") ?? "all events"}`);
      }
      return EXIT.ok;
    },
  },
  "webhook:remove": {
    args: ["endpoint_id"],
    options: json,
    usage: "webhook:remove <endpoint_id> [--json]   (also removes its delivery log)",
    run: async (db, values, [endpointId]) => {
      const endpoint = await findWebhookEndpoint(db, endpointId!);
      if (!endpoint || !(await removeWebhookEndpoint(db, endpoint.supplier_id, endpoint.id, OPERATOR))) {
        return fail(`No webhook endpoint with id ${endpointId}`);
      }
      if (values.json) return print({ endpoint_id: endpoint.id, supplier_id: endpoint.supplier_id, removed: true });
      console.log(`Removed webhook endpoint ${endpoint.id} (${endpoint.url}) of supplier ${endpoint.supplier_id}.`);
      return EXIT.ok;
    },
  },
};

/** The API's URL rules, from the same variables as the server's configuration. */
function webhookUrlRules() {
  const isProduction = process.env.NODE_ENV === "production";
  const allowPrivate = /^(true|1)$/.test(process.env.WEBHOOK_ALLOW_PRIVATE_TARGETS ?? "");
  return { isProduction, allowPrivateTargets: allowPrivate && !isProduction };
}

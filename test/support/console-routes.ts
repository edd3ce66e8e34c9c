// What the roles and tenancy tables over every console route need: the console's route files (to
// prove each is in a table), a supplier with one record of each kind a route takes an id of, and
// one comparable value of every table (equal before and after: nothing was written).
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import type { Config } from "~/platform/config.server";
import type { ConsoleRole } from "~/domain/console-roles";
import { campaigns, contacts, webhookDeliveries } from "../../db/schema";
import { newPublicId } from "~/domain/public-id";
import { insertDispute } from "~/features/invoices/db/disputes.server";
import { openInboxItem } from "~/features/inbox/open-inbox-item.server";
import { insertEndpoint } from "~/features/webhooks/db/webhooks.server";
import { publishWebhookEvent } from "~/features/webhooks/webhooks.server";
import { startSession } from "~/platform/sessions/sessions.server";
import { newConsoleUser, signedInCookie } from "./console";
import { createInvoiceWithLink, createSupplierWithCustomer } from "./fixtures";

const ROUTES_DIR = fileURLToPath(new URL("../../app/routes/", import.meta.url));

/** Every console route file (app.*) that has a loader or an action: each must be in a table. */
export function consoleRouteFiles(): string[] {
  return readdirSync(ROUTES_DIR)
    .filter((file) => /^app[.]/.test(file) || /^app\.tsx?$/.test(file))
    .filter((file) => /export (const|async function|function) (loader|action)\b/.test(readFileSync(ROUTES_DIR + file, "utf8")))
    .sort();
}

/** The files a table misses (missing) and the rows that name no file (stale). */
export function tableGaps(rows: readonly string[]): { missing: string[]; stale: string[] } {
  const files = consoleRouteFiles();
  return { missing: files.filter((file) => !rows.includes(file)), stale: rows.filter((file) => !files.includes(file)) };
}

export type SupplierRecords = {
  supplierId: string;
  invoiceId: string;
  disputeId: string;
  customerId: string;
  contactId: string;
  campaignId: string;
  inboxItemId: string;
  endpointId: string;
  deliveryId: string;
  apiKeyId: string;
};

/** A supplier with one invoice (and its dispute), customer and contact, campaign, inbox item, webhook endpoint and delivery. */
export async function supplierRecords(db: Db, config: Config): Promise<SupplierRecords> {
  const owner = await createSupplierWithCustomer(db);
  const supplierId = owner.supplier.id;
  const { invoice } = await createInvoiceWithLink(db, config, owner);
  const dispute = await insertDispute(db, { supplierId, invoiceId: invoice.id, kind: "invoice", reason: "wrong_amount" }, new Date());
  const contactId = newPublicId("con");
  await db.insert(contacts).values({ id: contactId, supplierId, customerId: owner.customerId, email: `ap.${contactId.toLowerCase()}@example.test`, channel: "email" });
  const campaignId = newPublicId("cmp");
  await db.insert(campaigns).values({ id: campaignId, supplierId, name: "Kontroll", message: "Hej", audience: "all", deadline: new Date(Date.now() + 30 * 86_400_000) });
  const inboxItemId = await openInboxItem(db, { supplierId, kind: "failing_address", sourceId: `ap.${supplierId}@example.test`, openedAt: new Date() });
  const endpoint = await insertEndpoint(db, { supplierId, url: "https://erp.example.test/hooks", secret: "whsec_x", eventTypes: null });
  await publishWebhookEvent(db, { supplierId, type: "invoice.sent", payload: { invoice: { id: invoice.id } } });
  const [delivery] = await db.select({ id: webhookDeliveries.id }).from(webhookDeliveries).where(sql`${webhookDeliveries.endpointId} = ${endpoint.id}`);
  const [key] = await db.execute<{ id: string }>(sql`select id from api_keys where supplier_id = ${supplierId} limit 1`);
  return {
    supplierId, invoiceId: invoice.id, disputeId: dispute.id, customerId: owner.customerId, contactId, campaignId,
    inboxItemId, endpointId: endpoint.id, deliveryId: delivery!.id, apiKeyId: key?.id ?? newPublicId("key"),
  };
}

/** A user of the supplier in `role`, and a way to sign it in afresh (an action may end its session). */
export async function roleUser(db: Db, supplierId: string, role: ConsoleRole) {
  const { user } = await newConsoleUser(db, supplierId, role);
  return {
    id: user.id,
    cookie: () => signedInCookie(db, user.id, supplierId),
    /** Another session of the user's, to end. */
    otherSession: async () => (await startSession(db, { userId: user.id, supplierId, stage: "full", ip: "203.0.113.8", userAgent: "vitest", now: new Date() })).id,
  };
}

/**
 * Every table's rows as one value, to prove a refused request wrote nothing. Sessions by id and
 * revocation only (resuming one refreshes its last-seen time); rate-limit counters left out.
 */
export async function everyTable(db: Db): Promise<Record<string, unknown>> {
  const tables = await db.execute<{ name: string }>(sql`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not in ('rate_limits', 'sessions', '__drizzle_migrations')
    order by table_name`);
  const parts = tables.map(({ name }) => `(select md5(coalesce(string_agg(t::text, ',' order by t::text), '')) from "${name}" t) as "${name}"`);
  const [row] = await db.execute<Record<string, unknown>>(
    sql.raw(`select ${parts.join(", ")},
      (select string_agg(id || coalesce(revoked_at::text, ''), ',' order by id) from sessions) as sessions,
      (select count(*) from pgboss.job) as jobs`),
  );
  return row!;
}

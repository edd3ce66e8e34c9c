// What a customers or campaigns console action may write, as one comparable value: contacts and
// customers with their fields, campaigns with their state, recipients, audit events, emails,
// webhook messages and queued jobs. Equal before and after: nothing was written.
import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";

export async function recordTables(db: Db): Promise<Record<string, unknown>> {
  const [row] = await db.execute<Record<string, unknown>>(sql`
    select (select string_agg(concat_ws('|', id, customer_id, name, email, channel, updated_at), ',' order by id) from contacts) as contacts,
           (select string_agg(concat_ws('|', id, name, org_number, updated_at), ',' order by id) from customers) as customers,
           (select string_agg(concat_ws('|', id, status, started_at, cancelled_at), ',' order by id) from campaigns) as campaigns,
           (select count(*) from campaign_recipients) as recipients,
           (select count(*) from events) as events,
           (select count(*) from emails) as emails,
           (select count(*) from webhook_messages) as webhooks,
           (select count(*) from pgboss.job) as jobs`);
  return row!;
}

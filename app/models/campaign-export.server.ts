// The billing contacts and organisation numbers of a page of campaign customers, for the CSV export.
import { and, asc, eq, inArray } from "drizzle-orm";
import { contacts, customers } from "../../db/schema";
import type { DbOrTx } from "../../db/client";
import type { ContactRow } from "~/models/contacts.server";

export async function listCampaignContacts(
  db: DbOrTx,
  supplierId: string,
  customerIds: readonly string[],
): Promise<{ byCustomer: Map<string, ContactRow[]>; orgNumbers: Map<string, string | null> }> {
  const byCustomer = new Map<string, ContactRow[]>();
  const orgNumbers = new Map<string, string | null>();
  if (customerIds.length === 0) return { byCustomer, orgNumbers };
  const ids = [...customerIds];
  const rows = await db
    .select()
    .from(contacts)
    .where(and(eq(contacts.supplierId, supplierId), inArray(contacts.customerId, ids), eq(contacts.isBilling, true)))
    .orderBy(asc(contacts.customerId), asc(contacts.createdAt), asc(contacts.id));
  for (const row of rows) byCustomer.set(row.customerId, [...(byCustomer.get(row.customerId) ?? []), row]);
  const orgs = await db
    .select({ id: customers.id, orgNumber: customers.orgNumber })
    .from(customers)
    .where(and(eq(customers.supplierId, supplierId), inArray(customers.id, ids)));
  for (const org of orgs) orgNumbers.set(org.id, org.orgNumber);
  return { byCustomer, orgNumbers };
}

// The console's customer directory and a customer's page: the list by name with search (name,
// customer number, organisation number), keyset-paged on (name, id) so page 500 of a supplier
// with a million customers costs what page 1 does; the customer's invoices and campaign answers.
// Indexes (migration 0023): (supplier_id, name, id) for the list, a trigram index on name for
// the substring search, (supplier_id, org_number) beside the existing (supplier_id, external_id).
import { and, asc, desc, eq, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import { campaignRecipients, campaigns, customers, invoices } from "../../../../db/schema";
import type { DbOrTx } from "../../../../db/client";

export type DirectoryRow = { id: string; name: string; externalId: string | null; orgNumber: string | null; contactsConfirmedAt: Date | null };

/** LIKE's own wildcards in what the clerk typed are literal characters. */
const likeEscaped = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`);

export async function searchCustomers(
  db: DbOrTx,
  supplierId: string,
  filter: { text?: string; orgNumber?: string; after?: { name: string; id: string }; limit: number },
): Promise<{ rows: DirectoryRow[]; hasMore: boolean }> {
  const conditions: (SQL | undefined)[] = [eq(customers.supplierId, supplierId)];
  if (filter.text) {
    conditions.push(
      or(
        sql`${customers.name} ilike ${`%${likeEscaped(filter.text)}%`}`,
        eq(customers.externalId, filter.text),
        filter.orgNumber ? eq(customers.orgNumber, filter.orgNumber) : undefined,
      ),
    );
  }
  if (filter.after) conditions.push(sql`(${customers.name}, ${customers.id}) > (${filter.after.name}, ${filter.after.id})`);
  const rows = await db
    .select({
      id: customers.id,
      name: customers.name,
      externalId: customers.externalId,
      orgNumber: customers.orgNumber,
      contactsConfirmedAt: customers.contactsConfirmedAt,
    })
    .from(customers)
    .where(and(...conditions))
    .orderBy(asc(customers.name), asc(customers.id))
    .limit(filter.limit + 1);
  return { rows: rows.slice(0, filter.limit), hasMore: rows.length > filter.limit };
}

export type CustomerInvoiceRow = {
  id: string;
  number: string;
  currency: string;
  issueDate: string;
  dueDate: string;
  total: number;
  amountPaid: number;
  disputed: boolean;
  cancelledAt: Date | null;
};

const invoiceColumns = {
  id: invoices.id,
  number: invoices.number,
  currency: invoices.currency,
  issueDate: invoices.issueDate,
  dueDate: invoices.dueDate,
  total: invoices.total,
  amountPaid: invoices.amountPaid,
  disputed: invoices.disputed,
  cancelledAt: invoices.cancelledAt,
};

/** Unsettled and not cancelled, the oldest due first: what the customer owes. */
export function openInvoicesOf(db: DbOrTx, supplierId: string, customerId: string, limit: number): Promise<CustomerInvoiceRow[]> {
  return db
    .select(invoiceColumns)
    .from(invoices)
    .where(
      and(
        eq(invoices.supplierId, supplierId),
        eq(invoices.customerId, customerId),
        isNull(invoices.cancelledAt),
        lt(invoices.amountPaid, invoices.total),
      ),
    )
    .orderBy(asc(invoices.dueDate), asc(invoices.id))
    .limit(limit);
}

/** Settled invoices, the latest first. */
export function paidInvoicesOf(db: DbOrTx, supplierId: string, customerId: string, limit: number): Promise<CustomerInvoiceRow[]> {
  return db
    .select(invoiceColumns)
    .from(invoices)
    .where(
      and(
        eq(invoices.supplierId, supplierId),
        eq(invoices.customerId, customerId),
        isNull(invoices.cancelledAt),
        sql`${invoices.amountPaid} >= ${invoices.total}`,
      ),
    )
    .orderBy(desc(invoices.issueDate), desc(invoices.id))
    .limit(limit);
}

export type CustomerCampaignRow = {
  campaignId: string;
  campaignName: string;
  deadline: Date;
  cancelledAt: Date | null;
  openedAt: Date | null;
  answer: "confirmed" | "corrected" | null;
  answeredAt: Date | null;
};

/** Every campaign that asked this customer, the latest first, with its answer. */
export function campaignAnswersOf(db: DbOrTx, supplierId: string, customerId: string, limit: number): Promise<CustomerCampaignRow[]> {
  return db
    .select({
      campaignId: campaigns.id,
      campaignName: campaigns.name,
      deadline: campaigns.deadline,
      cancelledAt: campaigns.cancelledAt,
      openedAt: campaignRecipients.openedAt,
      answer: campaignRecipients.answer,
      answeredAt: campaignRecipients.answeredAt,
    })
    .from(campaignRecipients)
    .innerJoin(campaigns, eq(campaigns.id, campaignRecipients.campaignId))
    .where(and(eq(campaignRecipients.supplierId, supplierId), eq(campaignRecipients.customerId, customerId)))
    .orderBy(desc(campaignRecipients.createdAt))
    .limit(limit);
}

// The console's customer directory and a customer's page: the list by name and the search (name,
// customer number, organisation number), both keyset-paged so page 500 of a supplier with a
// million customers costs what page 1 does; the customer's invoices and campaign answers.
// Indexes (migration 0023): (supplier_id, name, id) for the list, (supplier_id, id) and a trigram
// index on name for the search, (supplier_id, org_number) beside (supplier_id, external_id).
import { and, asc, desc, eq, gt, isNull, lt, or, sql } from "drizzle-orm";
import { campaignRecipients, campaigns, customers, invoices } from "../../../../db/schema";
import type { DbOrTx } from "../../../../db/client";

export type DirectoryRow = { id: string; name: string; externalId: string | null; orgNumber: string | null; contactsConfirmedAt: Date | null };

/** LIKE's own wildcards in what the clerk typed are literal characters. */
const likeEscaped = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`);

const directoryColumns = {
  id: customers.id,
  name: customers.name,
  externalId: customers.externalId,
  orgNumber: customers.orgNumber,
  contactsConfirmedAt: customers.contactsConfirmedAt,
};

/** The whole list by name, keyset-paged on (name, id) through customers_supplier_name_idx. */
export async function listCustomersByName(
  db: DbOrTx,
  supplierId: string,
  page: { after?: { name: string; id: string }; limit: number },
): Promise<{ rows: DirectoryRow[]; hasMore: boolean }> {
  const rows = await db
    .select(directoryColumns)
    .from(customers)
    .where(
      and(
        eq(customers.supplierId, supplierId),
        page.after ? sql`(${customers.name}, ${customers.id}) > (${page.after.name}, ${page.after.id})` : undefined,
      ),
    )
    .orderBy(asc(customers.name), asc(customers.id))
    .limit(page.limit + 1);
  return { rows: rows.slice(0, page.limit), hasMore: rows.length > page.limit };
}

/**
 * Customers matching a search, keyset-paged on id. Not on name: names that share a common word
 * cluster in name order ("Transport …" all sort late), so walking the name index to find them
 * read 800,000 rows for one page in bench:console-customers; ids are random, so a common word is
 * found within a few hundred rows of (supplier_id, id), and a rare one through the trigram index.
 */
export async function searchCustomers(
  db: DbOrTx,
  supplierId: string,
  filter: { text: string; orgNumber?: string; afterId?: string; limit: number },
): Promise<{ rows: DirectoryRow[]; hasMore: boolean }> {
  const rows = await db
    .select(directoryColumns)
    .from(customers)
    .where(
      and(
        eq(customers.supplierId, supplierId),
        or(
          sql`${customers.name} ilike ${`%${likeEscaped(filter.text)}%`}`,
          eq(customers.externalId, filter.text),
          filter.orgNumber ? eq(customers.orgNumber, filter.orgNumber) : undefined,
        ),
        filter.afterId ? gt(customers.id, filter.afterId) : undefined,
      ),
    )
    .orderBy(asc(customers.id))
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

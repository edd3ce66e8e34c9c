import { and, eq, isNull } from "drizzle-orm";
import { invoices, links } from "../../../../db/schema";
import type { DbOrTx } from "../../../../db/client";

export type NewLink = typeof links.$inferInsert;
export type LinkRow = typeof links.$inferSelect;

export async function insertLink(db: DbOrTx, link: NewLink): Promise<void> {
  await db.insert(links).values(link);
}

/** Revokes every live link of an invoice (reissue, cancellation). */
export async function revokeInvoiceLinks(db: DbOrTx, invoiceId: string, now: Date): Promise<number> {
  const revoked = await db
    .update(links)
    .set({ revokedAt: now })
    .where(and(eq(links.invoiceId, invoiceId), isNull(links.revokedAt)))
    .returning({ id: links.id });
  return revoked.length;
}

/** The link and invoice columns that decide whether a link still opens; other queries reuse them. */
export const linkStateColumns = {
  linkId: links.id,
  supplierId: links.supplierId,
  invoiceId: invoices.id,
  version: links.version,
  revokedAt: links.revokedAt,
  expiresAt: links.expiresAt,
  currentVersion: invoices.linkVersion,
  paidAt: invoices.paidAt,
  cancelledAt: invoices.cancelledAt,
};

export type LinkStateRow = {
  linkId: string;
  supplierId: string;
  invoiceId: string;
  version: number;
  revokedAt: Date | null;
  expiresAt: Date;
  currentVersion: number;
  paidAt: Date | null;
  cancelledAt: Date | null;
};

/** A link with the invoice facts that decide whether it still opens (one round trip). */
export async function findInvoiceLinkByHash(db: DbOrTx, idHash: string): Promise<LinkStateRow | undefined> {
  const [row] = await db
    .select(linkStateColumns)
    .from(links)
    .innerJoin(invoices, eq(invoices.id, links.invoiceId))
    .where(eq(links.idHash, idHash))
    .limit(1);
  return row;
}

export async function getLink(db: DbOrTx, id: string): Promise<LinkRow | undefined> {
  const [row] = await db.select().from(links).where(eq(links.id, id)).limit(1);
  return row;
}

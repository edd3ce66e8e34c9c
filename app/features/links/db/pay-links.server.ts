// The printed "pay now" link's columns on invoices: the code's hash and key id, and the portal
// link it currently redirects to. Supplier API reads are scoped by supplier; the public /p/<code>
// lookup is by the code's hash (unique), which only the holder of the code can compute.
import { and, eq, isNull } from "drizzle-orm";
import { invoices, links } from "../../../../db/schema";
import type { DbOrTx } from "../../../../db/client";

export type InvoicePayCode = {
  id: string;
  total: number;
  cancelledAt: Date | null;
  payCodeHash: string | null;
  payCodeKeyId: string | null;
};

export async function findInvoicePayCode(
  db: DbOrTx,
  params: { supplierId: string; invoiceId: string },
): Promise<InvoicePayCode | undefined> {
  const [row] = await db
    .select({
      id: invoices.id,
      total: invoices.total,
      cancelledAt: invoices.cancelledAt,
      payCodeHash: invoices.payCodeHash,
      payCodeKeyId: invoices.payCodeKeyId,
    })
    .from(invoices)
    .where(and(eq(invoices.id, params.invoiceId), eq(invoices.supplierId, params.supplierId)))
    .limit(1);
  return row;
}

/**
 * Records the code on first request. Only where none is recorded yet: of two concurrent first
 * requests one writes, the other reads what it wrote (both derive the same code from the same key
 * anyway, unless the signing key changed in between).
 */
export async function recordInvoicePayCode(
  db: DbOrTx,
  params: { supplierId: string; invoiceId: string; codeHash: string; keyId: string },
): Promise<boolean> {
  const updated = await db
    .update(invoices)
    .set({ payCodeHash: params.codeHash, payCodeKeyId: params.keyId })
    .where(and(eq(invoices.id, params.invoiceId), eq(invoices.supplierId, params.supplierId), isNull(invoices.payCodeKeyId)))
    .returning({ id: invoices.id });
  return updated.length === 1;
}

/** The invoice a pay code leads to, with the portal link it last redirected to (if any). */
export type PayLinkTarget = {
  invoiceId: string;
  supplierId: string;
  linkVersion: number;
  paidAt: Date | null;
  cancelledAt: Date | null;
  payCodeKeyId: string | null;
  link: { id: string; version: number; revokedAt: Date | null; expiresAt: Date; derivedKeyId: string | null } | null;
};

const targetColumns = {
  invoiceId: invoices.id,
  supplierId: invoices.supplierId,
  linkVersion: invoices.linkVersion,
  paidAt: invoices.paidAt,
  cancelledAt: invoices.cancelledAt,
  payCodeKeyId: invoices.payCodeKeyId,
  linkId: links.id,
  linkRowVersion: links.version,
  revokedAt: links.revokedAt,
  expiresAt: links.expiresAt,
  derivedKeyId: links.derivedKeyId,
};

type TargetRow = {
  invoiceId: string;
  supplierId: string;
  linkVersion: number;
  paidAt: Date | null;
  cancelledAt: Date | null;
  payCodeKeyId: string | null;
  linkId: string | null;
  linkRowVersion: number | null;
  revokedAt: Date | null;
  expiresAt: Date | null;
  derivedKeyId: string | null;
};

function toTarget(row: TargetRow | undefined): PayLinkTarget | undefined {
  if (!row) return undefined;
  const { linkId, linkRowVersion, revokedAt, expiresAt, derivedKeyId, ...invoice } = row;
  const link =
    linkId !== null && linkRowVersion !== null && expiresAt !== null
      ? { id: linkId, version: linkRowVersion, revokedAt, expiresAt, derivedKeyId }
      : null;
  return { ...invoice, link };
}

// The link must belong to the same invoice: pay_link_id is ours, but the join says so anyway.
const linkJoin = and(eq(links.id, invoices.payLinkId), eq(links.invoiceId, invoices.id));

/** One round trip: the invoice by its code's hash, and its current pay-link target. */
export async function findPayLinkTarget(db: DbOrTx, codeHash: string): Promise<PayLinkTarget | undefined> {
  const [row] = await db
    .select(targetColumns)
    .from(invoices)
    .leftJoin(links, linkJoin)
    .where(eq(invoices.payCodeHash, codeHash))
    .limit(1);
  return toTarget(row);
}

/** The same, with the invoice row locked: concurrent visits issue one new portal link, not several. */
export async function lockPayLinkTarget(db: DbOrTx, invoiceId: string): Promise<PayLinkTarget | undefined> {
  const [row] = await db
    .select(targetColumns)
    .from(invoices)
    .leftJoin(links, linkJoin)
    .where(eq(invoices.id, invoiceId))
    .limit(1)
    .for("update", { of: invoices });
  return toTarget(row);
}

export async function setPayLinkId(db: DbOrTx, invoiceId: string, linkId: string): Promise<void> {
  await db.update(invoices).set({ payLinkId: linkId }).where(eq(invoices.id, invoiceId));
}

// Addresses a supplier no longer mails (they bounced, or their owner marked our mail as spam), and
// the "failing" flag those addresses put on the supplier's contacts. Per supplier: one tenant's
// bounce never silences another tenant's mail (security D4). Addresses are kept lower-cased.
import { and, asc, eq, gt, isNotNull, sql, type SQL } from "drizzle-orm";
import { contacts, emailSuppressions } from "../../../../db/schema";
import type { DbOrTx, Tx } from "../../../../db/client";

export type SuppressionReason = "bounced" | "complained";
export type SuppressionRow = typeof emailSuppressions.$inferSelect;

/** Mailbox names are case-insensitive in practice; one spelling per address. */
export function normalizeAddress(address: string): string {
  return address.trim().toLowerCase();
}

/** Whether the supplier must not mail this address (the email.send job asks before sending). */
export async function isAddressSuppressed(
  db: DbOrTx,
  supplierId: string,
  address: string,
): Promise<{ reason: SuppressionReason } | null> {
  const [row] = await db
    .select({ reason: emailSuppressions.reason })
    .from(emailSuppressions)
    .where(and(eq(emailSuppressions.supplierId, supplierId), eq(emailSuppressions.address, normalizeAddress(address))))
    .limit(1);
  return row ?? null;
}

/** False when the address was suppressed already (the first reason and detail stay). */
export async function insertSuppression(
  tx: Tx,
  suppression: { supplierId: string; address: string; reason: SuppressionReason; detail: string | null; emailId: string | null; now: Date },
): Promise<boolean> {
  const rows = await tx
    .insert(emailSuppressions)
    .values({ ...suppression, address: normalizeAddress(suppression.address), createdAt: suppression.now })
    .onConflictDoNothing()
    .returning({ address: emailSuppressions.address });
  return rows.length === 1;
}

/** By address, for the API's list: `after` is the last address of the previous page. */
export async function listSuppressions(
  db: DbOrTx,
  supplierId: string,
  options: { after?: string; address?: string; limit: number },
): Promise<{ rows: SuppressionRow[]; hasMore: boolean }> {
  const rows = await db
    .select()
    .from(emailSuppressions)
    .where(
      and(
        eq(emailSuppressions.supplierId, supplierId),
        options.after === undefined ? undefined : gt(emailSuppressions.address, options.after),
        options.address === undefined ? undefined : eq(emailSuppressions.address, normalizeAddress(options.address)),
      ),
    )
    .orderBy(asc(emailSuppressions.address))
    .limit(options.limit + 1);
  return { rows: rows.slice(0, options.limit), hasMore: rows.length > options.limit };
}

/** Lifts a suppression; undefined when this supplier had none for the address. */
export async function deleteSuppression(tx: Tx, supplierId: string, address: string): Promise<SuppressionRow | undefined> {
  const [row] = await tx
    .delete(emailSuppressions)
    .where(and(eq(emailSuppressions.supplierId, supplierId), eq(emailSuppressions.address, normalizeAddress(address))))
    .returning();
  return row;
}

const sameAddress = (address: string) => sql`lower(trim(${contacts.email})) = ${normalizeAddress(address)}`;

/**
 * Marks every contact of the supplier with this address as failing (a contact already marked
 * keeps its first date and reason) and answers them all, oldest first.
 */
export async function flagContactsWithAddress(
  tx: Tx,
  supplierId: string,
  address: string,
  failure: { reason: SuppressionReason; at: Date },
) {
  await tx
    .update(contacts)
    .set({ emailFailingAt: failure.at, emailFailure: failure.reason })
    .where(and(eq(contacts.supplierId, supplierId), sameAddress(address), sql`${contacts.emailFailingAt} is null`));
  return tx
    .select({ id: contacts.id, customerId: contacts.customerId, name: contacts.name })
    .from(contacts)
    .where(and(eq(contacts.supplierId, supplierId), sameAddress(address)))
    .orderBy(asc(contacts.createdAt), asc(contacts.id));
}

/** A lifted suppression: the contacts with that address are fine again. Answers their ids. */
export async function clearContactsWithAddress(tx: Tx, supplierId: string, address: string): Promise<string[]> {
  const rows = await tx
    .update(contacts)
    .set({ emailFailingAt: null, emailFailure: null })
    .where(and(eq(contacts.supplierId, supplierId), sameAddress(address), isNotNull(contacts.emailFailingAt)))
    .returning({ id: contacts.id });
  return rows.map((row) => row.id);
}

/**
 * The failing flag a contact gets for an address, as SQL for an INSERT or UPDATE of contacts:
 * the suppression's date and reason, or null. A contact saved with a suppressed address shows
 * as failing at once; one whose address changes to a good one is cleared (the way to recover).
 */
export function failingColumnsFor(
  supplierId: typeof contacts.supplierId | string,
  email: string | null,
): { emailFailingAt: SQL; emailFailure: SQL } {
  const suppression = (column: SQL) =>
    email === null
      ? sql`null`
      : sql`(select ${column} from ${emailSuppressions} where ${emailSuppressions.supplierId} = ${supplierId} and ${emailSuppressions.address} = ${normalizeAddress(email)})`;
  return {
    emailFailingAt: suppression(sql`${emailSuppressions.createdAt}`),
    emailFailure: suppression(sql`${emailSuppressions.reason}`),
  };
}

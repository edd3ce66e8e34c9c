// "Send a new link" from the page an expired or revoked link shows (security L6). The visitor
// types no address: a fresh link goes only to the customer's billing contacts on file, and the
// visitor's answer is the same whatever happened here, so the form reveals nothing about a token.
import type { Db } from "../../../db/client";
import type { Config } from "~/platform/config.server";
import { checkLinkState, hashLinkId, verifyLinkToken } from "~/domain/link-token";
import { listBillingContacts } from "~/features/customers/db/contacts.server";
import { appendEvent } from "~/platform/audit/db/events.server";
import { findInvoiceLinkByHash } from "~/features/links/db/links.server";
import { lockInvoiceForPayer } from "~/features/portal/db/payer-invoices.server";
import { emailRecipients, queueEmail } from "~/features/emails/email.server";
import { peekForm } from "~/platform/forms/form-peek.server";
import { checkInvoiceLink, type LinkRejection } from "~/features/links/links.server";

export const REQUEST_LINK_INTENT = "request-link";

/** The form holds one hidden field; anything larger is not ours. */
const MAX_FORM_BYTES = 4 * 1024;

/**
 * True when the POST is the "send a new link" form. Read from a clone, so the payer's other
 * actions can still read the body; only the intent counts (any other field, e.g. an address a
 * visitor added, is never read).
 */
export async function isLinkRequest(request: Request): Promise<boolean> {
  return (await peekForm(request, MAX_FORM_BYTES))?.get("intent") === REQUEST_LINK_INTENT;
}

/** What the link was when a new one was asked for (the audit log's and our log's business only). */
export type RequestedLinkState = "valid" | "expired" | "revoked";

export type LinkRequestOutcome =
  | { ok: true; invoiceId: string; linkState: RequestedLinkState; recipients: number; queued: number }
  | { ok: false; reason: Exclude<LinkRejection, "expired" | "revoked"> | "cancelled" | "settled" };

/** One email per contact and UTC hour: a visitor pressing the button again sends nothing new. */
function idempotencyKey(invoiceId: string, contactId: string, now: Date): string {
  return `new-link:${invoiceId}:${contactId}:${now.toISOString().slice(0, 13)}`;
}

export type LinkRequestInput = { now?: Date; ip: string; userAgent: string };

/**
 * Queues a "new-link" email to each billing contact of the token's invoice (the email job issues
 * the fresh link when it sends). The token must be one we signed, expired or not; the link row may
 * be revoked or superseded. A still-valid link is honoured too: its holder may have lost the
 * email, the mail goes only to addresses on file, and refusing would protect nothing.
 */
export async function requestNewLink(
  db: Db,
  config: Pick<Config, "linkKeys" | "linkGraceDays">,
  token: string,
  input: LinkRequestInput,
): Promise<LinkRequestOutcome> {
  const now = input.now ?? new Date();
  // Verified as of 1970: structure, key and signature count, how long ago it expired does not.
  // A forged or mutated token stops here, before any database query (security L1).
  const verified = verifyLinkToken(token, config.linkKeys, 0);
  if (!verified.ok) return { ok: false, reason: verified.reason === "expired" ? "malformed" : verified.reason };
  const { claims } = verified;

  const row = await findInvoiceLinkByHash(db, hashLinkId(claims.linkId));
  const check = checkInvoiceLink(row, claims.version, config, now);
  if (!row || (!check.ok && check.reason === "unknown")) return { ok: false, reason: "unknown" };
  const expiredClaims = now.getTime() >= claims.expiresAt * 1000;
  const linkState: RequestedLinkState = expiredClaims ? "expired" : check.ok ? "valid" : check.reason === "revoked" ? "revoked" : "expired";

  return db.transaction(async (tx) => {
    const locked = await lockInvoiceForPayer(tx, { supplierId: row.supplierId, invoiceId: row.invoiceId });
    if (!locked) return { ok: false, reason: "unknown" } as const;
    const { invoice, customer, supplier } = locked;
    if (invoice.cancelledAt) return { ok: false, reason: "cancelled" } as const;
    // Settled longer ago than the grace period: a fresh link would not open either.
    const fresh = checkLinkState({
      tokenVersion: invoice.linkVersion,
      currentVersion: invoice.linkVersion,
      revoked: false,
      settledAt: invoice.paidAt,
      now,
      graceDays: config.linkGraceDays,
    });
    if (fresh !== "ok") return { ok: false, reason: "settled" } as const;

    const recipients = emailRecipients(await listBillingContacts(tx, invoice.supplierId, customer.id), customer, supplier);
    let queued = 0;
    for (const recipient of recipients) {
      const result = await queueEmail(tx, {
        supplierId: invoice.supplierId,
        invoiceId: invoice.id,
        customerId: customer.id,
        template: "new-link",
        locale: recipient.locale,
        to: recipient.address,
        idempotencyKey: idempotencyKey(invoice.id, recipient.contactId, now),
        props: { invoiceNumber: invoice.number, supplierName: supplier.name },
      });
      if (result.queued) queued += 1;
    }
    await appendEvent(tx, {
      supplierId: invoice.supplierId,
      invoiceId: invoice.id,
      customerId: customer.id,
      type: "link.requested",
      actor: "payer",
      actorId: row.linkId,
      ip: input.ip || null,
      userAgent: input.userAgent || null,
      data: { link_id: row.linkId, link_state: linkState, recipients: recipients.length, emails_queued: queued },
    });
    return { ok: true, invoiceId: invoice.id, linkState, recipients: recipients.length, queued } as const;
  });
}

// Issuing and resolving signed invoice links (security L1, L2, L6, L7).
import { eq, sql } from "drizzle-orm";
import { invoices } from "../../../db/schema";
import type { DbOrTx } from "../../../db/client";
import { publicUrl, type Config } from "~/platform/config.server";
import {
  checkLinkState, deriveLinkId, hashLinkId, newLinkId, signLinkToken, verifyLinkToken,
} from "~/domain/link-token";
import { newPublicId } from "~/domain/public-id";
import {
  findInvoiceLinkByHash, getLink, insertLink, revokeInvoiceLinks, type LinkRow, type LinkStateRow,
} from "~/features/links/db/links.server";
import { appendEvent, appendEvents, type EventActor, type NewEvent } from "~/platform/audit/db/events.server";

const DAY_MS = 24 * 60 * 60 * 1000;

export type IssuedLink = { linkId: string; url: string; expiresAt: Date };

type LinkConfig = Pick<Config, "linkKeys" | "linkMaxAgeDays" | "publicBaseUrl">;

/** Signs a new link for the invoice's current link version and records it (inside the caller's transaction). */
export async function issueInvoiceLink(
  db: DbOrTx,
  config: LinkConfig,
  invoice: { id: string; supplierId: string; linkVersion: number },
  actor: { actor: EventActor; actorId?: string | null; reason: "created" | "reissued" },
  now = new Date(),
  /** Only the demo seed passes one, to keep its printed links stable across restarts. */
  secret: Buffer = newLinkId(),
): Promise<IssuedLink> {
  const { issued, row, event } = newInvoiceLink(config, invoice, actor, now, secret);
  await insertLink(db, row);
  await appendEvent(db, event);
  return issued;
}

export type NewInvoiceLink = { issued: IssuedLink; row: Parameters<typeof insertLink>[1]; event: NewEvent };

/**
 * A new link's URL, row and "link.issued" event, not yet written: recordInvoiceLink writes them
 * with the caller's own events in one statement (a new invoice's first link).
 */
export function newInvoiceLink(
  config: LinkConfig,
  invoice: { id: string; supplierId: string; linkVersion: number },
  actor: { actor: EventActor; actorId?: string | null; reason: "created" | "reissued" },
  now = new Date(),
  secret: Buffer = newLinkId(),
): NewInvoiceLink {
  const expiresAt = new Date(Math.floor(now.getTime() / 1000) * 1000 + config.linkMaxAgeDays * DAY_MS);
  const token = signLinkToken(
    { linkId: secret, version: invoice.linkVersion, expiresAt: expiresAt.getTime() / 1000 },
    config.linkKeys,
  );
  const linkId = newPublicId("lnk");
  return {
    issued: { linkId, url: publicUrl(config, `/i/${token}`), expiresAt },
    row: {
      id: linkId,
      supplierId: invoice.supplierId,
      invoiceId: invoice.id,
      idHash: hashLinkId(secret),
      version: invoice.linkVersion,
      expiresAt,
      createdAt: now,
    },
    event: {
      supplierId: invoice.supplierId,
      invoiceId: invoice.id,
      type: "link.issued",
      actor: actor.actor,
      actorId: actor.actorId ?? null,
      data: { link_id: linkId, version: invoice.linkVersion, reason: actor.reason, expires_at: expiresAt.toISOString() },
    },
  };
}

/** Records a link from newInvoiceLink; its event and then `andEvents` are appended together. */
export async function recordInvoiceLink(db: DbOrTx, link: NewInvoiceLink, andEvents: NewEvent[] = []): Promise<void> {
  await insertLink(db, link.row);
  await appendEvents(db, [link.event, ...andEvents]);
}

/** Why a derived link was issued: one email, or the printed pay link redirecting to it. */
export type DerivedLinkPurpose = { reason: "email"; emailId: string } | { reason: "pay_link" };

/**
 * A link whose secret is derived from the current signing key and the row id, recorded in the
 * caller's transaction: its URL can be rebuilt from the row (derivedLinkUrl) while only the hash
 * is stored, so a database dump alone still yields no working link.
 */
export async function issueDerivedLink(
  db: DbOrTx,
  config: LinkConfig,
  invoice: { id: string; supplierId: string; linkVersion: number },
  purpose: DerivedLinkPurpose,
  now = new Date(),
): Promise<{ linkId: string; url: string }> {
  const key = config.linkKeys[0];
  if (!key) throw new Error("No link signing key configured");
  const linkId = newPublicId("lnk");
  const expiresAt = new Date(Math.floor(now.getTime() / 1000) * 1000 + config.linkMaxAgeDays * DAY_MS);
  await insertLink(db, {
    id: linkId,
    supplierId: invoice.supplierId,
    invoiceId: invoice.id,
    idHash: hashLinkId(deriveLinkId(key, linkId)),
    version: invoice.linkVersion,
    expiresAt,
    derivedKeyId: key.kid,
    createdAt: now,
  });
  const context = purpose.reason === "email" ? { email_id: purpose.emailId } : {};
  await appendEvent(db, {
    supplierId: invoice.supplierId,
    invoiceId: invoice.id,
    type: "link.issued",
    actor: "system",
    actorId: null,
    data: { link_id: linkId, version: invoice.linkVersion, reason: purpose.reason, ...context, expires_at: expiresAt.toISOString() },
  });
  const url = derivedLinkUrl(config, { id: linkId, version: invoice.linkVersion, expiresAt, derivedKeyId: key.kid });
  return { linkId, url: url! };
}

/**
 * A link for one email, recorded in the caller's transaction (the email job's): every try of
 * that email carries the same URL (emailLinkUrl).
 */
export async function issueEmailLink(
  db: DbOrTx,
  config: LinkConfig,
  invoice: { id: string; supplierId: string; linkVersion: number },
  context: { emailId: string },
  now = new Date(),
): Promise<string> {
  return (await issueDerivedLink(db, config, invoice, { reason: "email", emailId: context.emailId }, now)).linkId;
}

/**
 * A derived link's URL rebuilt from its row; null when its key has been retired (it cannot open
 * then). Campaign links (customer-level) open /c/, invoice links /i/.
 */
export function derivedLinkUrl(
  config: Pick<Config, "linkKeys" | "publicBaseUrl">,
  link: Pick<LinkRow, "id" | "version" | "expiresAt" | "derivedKeyId"> & { campaignId?: string | null },
): string | null {
  const key = link.derivedKeyId ? config.linkKeys.find((candidate) => candidate.kid === link.derivedKeyId) : undefined;
  if (!key) return null;
  const token = signLinkToken(
    { linkId: deriveLinkId(key, link.id), version: link.version, expiresAt: link.expiresAt.getTime() / 1000 },
    config.linkKeys,
  );
  return publicUrl(config, `${link.campaignId ? "/c/" : "/i/"}${token}`);
}

/**
 * The URL of an email's link, rebuilt from its row; null when the key it was derived from has
 * been retired (or the row is gone): such a link can no longer be opened anyway.
 */
export async function emailLinkUrl(db: DbOrTx, config: LinkConfig, linkId: string): Promise<string | null> {
  const link: LinkRow | undefined = await getLink(db, linkId);
  return link ? derivedLinkUrl(config, link) : null;
}

/** Reissues an invoice's link: older links stop working at once. In a caller's transaction, a savepoint. */
export async function reissueInvoiceLink(
  db: DbOrTx,
  config: LinkConfig,
  invoice: { id: string; supplierId: string },
  actor: { actor: EventActor; actorId?: string | null },
): Promise<IssuedLink> {
  return db.transaction(async (tx) => {
    const now = new Date();
    const [bumped] = await tx
      .update(invoices)
      .set({ linkVersion: sql`${invoices.linkVersion} + 1`, updatedAt: now })
      .where(eq(invoices.id, invoice.id))
      .returning({ linkVersion: invoices.linkVersion });
    await revokeInvoiceLinks(tx, invoice.id, now);
    return issueInvoiceLink(
      tx,
      config,
      { ...invoice, linkVersion: bumped!.linkVersion },
      { ...actor, reason: "reissued" },
      now,
    );
  });
}

export type ResolvedLink = { linkId: string; invoiceId: string; supplierId: string };
export type LinkRejection = "malformed" | "unknown_key" | "bad_signature" | "expired" | "unknown" | "revoked";
type LinkCheck = { ok: true; link: ResolvedLink } | { ok: false; reason: LinkRejection };
type LinkCheckConfig = Pick<Config, "linkKeys" | "linkGraceDays">;

/** The step before any database query: forged or mutated tokens cost nothing. */
export function verifyInvoiceToken(
  config: Pick<Config, "linkKeys">,
  token: string,
  now: Date,
): { ok: true; idHash: string; version: number } | { ok: false; reason: LinkRejection } {
  const verified = verifyLinkToken(token, config.linkKeys, Math.floor(now.getTime() / 1000));
  if (!verified.ok) return verified;
  return { ok: true, idHash: hashLinkId(verified.claims.linkId), version: verified.claims.version };
}

/** The database-side checks on a verified token's link row: current version, not revoked, not expired. */
export function checkInvoiceLink(
  row: LinkStateRow | undefined,
  tokenVersion: number,
  config: LinkCheckConfig,
  now: Date,
): LinkCheck {
  if (!row || row.version !== tokenVersion) return { ok: false, reason: "unknown" };
  if (row.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: "expired" };
  const state = checkLinkState({
    tokenVersion: row.version,
    currentVersion: row.currentVersion,
    revoked: row.revokedAt !== null,
    settledAt: row.cancelledAt ?? row.paidAt,
    now,
    graceDays: config.linkGraceDays,
  });
  if (state !== "ok") return { ok: false, reason: state };
  return { ok: true, link: { linkId: row.linkId, invoiceId: row.invoiceId, supplierId: row.supplierId } };
}

/**
 * Resolves a token to its invoice. The signature is checked before any database query; every
 * failure is reported alike to the visitor (the reason is for our log only).
 */
export async function resolveInvoiceToken(
  db: DbOrTx,
  config: LinkCheckConfig,
  token: string,
  now = new Date(),
): Promise<LinkCheck> {
  const verified = verifyInvoiceToken(config, token, now);
  if (!verified.ok) return verified;
  return checkInvoiceLink(await findInvoiceLinkByHash(db, verified.idHash), verified.version, config, now);
}

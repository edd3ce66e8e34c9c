// The printed "pay now" link `/p/<code>` and its QR (issue #6): the supplier's API hands out the
// same code for the invoice's whole life; a visit redirects to a working portal link, issuing a
// fresh one when the last has expired or was revoked by a reissue. Cancelling the invoice, or
// retiring the signing key the code was derived from, revokes the pay link.
import type { Db, DbOrTx } from "../../../db/client";
import { publicUrl, type Config } from "~/platform/config.server";
import { checkLinkState } from "~/domain/link-token";
import { derivePayCode, hashPayCode, isPayCodeShape } from "~/domain/pay-code";
import { isPublicId } from "~/domain/public-id";
import {
  findInvoicePayCode, findPayLinkTarget, lockPayLinkTarget, recordInvoicePayCode, setPayLinkId, type PayLinkTarget,
} from "~/features/links/db/pay-links.server";
import { checkInvoiceLink, derivedLinkUrl, issueDerivedLink } from "~/features/links/links.server";

type PayLinkConfig = Pick<Config, "linkKeys" | "linkMaxAgeDays" | "linkGraceDays" | "publicBaseUrl">;

export type PayLink = { url: string; code: string; qr: { svg: string; png: string } };

export type PayLinkOutcome =
  | { kind: "ok"; payLink: PayLink }
  | { kind: "not_found" }
  | { kind: "cancelled" }
  /** Nothing to pay on a credit note (total ≤ 0). */
  | { kind: "credit_note" }
  /** The code was derived from a key no longer in LINK_SIGNING_KEYS: it cannot be rebuilt. */
  | { kind: "key_retired" };

/**
 * The pay code columns of an invoice about to be inserted, so its pay link is recorded with it
 * (what getPayLink's first request records, without a read and an update): none for a credit note.
 */
export function newInvoicePayCode(
  config: Pick<Config, "linkKeys">,
  invoice: { id: string; total: number },
): { payCodeHash: string; payCodeKeyId: string } | { payCodeHash: null; payCodeKeyId: null } {
  if (invoice.total <= 0) return { payCodeHash: null, payCodeKeyId: null };
  const key = config.linkKeys[0];
  if (!key) throw new Error("No link signing key configured");
  return { payCodeHash: hashPayCode(derivePayCode(key, invoice.id)), payCodeKeyId: key.kid };
}

/** The API's 409 details, one per refusal. */
export const PAY_LINK_REFUSED = {
  cancelled: "The invoice is cancelled: its pay link was revoked with it.",
  credit_note: "A credit note has nothing to pay, so it has no pay link.",
  key_retired:
    "The pay link was derived from a link signing key that has since been retired (LINK_SIGNING_KEYS), so it can no longer be shown; links printed with it no longer open.",
} as const satisfies Record<Exclude<PayLinkOutcome["kind"], "ok" | "not_found">, string>;

export const payLinkPath = (code: string) => `/p/${code}`;

/**
 * The invoice's pay link for its supplier. The first request records the code's hash and key id;
 * later ones rebuild the same code from that key, so a newer signing key never changes a code
 * already printed.
 */
export async function getPayLink(
  db: DbOrTx,
  config: Pick<Config, "linkKeys" | "publicBaseUrl">,
  params: { supplierId: string; invoiceId: string },
): Promise<PayLinkOutcome> {
  if (!isPublicId("inv", params.invoiceId)) return { kind: "not_found" };
  let invoice = await findInvoicePayCode(db, params);
  if (!invoice) return { kind: "not_found" };
  if (invoice.cancelledAt) return { kind: "cancelled" };
  if (invoice.total <= 0) return { kind: "credit_note" };
  if (invoice.payCodeKeyId === null) {
    const key = config.linkKeys[0];
    if (!key) throw new Error("No link signing key configured");
    const codeHash = hashPayCode(derivePayCode(key, invoice.id));
    if (!(await recordInvoicePayCode(db, { ...params, codeHash, keyId: key.kid }))) {
      // A concurrent first request recorded it: use what it stored.
      invoice = await findInvoicePayCode(db, params);
      if (!invoice) return { kind: "not_found" };
    } else {
      invoice = { ...invoice, payCodeHash: codeHash, payCodeKeyId: key.kid };
    }
  }
  const key = config.linkKeys.find((candidate) => candidate.kid === invoice.payCodeKeyId);
  if (!key) return { kind: "key_retired" };
  const code = derivePayCode(key, invoice.id);
  const api = (format: string) => publicUrl(config, `/api/v1/invoices/${invoice.id}/pay-link/qr.${format}`);
  return { kind: "ok", payLink: { url: publicUrl(config, payLinkPath(code)), code, qr: { svg: api("svg"), png: api("png") } } };
}

/**
 * The pay link the supplier already has for this invoice (its code recorded by the API), rebuilt
 * without recording one: null when none was handed out, or it no longer opens (cancelled, a
 * credit note, its key retired). For places a payer reads it (the due-date calendar file).
 */
export function existingPayLinkUrl(
  config: Pick<Config, "linkKeys" | "publicBaseUrl">,
  invoice: { id: string; total: number; cancelledAt: Date | null; payCodeKeyId: string | null },
): string | null {
  if (invoice.payCodeKeyId === null || invoice.cancelledAt !== null || invoice.total <= 0) return null;
  const key = config.linkKeys.find((candidate) => candidate.kid === invoice.payCodeKeyId);
  return key ? publicUrl(config, payLinkPath(derivePayCode(key, invoice.id))) : null;
}

/**
 * The pay link a PDF of the invoice carries (issue #21), its code recorded if none was yet: for
 * the places that may write (invoice creation, the email job, the supplier's API). Null when the
 * invoice has none (cancelled, a credit note, its key retired).
 */
export async function documentPayLinkUrl(
  db: DbOrTx,
  config: Pick<Config, "linkKeys" | "publicBaseUrl">,
  params: { supplierId: string; invoiceId: string },
): Promise<string | null> {
  const outcome = await getPayLink(db, config, params);
  return outcome.kind === "ok" ? outcome.payLink.url : null;
}

/** The same for the payer's downloads, which write nothing (security L3): only a code already recorded. */
export async function recordedPayLinkUrl(
  db: DbOrTx,
  config: Pick<Config, "linkKeys" | "publicBaseUrl">,
  params: { supplierId: string; invoiceId: string },
): Promise<string | null> {
  const invoice = await findInvoicePayCode(db, params);
  return invoice ? existingPayLinkUrl(config, invoice) : null;
}

export type PayCodeRejection = "malformed" | "unknown" | "cancelled" | "key_retired" | "expired";

export type PayCodeResolution =
  | { ok: true; location: string; invoiceId: string; supplierId: string; issued: boolean }
  | { ok: false; reason: PayCodeRejection };

/** A portal link is reused only while it has at least this long to live: the payer gets time to open it. */
const REUSE_MARGIN_MS = 24 * 60 * 60 * 1000;

/** The portal URL of the invoice's current pay-link target, if it still opens (and will for a while). */
function currentTargetUrl(config: PayLinkConfig, target: PayLinkTarget, now: Date): string | null {
  const { link } = target;
  if (!link) return null;
  const check = checkInvoiceLink(
    { ...target, ...link, linkId: link.id, currentVersion: target.linkVersion },
    link.version,
    config,
    new Date(now.getTime() + REUSE_MARGIN_MS),
  );
  return check.ok ? derivedLinkUrl(config, link) : null;
}

/**
 * Resolves `/p/<code>` to a portal URL. The code's shape is checked before any database query;
 * every rejection looks the same to the visitor (the reason is for our log). A visit changes no
 * invoice state: at most it issues a new portal link (bookkeeping, with its link.issued event).
 */
export async function resolvePayCode(db: Db, config: PayLinkConfig, code: string, now = new Date()): Promise<PayCodeResolution> {
  if (!isPayCodeShape(code)) return { ok: false, reason: "malformed" };
  const target = await findPayLinkTarget(db, hashPayCode(code));
  const rejection = rejectTarget(config, target, code, now);
  if (rejection) return { ok: false, reason: rejection };
  const found = target!;
  const existing = currentTargetUrl(config, found, now);
  if (existing) return { ok: true, location: existing, invoiceId: found.invoiceId, supplierId: found.supplierId, issued: false };

  return db.transaction(async (tx) => {
    // Locked and read again: a concurrent visit may have issued the new link already.
    const locked = await lockPayLinkTarget(tx, found.invoiceId);
    const again = rejectTarget(config, locked, code, now);
    if (again) return { ok: false, reason: again } as const;
    const target = locked!;
    const reused = currentTargetUrl(config, target, now);
    if (reused) return { ok: true, location: reused, invoiceId: target.invoiceId, supplierId: target.supplierId, issued: false } as const;
    const issued = await issueDerivedLink(
      tx,
      config,
      { id: target.invoiceId, supplierId: target.supplierId, linkVersion: target.linkVersion },
      { reason: "pay_link" },
      now,
    );
    await setPayLinkId(tx, target.invoiceId, issued.linkId);
    return { ok: true, location: issued.url, invoiceId: target.invoiceId, supplierId: target.supplierId, issued: true } as const;
  });
}

function rejectTarget(config: PayLinkConfig, target: PayLinkTarget | undefined, code: string, now: Date): PayCodeRejection | null {
  if (!target) return "unknown";
  if (target.cancelledAt) return "cancelled";
  const key = config.linkKeys.find((candidate) => candidate.kid === target.payCodeKeyId);
  if (!key) return "key_retired";
  // The stored hash matched; the code must also be the one this key derives for this invoice, so
  // a hash written into the table by someone else opens nothing.
  if (derivePayCode(key, target.invoiceId) !== code) return "unknown";
  // Settled longer ago than the grace period: a portal link would not open either.
  const state = checkLinkState({
    tokenVersion: target.linkVersion,
    currentVersion: target.linkVersion,
    revoked: false,
    settledAt: target.paidAt,
    now,
    graceDays: config.linkGraceDays,
  });
  return state === "ok" ? null : "expired";
}

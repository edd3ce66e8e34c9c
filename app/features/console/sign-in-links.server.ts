// One-time sign-in links (security C3): 256 random bits, stored as a SHA-256, 30 minutes (an
// invite 7 days), spent by a POST only, once. Asking for one answers the same whether or not the
// address has an account; only an address with one gets an email, at most one per two minutes.
import { createHash, randomBytes } from "node:crypto";
import type { Db, DbOrTx } from "../../../db/client";
import { newPublicId } from "~/domain/public-id";
import { publicUrl, type Config } from "~/platform/config.server";
import { startSession } from "~/platform/sessions/sessions.server";
import { queueEmail } from "~/features/emails/email.server";
import { findUserByEmail, getUser, type UserRow } from "./db/users.server";
import { findMembership, listMemberships } from "./db/memberships.server";
import { findUsableLink, insertSignInLink, linkSentSince, spendLink } from "./db/sign-in-links.server";
import { auditConsole, type ConsoleActor } from "./console-audit.server";

export const SIGN_IN_LINK_MS = 30 * 60 * 1000;
export const INVITE_LINK_MS = 7 * 24 * 60 * 60 * 1000;
/** One link email per account per this long, however often someone asks: no inbox flooding. */
export const LINK_REQUEST_INTERVAL_MS = 2 * 60 * 1000;

type Purpose = "invite" | "sign_in";
const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export const signInLinkUrl = (config: Pick<Config, "publicBaseUrl">, token: string) => publicUrl(config, `/app/link/${token}`);

/** A new link for the user to the supplier; the token is returned once and never stored. */
export async function issueSignInLink(db: DbOrTx, input: { userId: string; supplierId: string; purpose: Purpose; now: Date }): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  const lifetime = input.purpose === "invite" ? INVITE_LINK_MS : SIGN_IN_LINK_MS;
  await insertSignInLink(db, {
    id: newPublicId("sil"),
    tokenHash: hashToken(token),
    userId: input.userId,
    supplierId: input.supplierId,
    purpose: input.purpose,
    expiresAt: new Date(input.now.getTime() + lifetime),
    createdAt: input.now,
  });
  return token;
}

/** Queues the email that carries a link (the invite, or "your sign-in link"). */
export async function mailSignInLink(
  db: DbOrTx,
  config: Pick<Config, "publicBaseUrl">,
  input: { user: UserRow; supplierId: string; supplierName: string; purpose: Purpose; token: string },
): Promise<void> {
  await queueEmail(db, {
    supplierId: input.supplierId,
    template: "console-sign-in-link",
    locale: input.user.language,
    to: input.user.email,
    props: { url: signInLinkUrl(config, input.token), purpose: input.purpose, supplierName: input.supplierName },
    idempotencyKey: `console-link:${hashToken(input.token)}`,
  });
}

/** "Email me a sign-in link": the same answer for every address; a link only to a known one. */
export async function requestSignInLink(db: Db, config: Config, input: { email: string; actor: Omit<ConsoleActor, "userId">; now: Date }): Promise<void> {
  const user = await findUserByEmail(db, input.email.trim());
  const [first] = user ? await listMemberships(db, user.id) : [];
  if (!user || !first) return;
  if (await linkSentSince(db, user.id, "sign_in", new Date(input.now.getTime() - LINK_REQUEST_INTERVAL_MS))) return;
  await db.transaction(async (tx) => {
    const token = await issueSignInLink(tx, { userId: user.id, supplierId: first.supplierId, purpose: "sign_in", now: input.now });
    await mailSignInLink(tx, config, { user, supplierId: first.supplierId, supplierName: first.supplierName, purpose: "sign_in", token });
    await auditConsole(tx, first.supplierId, "console.sign_in_link_sent", { ...input.actor, userId: user.id });
  });
}

/** What the link's page shows before it is used: whether it still works (a GET spends nothing). */
export async function peekSignInLink(db: DbOrTx, token: string, now: Date): Promise<{ purpose: Purpose; email: string } | null> {
  if (!TOKEN.test(token)) return null;
  const link = await findUsableLink(db, hashToken(token), now);
  const user = link ? await getUser(db, link.userId) : undefined;
  return link && user ? { purpose: link.purpose, email: user.email } : null;
}

export type LinkSignIn =
  | { ok: true; sessionToken: string; stage: "totp" | "full"; needsPassword: boolean }
  | { ok: false };

/** Spends the link (once) and starts a session; with TOTP on, the session waits for the code. */
export async function spendSignInLink(db: Db, token: string, actor: Omit<ConsoleActor, "userId">, now: Date): Promise<LinkSignIn> {
  if (!TOKEN.test(token)) return { ok: false };
  return db.transaction(async (tx) => {
    const link = await spendLink(tx, hashToken(token), now);
    const user = link ? await getUser(tx, link.userId) : undefined;
    if (!link || !user || !(await findMembership(tx, user.id, link.supplierId))) return { ok: false };
    const stage = user.totpSecret ? "totp" : "full";
    const session = await startSession(tx, { userId: user.id, supplierId: link.supplierId, stage, ip: actor.ip, userAgent: actor.userAgent, now });
    if (stage === "full") await auditConsole(tx, link.supplierId, "console.signed_in", { ...actor, userId: user.id }, { method: link.purpose === "invite" ? "invite_link" : "sign_in_link" });
    return { ok: true, sessionToken: session.token, stage, needsPassword: user.passwordHash === null };
  });
}

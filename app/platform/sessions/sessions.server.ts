// Console sessions (security C4): rows in PostgreSQL, found by the hash of a 256-bit cookie token;
// idle for 12 hours or 14 days old, a session is over, and so is one that was revoked.
import { createHash, randomBytes } from "node:crypto";
import type { DbOrTx } from "../../../db/client";
import { newPublicId } from "~/domain/public-id";
import { findSessionByTokenHash, insertSession, touchSession, type SessionRow } from "./db/sessions.server";

export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 14 * 24 * 60 * 60 * 1000;
/** Between a right password and its TOTP code. */
export const TOTP_STAGE_MS = 5 * 60 * 1000;
/** Writing last_seen_at on every request would be a write per page; a minute's precision is enough. */
const TOUCH_EVERY_MS = 60 * 1000;

export type Session = SessionRow;
export type SessionStage = SessionRow["stage"];

export const hashSessionToken = (token: string) => createHash("sha256").update(token).digest("hex");

export type StartSession = { userId: string; supplierId: string; stage: SessionStage; ip: string; userAgent: string; now: Date };

/** A new session and the token for its cookie; a fresh token every time (rotation at sign-in). */
export async function startSession(db: DbOrTx, input: StartSession): Promise<{ id: string; token: string }> {
  const token = randomBytes(32).toString("base64url");
  const id = newPublicId("ses");
  const lifetime = input.stage === "full" ? SESSION_ABSOLUTE_MS : TOTP_STAGE_MS;
  await insertSession(db, {
    id,
    tokenHash: hashSessionToken(token),
    userId: input.userId,
    supplierId: input.supplierId,
    stage: input.stage,
    ip: input.ip || null,
    userAgent: input.userAgent.slice(0, 500) || null,
    createdAt: input.now,
    lastSeenAt: input.now,
    expiresAt: new Date(input.now.getTime() + lifetime),
  });
  return { id, token };
}

export function isSessionLive(session: SessionRow, now: Date): boolean {
  return (
    session.revokedAt === null &&
    session.expiresAt.getTime() > now.getTime() &&
    now.getTime() - session.lastSeenAt.getTime() < SESSION_IDLE_MS
  );
}

/** The live session behind a cookie token, its last-seen time moved on; null for any other. */
export async function resumeSession(db: DbOrTx, token: string | null, now: Date): Promise<Session | null> {
  if (!token || token.length > 100) return null;
  const session = await findSessionByTokenHash(db, hashSessionToken(token));
  if (!session || !isSessionLive(session, now)) return null;
  if (now.getTime() - session.lastSeenAt.getTime() >= TOUCH_EVERY_MS) await touchSession(db, session.id, now);
  return session;
}

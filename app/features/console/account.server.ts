// A signed-in user's own account: set a password, turn two-factor on or off, end own sessions,
// pick the console's language. Each is on the audit log (security C8); a password or two-factor
// change ends the user's other sessions and rotates the current one (C4).
import type { Db, Tx } from "../../../db/client";
import { passwordProblem, type PasswordProblem } from "~/domain/password-rules";
import type { Config } from "~/platform/config.server";
import { startSession, type Session } from "~/platform/sessions/sessions.server";
import { listLiveSessions, revokeSession, revokeUserSessions } from "~/platform/sessions/db/sessions.server";
import { hashPassword } from "./passwords.server";
import { checkSecondFactor, disableTotp, enableTotp } from "./totp.server";
import { updateUser, type UserRow } from "./db/users.server";
import { auditConsole, type ConsoleActor } from "./console-audit.server";

export type AccountContext = { user: UserRow; session: Session; actor: ConsoleActor; now: Date };

/** Ends every other session and swaps the current one for a fresh token. */
async function rotate(tx: Tx, account: AccountContext): Promise<string> {
  const { user, session, now } = account;
  await revokeUserSessions(tx, user.id, now);
  const fresh = await startSession(tx, { userId: user.id, supplierId: session.supplierId, stage: "full", ip: account.actor.ip, userAgent: account.actor.userAgent, now });
  return fresh.token;
}

export async function setPassword(db: Db, account: AccountContext, password: string): Promise<{ ok: true; sessionToken: string } | { ok: false; problem: PasswordProblem }> {
  const problem = passwordProblem(password, account.user.email);
  if (problem) return { ok: false, problem };
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    await updateUser(tx, account.user.id, { passwordHash, failedSignIns: 0, lockedUntil: null }, account.now);
    await auditConsole(tx, account.session.supplierId, "console.password_set", account.actor);
    return { ok: true, sessionToken: await rotate(tx, account) } as const;
  });
}

export async function turnOnTotp(db: Db, config: Config, account: AccountContext, secret: string, code: string): Promise<{ ok: true; recoveryCodes: string[]; sessionToken: string } | { ok: false }> {
  return db.transaction(async (tx) => {
    const codes = await enableTotp(tx, config, account.user, secret, code, account.now);
    if (!codes) return { ok: false } as const;
    await auditConsole(tx, account.session.supplierId, "console.two_factor_enabled", account.actor);
    return { ok: true, recoveryCodes: codes, sessionToken: await rotate(tx, account) } as const;
  });
}

/** Needs a current code (or a recovery code): a stolen session alone cannot turn it off. */
export async function turnOffTotp(db: Db, config: Config, account: AccountContext, code: string): Promise<{ ok: boolean }> {
  return db.transaction(async (tx) => {
    if (!(await checkSecondFactor(tx, config, account.user, code, account.now))) return { ok: false };
    await disableTotp(tx, account.user.id, account.now);
    await auditConsole(tx, account.session.supplierId, "console.two_factor_disabled", account.actor);
    return { ok: true };
  });
}

export async function endOwnSession(db: Db, account: AccountContext, sessionId: string): Promise<{ ok: boolean }> {
  return db.transaction(async (tx) => {
    const ended = await revokeSession(tx, account.user.id, sessionId, account.now);
    if (ended) await auditConsole(tx, account.session.supplierId, "console.session_ended", account.actor, { sessionId });
    return { ok: ended };
  });
}

export async function setLanguage(db: Db, account: AccountContext, language: "sv" | "en"): Promise<void> {
  await updateUser(db, account.user.id, { language }, account.now);
}

/** Where the user is signed in, newest first, the current session marked. */
export async function ownSessions(db: Db, account: Pick<AccountContext, "user" | "session" | "now">) {
  const sessions = await listLiveSessions(db, account.user.id, account.now);
  return sessions.map((s) => ({ id: s.id, userAgent: s.userAgent, ip: s.ip, lastSeenAt: s.lastSeenAt.toISOString(), current: s.id === account.session.id }));
}

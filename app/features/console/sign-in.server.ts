// Signing in with a password, then the second factor when the user has one (security C2, C4,
// C5, C8). An unknown email, a wrong password and a locked account get the same answer after the
// same work (the password hash always runs); 10 failures in a row lock the account for 15 minutes
// and mail its owner. Every success starts a new session (a fresh token: rotation at sign-in).
import type { Db } from "../../../db/client";
import type { Config } from "~/platform/config.server";
import { startSession, type Session } from "~/platform/sessions/sessions.server";
import { revokeSession } from "~/platform/sessions/db/sessions.server";
import { queueEmail } from "~/features/emails/email.server";
import { checkPassword } from "./passwords.server";
import { checkSecondFactor } from "./totp.server";
import { countFailedSignIn, findUserByEmail, getUser, updateUser, type UserRow } from "./db/users.server";
import { listMemberships } from "./db/memberships.server";
import { auditConsole, type ConsoleActor } from "./console-audit.server";

export const LOCK_AFTER_FAILURES = 10;
export const LOCK_FOR_MS = 15 * 60 * 1000;

type Where = Omit<ConsoleActor, "userId">;
export type SignInOutcome = { kind: "signed_in"; sessionToken: string } | { kind: "totp"; sessionToken: string } | { kind: "refused" };

const isLocked = (user: UserRow, now: Date) => user.lockedUntil !== null && user.lockedUntil.getTime() > now.getTime();

/** Counts a failure on the account; the tenth locks it and mails its owner. */
async function failed(db: Db, user: UserRow, supplier: { supplierId: string; supplierName: string }, where: Where, step: string, now: Date) {
  await db.transaction(async (tx) => {
    const failures = await countFailedSignIn(tx, user.id);
    await auditConsole(tx, supplier.supplierId, "console.sign_in_failed", { ...where, userId: user.id }, { step, failures });
    if (failures < LOCK_AFTER_FAILURES) return;
    const lockedUntil = new Date(now.getTime() + LOCK_FOR_MS);
    await updateUser(tx, user.id, { failedSignIns: 0, lockedUntil }, now);
    await auditConsole(tx, supplier.supplierId, "console.account_locked", { ...where, userId: user.id }, { until: lockedUntil.toISOString() });
    await queueEmail(tx, {
      supplierId: supplier.supplierId,
      template: "console-account-locked",
      locale: user.language,
      to: user.email,
      props: { supplierName: supplier.supplierName, until: lockedUntil },
      idempotencyKey: `console-locked:${user.id}:${lockedUntil.toISOString()}`,
    });
  });
}

export async function signInWithPassword(
  db: Db,
  input: { email: string; password: string; where: Where; now: Date },
): Promise<SignInOutcome> {
  const user = await findUserByEmail(db, input.email.trim());
  const passwordOk = await checkPassword(user?.passwordHash ?? null, input.password);
  const [first] = user ? await listMemberships(db, user.id) : [];
  if (!user || !first) return { kind: "refused" };
  if (isLocked(user, input.now)) {
    await auditConsole(db, first.supplierId, "console.sign_in_failed", { ...input.where, userId: user.id }, { step: "password", locked: true });
    return { kind: "refused" };
  }
  if (!passwordOk) {
    await failed(db, user, first, input.where, "password", input.now);
    return { kind: "refused" };
  }
  return db.transaction(async (tx) => {
    await updateUser(tx, user.id, { failedSignIns: 0, lockedUntil: null }, input.now);
    const stage = user.totpSecret ? "totp" : "full";
    const session = await startSession(tx, { userId: user.id, supplierId: first.supplierId, stage, ...input.where, now: input.now });
    if (stage === "full") await auditConsole(tx, first.supplierId, "console.signed_in", { ...input.where, userId: user.id }, { method: "password" });
    return { kind: stage === "full" ? "signed_in" : "totp", sessionToken: session.token };
  });
}

/** The second step: the pending session ends and, with a right code, a full one begins. */
export async function completeSecondFactor(
  db: Db,
  config: Pick<Config, "credentialsKeys">,
  input: { pending: Session; code: string; where: Where; now: Date },
): Promise<SignInOutcome> {
  const { pending, now } = input;
  const user = await getUser(db, pending.userId);
  if (!user || pending.stage !== "totp") return { kind: "refused" };
  const membership = (await listMemberships(db, user.id)).find((m) => m.supplierId === pending.supplierId);
  if (!membership || isLocked(user, now)) return { kind: "refused" };
  if (!(await checkSecondFactor(db, config, user, input.code, now))) {
    await failed(db, user, membership, input.where, "totp", now);
    return { kind: "refused" };
  }
  return db.transaction(async (tx) => {
    await revokeSession(tx, user.id, pending.id, now);
    await updateUser(tx, user.id, { failedSignIns: 0 }, now);
    const session = await startSession(tx, { userId: user.id, supplierId: pending.supplierId, stage: "full", ...input.where, now });
    await auditConsole(tx, pending.supplierId, "console.signed_in", { ...input.where, userId: user.id }, { method: "totp" });
    return { kind: "signed_in", sessionToken: session.token };
  });
}

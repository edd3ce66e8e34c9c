// The team page's changes, for owners (the route checks `team.manage`): invite by email with a
// role, change a role, remove, end someone's sessions, require two-factor for everyone. A user id
// that is not on this supplier's team is not_found (security C7), and the last owner stays.
// A role change or removal ends the person's sessions (security C4: rotated at privilege change).
import type { Db } from "../../../db/client";
import type { ConsoleRole } from "~/domain/console-roles";
import type { Config } from "~/platform/config.server";
import { revokeUserSessions } from "~/platform/sessions/db/sessions.server";
import { ensureUser } from "./db/users.server";
import { lockSupplierRow, setConsoleRequiresTotp } from "./db/supplier-console.server";
import { countOwners, deleteMembership, findMembership, insertMembership, listTeam, setMembershipRole } from "./db/memberships.server";
import { issueSignInLink, mailSignInLink } from "./sign-in-links.server";
import { auditConsole, type ConsoleActor } from "./console-audit.server";

export type TeamContext = { supplierId: string; supplierName: string; language: "sv" | "en"; actor: ConsoleActor; now: Date };
export type TeamResult = { ok: true } | { ok: false; reason: "not_found" | "already_member" | "last_owner" | "invalid_email" };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export async function inviteMember(db: Db, config: Config, team: TeamContext, email: string, role: ConsoleRole): Promise<TeamResult> {
  const address = email.trim();
  if (!EMAIL.test(address) || address.length > 254) return { ok: false, reason: "invalid_email" };
  return db.transaction(async (tx) => {
    const user = await ensureUser(tx, address, team.language);
    if (!(await insertMembership(tx, user.id, team.supplierId, role))) return { ok: false, reason: "already_member" } as const;
    const token = await issueSignInLink(tx, { userId: user.id, supplierId: team.supplierId, purpose: "invite", now: team.now });
    await mailSignInLink(tx, config, { user, supplierId: team.supplierId, supplierName: team.supplierName, purpose: "invite", token });
    await auditConsole(tx, team.supplierId, "console.member_invited", team.actor, { userId: user.id, role });
    return { ok: true } as const;
  });
}

/** Locks the supplier's owner rows, so two owners cannot demote each other at once. */
async function ownerChange(db: Db, team: TeamContext, userId: string, change: (role: ConsoleRole) => Promise<ConsoleRole | null>) {
  return db.transaction(async (tx): Promise<TeamResult> => {
    await lockSupplierRow(tx, team.supplierId);
    const role = await findMembership(tx, userId, team.supplierId);
    if (!role) return { ok: false, reason: "not_found" };
    const next = await change(role);
    if (role === "owner" && next !== "owner" && (await countOwners(tx, team.supplierId)) <= 1) return { ok: false, reason: "last_owner" };
    if (next === null) {
      await deleteMembership(tx, userId, team.supplierId);
      await auditConsole(tx, team.supplierId, "console.member_removed", team.actor, { userId, role });
    } else if (next !== role) {
      await setMembershipRole(tx, userId, team.supplierId, next);
      await auditConsole(tx, team.supplierId, "console.role_changed", team.actor, { userId, from: role, to: next });
    } else {
      return { ok: true };
    }
    await revokeUserSessions(tx, userId, team.now);
    return { ok: true };
  });
}

export const changeMemberRole = (db: Db, team: TeamContext, userId: string, role: ConsoleRole) => ownerChange(db, team, userId, async () => role);

export const removeMember = (db: Db, team: TeamContext, userId: string) => ownerChange(db, team, userId, async () => null);

/** An owner ends all of a team member's sessions (e.g. a lost laptop). */
export async function endMemberSessions(db: Db, team: TeamContext, userId: string): Promise<TeamResult> {
  if (!(await findMembership(db, userId, team.supplierId))) return { ok: false, reason: "not_found" };
  await db.transaction(async (tx) => {
    await revokeUserSessions(tx, userId, team.now);
    await auditConsole(tx, team.supplierId, "console.sessions_ended", team.actor, { userId });
  });
  return { ok: true };
}

export async function requireTwoFactor(db: Db, team: TeamContext, required: boolean): Promise<TeamResult> {
  await db.transaction(async (tx) => {
    await setConsoleRequiresTotp(tx, team.supplierId, required, team.now);
    await auditConsole(tx, team.supplierId, "console.two_factor_required", team.actor, { required });
  });
  return { ok: true };
}

/** The supplier's team, by email (every role may see it). */
export async function teamMembers(db: Db, supplierId: string) {
  return (await listTeam(db, supplierId)).map((m) => ({ ...m, since: m.since.toISOString() }));
}

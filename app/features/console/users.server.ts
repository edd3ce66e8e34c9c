// Adding a console user from the operator's side (the CLI's `user:create`, the demo seed): the
// user gets the role at the supplier and a one-time sign-in link, printed instead of emailed, for
// the first owner who has nobody to invite them yet.
import type { Db } from "../../../db/client";
import type { ConsoleRole } from "~/domain/console-roles";
import type { Config } from "~/platform/config.server";
import { appendEvent } from "~/platform/audit/db/events.server";
import { ensureUser } from "./db/users.server";
import { findMembership, insertMembership, setMembershipRole } from "./db/memberships.server";
import { getConsoleSupplier } from "./db/supplier-console.server";
import { issueSignInLink, signInLinkUrl } from "./sign-in-links.server";

export type CreatedUser = { ok: true; userId: string; url: string } | { ok: false; reason: "no_supplier" | "invalid_email" };

export async function createUserWithLink(
  db: Db,
  config: Config,
  input: { supplierId: string; email: string; role: ConsoleRole; now: Date; language?: "sv" | "en" },
): Promise<CreatedUser> {
  const email = input.email.trim();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254) return { ok: false, reason: "invalid_email" };
  if (!(await getConsoleSupplier(db, input.supplierId))) return { ok: false, reason: "no_supplier" };
  return db.transaction(async (tx) => {
    const user = await ensureUser(tx, email, input.language ?? "sv");
    const before = await findMembership(tx, user.id, input.supplierId);
    if (!before) await insertMembership(tx, user.id, input.supplierId, input.role);
    else if (before !== input.role) await setMembershipRole(tx, user.id, input.supplierId, input.role);
    if (before !== input.role) {
      await appendEvent(tx, {
        supplierId: input.supplierId, type: before ? "console.role_changed" : "console.member_added", actor: "operator", actorId: "cli",
        data: { userId: user.id, role: input.role, ...(before ? { from: before } : {}) },
      });
    }
    const token = await issueSignInLink(tx, { userId: user.id, supplierId: input.supplierId, purpose: "invite", now: input.now });
    return { ok: true, userId: user.id, url: signInLinkUrl(config, token) } as const;
  });
}

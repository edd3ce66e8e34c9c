// Moving a session to another supplier of the user's: a new session replaces the old one (the
// role may differ: security C4), and the switch is on both suppliers' audit logs.
import type { Db } from "../../../db/client";
import { startSession } from "~/platform/sessions/sessions.server";
import { revokeSession } from "~/platform/sessions/db/sessions.server";
import { findMembership } from "./db/memberships.server";
import { auditConsole } from "./console-audit.server";
import type { ConsoleCall } from "./console-route.server";

/** The new session's token; null when the user does not work for that supplier. */
export async function switchSupplier(db: Db, call: Pick<ConsoleCall, "user" | "session" | "actor" | "now">, supplierId: string): Promise<string | null> {
  if (!(await findMembership(db, call.user.id, supplierId))) return null;
  return db.transaction(async (tx) => {
    await revokeSession(tx, call.user.id, call.session.id, call.now);
    const next = await startSession(tx, { userId: call.user.id, supplierId, stage: "full", ip: call.actor.ip, userAgent: call.actor.userAgent, now: call.now });
    await auditConsole(tx, supplierId, "console.supplier_switched", call.actor, { from: call.session.supplierId });
    return next.token;
  });
}

// Console actions on the audit log (security C8): who (the user), when, IP and user agent.
import type { DbOrTx } from "../../../db/client";
import { appendEvent } from "~/platform/audit/db/events.server";

export type ConsoleActor = { userId: string; ip: string; userAgent: string };

export async function auditConsole(
  db: DbOrTx,
  supplierId: string,
  type: string,
  actor: ConsoleActor,
  data: Record<string, unknown> = {},
): Promise<void> {
  await appendEvent(db, { supplierId, type, actor: "user", actorId: actor.userId, ip: actor.ip || null, userAgent: actor.userAgent || null, data });
}

import type { AppLoadContext } from "@remix-run/node";
import { findActiveApiKey } from "~/api/db/api-keys.server";
import { problem } from "./problem.server";

export type ApiCaller = { supplierId: string; apiKeyId: string };

const unauthorized = (detail: string) =>
  problem(401, "Unauthorized", detail, { headers: { "WWW-Authenticate": 'Bearer realm="api"' } });

/** Every API request names its supplier by its key; a missing, unknown or revoked key is a 401. */
export async function requireApiKey(request: Request, context: AppLoadContext): Promise<ApiCaller> {
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw unauthorized("Send your API key as `Authorization: Bearer <key>`.");
  const key = await findActiveApiKey(context.app.db, match[1]!);
  if (!key) throw unauthorized("The API key is unknown or revoked.");
  return { supplierId: key.supplierId, apiKeyId: key.id };
}

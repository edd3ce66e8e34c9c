// Console users and their sessions for integration tests: a user with a role (and a password or
// TOTP when asked), a signed-in cookie, the route calls a browser's form would make.
import type { AppLoadContext, ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Secret, TOTP } from "otpauth";
import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import type { ConsoleRole } from "~/domain/console-roles";
import { ensureUser, updateUser, type UserRow } from "~/features/console/db/users.server";
import { insertMembership } from "~/features/console/db/memberships.server";
import { hashPassword } from "~/features/console/passwords.server";
import { enableTotp } from "~/features/console/totp.server";
import { startSession } from "~/platform/sessions/sessions.server";
import { sessionCookieName } from "~/platform/sessions/session-cookie";
import { callRoute, testConfig, TEST_BASE_URL } from "./context";

export const PASSWORD = "lingon-kanot-regnbåge";

let counter = 0;
/** An address no other test uses. */
export const uniqueEmail = (name = "user") => `${name}.${process.pid}.${++counter}.${Date.now()}@example.test`;

export type ConsoleUser = { user: UserRow; email: string; totpSecret?: string; recoveryCodes?: string[] };

export async function newConsoleUser(
  db: Db,
  supplierId: string,
  role: ConsoleRole,
  options: { email?: string; password?: string | null; totp?: boolean } = {},
): Promise<ConsoleUser> {
  const email = options.email ?? uniqueEmail(role);
  const user = await ensureUser(db, email, "en");
  await insertMembership(db, user.id, supplierId, role);
  if (options.password !== null) await updateUser(db, user.id, { passwordHash: await hashPassword(options.password ?? PASSWORD) }, new Date());
  let totpSecret: string | undefined;
  let recoveryCodes: string[] | undefined;
  if (options.totp) {
    totpSecret = new Secret({ size: 20 }).base32;
    // Enrolled with a code of a minute ago, so the test's own current codes are still unused.
    recoveryCodes = (await enableTotp(db, testConfig(), user, totpSecret, totpCode(totpSecret, new Date(Date.now() - 60_000)), new Date(Date.now() - 60_000)))!;
  }
  return { user, email, totpSecret, recoveryCodes };
}

export const totpCode = (secret: string, at = new Date()) =>
  new TOTP({ algorithm: "SHA1", digits: 6, period: 30, secret: Secret.fromBase32(secret) }).generate({ timestamp: at.getTime() });

/** A signed-in session's Cookie header. */
export async function signedInCookie(db: Db, userId: string, supplierId: string, now = new Date()): Promise<string> {
  const { token } = await startSession(db, { userId, supplierId, stage: "full", ip: "203.0.113.7", userAgent: "vitest", now });
  return cookieHeader(token);
}

export const cookieHeader = (token: string) => `${sessionCookieName(testConfig())}=${token}`;

/** The session token a response's Set-Cookie carries. */
export function tokenFromSetCookie(response: Response): string | null {
  const header = response.headers.get("set-cookie");
  const match = header?.match(/^__Host-console_session=([^;]*)/);
  return match?.[1] || null;
}

type Route = { loader?: (args: LoaderFunctionArgs) => unknown; action?: (args: ActionFunctionArgs) => unknown };

/** A same-origin form POST to a route, as a browser sends it. */
export function postForm(
  route: Route,
  context: AppLoadContext,
  path: string,
  /** Pairs when a name repeats (a group of checkboxes, a form's rows). */
  fields: Record<string, string> | [string, string][],
  options: { cookie?: string; params?: Record<string, string>; headers?: Record<string, string> } = {},
): Promise<Response> {
  return callRoute(route.action as never, context, {
    method: "POST",
    path,
    params: options.params,
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      origin: TEST_BASE_URL,
      "sec-fetch-site": "same-origin",
      ...(options.cookie ? { cookie: options.cookie } : {}),
      ...options.headers,
    },
    body: new URLSearchParams(fields).toString(),
  });
}

export function getPage(route: Route, context: AppLoadContext, path: string, options: { cookie?: string; params?: Record<string, string> } = {}): Promise<Response> {
  return callRoute(route.loader as never, context, { path, params: options.params, headers: options.cookie ? { cookie: options.cookie } : {} });
}

/** Row counts of every table a console action may write, to prove that nothing was written. */
export async function consoleTables(db: Db): Promise<Record<string, unknown>> {
  const [row] = await db.execute<Record<string, unknown>>(sql`
    select (select count(*) from users) as users,
           (select string_agg(user_id || supplier_id || role, ',' order by user_id, supplier_id) from memberships) as memberships,
           (select count(*) from sessions) as sessions,
           (select count(*) from sessions where revoked_at is not null) as revoked,
           (select count(*) from sign_in_links) as links,
           (select count(*) from recovery_codes) as recovery,
           (select string_agg(coalesce(password_hash, '') || coalesce(totp_secret, '') || language, ',' order by id) from users) as secrets,
           (select count(*) from events) as events,
           (select count(*) from emails) as emails,
           (select count(*) from suppliers where console_requires_totp) as two_factor`);
  return row!;
}

// What the pages before sign-in share (sign-in, the TOTP step, "email me a link", the link's
// page, sign-out): their language, the request as the audit log sees it, the session answers.
import { redirect, type AppLoadContext } from "@remix-run/node";
import { negotiateLocale, type Locale } from "~/i18n";
import type { Config } from "~/platform/config.server";
import { isCrossSiteRequest } from "~/features/portal/payer-actions.server";
import { NO_STORE } from "~/platform/forms/form-action.server";
import { resumeSession, type Session } from "~/platform/sessions/sessions.server";
import { revokeSession } from "~/platform/sessions/db/sessions.server";
import { clearedSessionCookie, sessionCookie, sessionTokenOf } from "~/platform/sessions/session-cookie";

export type PublicPage = { locale: Locale; now: Date; where: { ip: string; userAgent: string } };

export function publicPage(request: Request, context: AppLoadContext): PublicPage {
  return {
    locale: negotiateLocale(request, null, "sv"),
    now: context.app.now?.() ?? new Date(),
    where: { ip: context.request.ip, userAgent: context.request.userAgent },
  };
}

/** A POST from another site is refused before anything is read or written (security C6). */
export function refuseCrossSite(request: Request, context: AppLoadContext): void {
  if (isCrossSiteRequest(request, context.app.config)) throw new Response(null, { status: 403, headers: NO_STORE });
}

export async function currentSession(request: Request, context: AppLoadContext, now: Date): Promise<Session | null> {
  return resumeSession(context.app.db, sessionTokenOf(request, context.app.config), now);
}

/** Off to `to` with the new session's cookie. */
export function withSession(config: Pick<Config, "publicBaseUrl">, token: string, to: string): Response {
  return redirect(to, { status: 303, headers: { ...NO_STORE, "Set-Cookie": sessionCookie(config, token) } });
}

/** Ends the session behind the cookie (its row too: security C4) and clears the cookie. */
export async function signOut(request: Request, context: AppLoadContext, now: Date, to: string): Promise<Response> {
  const session = await currentSession(request, context, now);
  if (session) await revokeSession(context.app.db, session.userId, session.id, now);
  return redirect(to, { status: 303, headers: { ...NO_STORE, "Set-Cookie": clearedSessionCookie(context.app.config) } });
}

// The one shape of a console page (/app/…), like apiRoute for the API: the session cookie names
// the user (idle 12 h, absolute 14 days: security C4), the session's supplier and the user's role
// there are resolved, the route's permission is checked against the one role table
// (app/domain/console-roles.ts, C7), and a POST must come from our own site (C6) and name a known
// `intent` (else 400), each intent with its own permission (else 403, nothing written). The
// handlers get the actor for the audit log (C8). Signed out: a GET goes to the sign-in page, a
// POST is a 401.
import { redirect, type ActionFunctionArgs, type AppLoadContext, type LoaderFunctionArgs } from "@remix-run/node";
import { can, type ConsoleRole, type Permission } from "~/domain/console-roles";
import { negotiateLocale, type Locale } from "~/i18n";
import { isCrossSiteRequest } from "~/features/portal/payer-actions.server";
import { resumeSession, type Session } from "~/platform/sessions/sessions.server";
import { revokeSession } from "~/platform/sessions/db/sessions.server";
import { sessionTokenOf } from "~/platform/sessions/session-cookie";
import { NO_STORE } from "~/platform/forms/form-action.server";
import { getUser, type UserRow } from "./db/users.server";
import { findMembership, listMemberships, type Membership } from "./db/memberships.server";
import { getConsoleSupplier, type ConsoleSupplier } from "./db/supplier-console.server";
import type { ConsoleActor } from "./console-audit.server";

export type ConsoleCall = {
  request: Request;
  params: LoaderFunctionArgs["params"];
  app: AppLoadContext["app"];
  session: Session;
  user: UserRow;
  supplier: ConsoleSupplier;
  role: ConsoleRole;
  memberships: Membership[];
  locale: Locale;
  /** The signed-in user as the audit log's actor. */
  actor: ConsoleActor;
  now: Date;
  can: (permission: Permission) => boolean;
};

export type ConsoleIntent = { permission: Permission; run: (call: ConsoleCall, form: FormData) => Promise<Response | object> };

export type ConsolePage<L> = {
  /** Who may open the page. */
  permission: Permission;
  /** What the page shows; without it the route has only forms (a GET is a 405). */
  load?: (call: ConsoleCall) => Promise<L>;
  /** The page's forms, by their `intent`. */
  intents?: Record<string, ConsoleIntent>;
  /** The account page stays open to a user whom the team's two-factor rule sends there. */
  allowWithoutTotp?: boolean;
};

export const SIGN_IN_PATH = "/app/sign-in";
export const ACCOUNT_PATH = "/app/account";

/** An answer with no body, never cached: 401, 403, or a 404 that names nothing. */
const status = (code: number) => new Response(null, { status: code, headers: NO_STORE });

/** A console record that is not the signed-in supplier's, or not there at all: one answer for both. */
export const notFound = () => status(404);

/** Where a page may send the user back to after signing in: only a console path of ours. */
export function safeNext(value: unknown): string {
  return typeof value === "string" && /^\/app(\/[\w\-./]*)?(\?[\w=&%-]*)?$/.test(value) && !value.includes("..") ? value : "/app";
}

async function signedIn(args: LoaderFunctionArgs, isPost: boolean, allowWithoutTotp: boolean): Promise<ConsoleCall> {
  const { request, context, params } = args;
  const { db, config } = context.app;
  const now = context.app.now?.() ?? new Date();
  const signedOut = () => {
    const url = new URL(request.url);
    return isPost ? status(401) : redirect(`${SIGN_IN_PATH}?next=${encodeURIComponent(url.pathname + url.search)}`, { headers: NO_STORE });
  };
  const session = await resumeSession(db, sessionTokenOf(request, config), now);
  if (!session || session.stage !== "full") throw signedOut();
  const [user, role, supplier] = await Promise.all([
    getUser(db, session.userId),
    findMembership(db, session.userId, session.supplierId),
    getConsoleSupplier(db, session.supplierId),
  ]);
  if (!user || !role || !supplier) {
    // Removed from the team since: this session is over.
    await revokeSession(db, session.userId, session.id, now);
    throw signedOut();
  }
  if (supplier.requiresTotp && user.totpSecret === null && !allowWithoutTotp) {
    throw redirect(`${ACCOUNT_PATH}?two-factor=required`, { headers: NO_STORE });
  }
  return {
    request,
    params,
    app: context.app,
    session,
    user,
    supplier,
    role,
    memberships: await listMemberships(db, user.id),
    locale: negotiateLocale(request, user.language),
    actor: { userId: user.id, ip: context.request.ip, userAgent: context.request.userAgent },
    now,
    can: (permission) => can(role, permission),
  };
}

/** The route's `loader` and `action`. */
export function consoleRoute<L>(page: ConsolePage<L>) {
  const allowWithoutTotp = page.allowWithoutTotp === true;
  return {
    loader: async (args: LoaderFunctionArgs) => {
      const call = await signedIn(args, false, allowWithoutTotp);
      if (!call.can(page.permission)) throw status(403);
      if (!page.load) throw status(405);
      return page.load(call);
    },
    action: async (args: ActionFunctionArgs) => {
      if (isCrossSiteRequest(args.request, args.context.app.config)) throw status(403);
      const call = await signedIn(args, true, allowWithoutTotp);
      if (!call.can(page.permission)) throw status(403);
      const form = await args.request.formData().catch(() => null);
      const name = form?.get("intent");
      const intent = typeof name === "string" && page.intents && Object.hasOwn(page.intents, name) ? page.intents[name] : undefined;
      if (!form || !intent) throw status(400);
      if (!call.can(intent.permission)) throw status(403);
      return intent.run(call, form);
    },
  };
}

/** A form field as text ("" when missing or a file). */
export function field(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

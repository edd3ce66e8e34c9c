// The console's session cookie (security C4): HttpOnly, SameSite=Lax, Path=/. Over https it is a
// `__Host-` cookie and Secure (no Domain, so no sibling host can set or read it); browsers refuse
// a `__Host-` cookie without Secure, so plain-http development uses the bare name.
import type { Config } from "~/platform/config.server";

type CookieConfig = Pick<Config, "publicBaseUrl">;

const BARE_NAME = "console_session";

const isSecure = (config: CookieConfig) => config.publicBaseUrl.protocol === "https:";

export function sessionCookieName(config: CookieConfig): string {
  return isSecure(config) ? `__Host-${BARE_NAME}` : BARE_NAME;
}

function attributes(config: CookieConfig): string {
  return `Path=/; HttpOnly; SameSite=Lax${isSecure(config) ? "; Secure" : ""}`;
}

/** The browser keeps the cookie as long as the session could live; the server decides when it ends. */
const MAX_AGE_SECONDS = 14 * 24 * 60 * 60;

/** Set-Cookie for a new session. */
export function sessionCookie(config: CookieConfig, token: string): string {
  return `${sessionCookieName(config)}=${token}; ${attributes(config)}; Max-Age=${MAX_AGE_SECONDS}`;
}

export function clearedSessionCookie(config: CookieConfig): string {
  return `${sessionCookieName(config)}=; ${attributes(config)}; Max-Age=0`;
}

export function sessionTokenOf(request: Request, config: CookieConfig): string | null {
  const header = request.headers.get("cookie");
  if (!header) return null;
  const name = sessionCookieName(config);
  for (const part of header.split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return value.join("=") || null;
  }
  return null;
}

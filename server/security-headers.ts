import type { RequestHandler } from "express";
import { randomBytes } from "node:crypto";

/**
 * Headers that keep portal tokens from lingering (security L5): no Referer leaves the page,
 * nothing is indexed, nothing frames us, scripts run only with this response's nonce.
 */
export function securityHeaders(options: { hsts: boolean; formTargets?: readonly string[] }): RequestHandler {
  // A form may also lead to the card providers' hosted pages: browsers apply form-action to the
  // redirect that follows the POST (the portal's "pay by card").
  const formAction = ["'self'", ...(options.formTargets ?? [])].join(" ");
  return (_req, res, next) => {
    const nonce = randomBytes(16).toString("base64");
    res.locals.cspNonce = nonce;
    res.setHeader(
      "Content-Security-Policy",
      [
        "default-src 'self'",
        `script-src 'self' 'nonce-${nonce}'`,
        "style-src 'self'",
        "img-src 'self' data: https:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        `form-action ${formAction}`,
        "frame-ancestors 'none'",
      ].join("; "),
    );
    res.setHeader("Referrer-Policy", "no-referrer");
    res.setHeader("X-Robots-Tag", "noindex, nofollow");
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    res.setHeader("Cross-Origin-Resource-Policy", "same-origin");
    res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()");
    if (options.hsts) res.setHeader("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
    next();
  };
}

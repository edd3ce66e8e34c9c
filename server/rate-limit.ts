// Rate limits (security L8), decided on the canonical path (R1: server/app.ts rewrites the URL to
// it before this runs). Every limit is a counter per key in a one-minute window, kept in a
// `LimitStore`: PostgreSQL in production, so with any number of web processes and hosts a client
// gets each limit once.
import type { RequestHandler, Response } from "express";
import { createHash } from "node:crypto";
import type { LimitStore, LimitStoreFactory } from "~/platform/rate-limits/db/limit-stores.server";

export type Limits = {
  /** Failed link lookups (404s on token routes) per client IP per minute. */
  badTokensPerMinute: number;
  /** All requests to token routes per client IP per minute. */
  portalPerMinute: number;
  /** API requests per API key (or per IP without one) per minute. */
  apiPerMinute: number;
  /** Refused API keys (401s on the API) per client IP per minute. */
  failedApiKeysPerMinute: number;
  /** Refused console sign-ins (401s to POSTs under /app/: password, code) per client IP per minute. */
  failedSignInsPerMinute: number;
};

const TOKEN_ROUTE = /^\/(i|c|p)\//;
const CONSOLE_ROUTE = /^\/app(\/|$)/;

export function rateLimits(limits: Limits, stores: LimitStoreFactory): RequestHandler {
  const badTokens = stores("bad-tokens", limits.badTokensPerMinute);
  const portal = stores("portal", limits.portalPerMinute);
  const api = stores("api", limits.apiPerMinute);
  const failedApiKeys = stores("failed-api-keys", limits.failedApiKeysPerMinute);
  const failedSignIns = stores("failed-sign-ins", limits.failedSignInsPerMinute);

  const tooMany = (res: Response, secondsLeft: number, isApi: boolean) => {
    res.setHeader("Retry-After", String(secondsLeft));
    res.setHeader("Cache-Control", "no-store");
    if (isApi) {
      res.status(429).type("application/problem+json").send(
        JSON.stringify({ type: "about:blank", title: "Too many requests", status: 429, detail: "Slow down and retry after the Retry-After seconds." }),
      );
    } else {
      res.status(429).type("text/plain").send("Too many requests. Please wait a minute and try again.");
    }
  };
  /**
   * A limit on failures: the request is counted as one before it runs and given back once its
   * answer is anything but `failed`, so concurrent guesses cannot outrun the limit.
   */
  const takeCountingFailures = async (res: Response, store: LimitStore, key: string, failed: number) => {
    const taken = await store.take(key);
    if (taken.allowed) {
      res.on("close", () => {
        // The insurance limiter answers while the database is away; a give-back never throws here.
        if (res.statusCode !== failed || !res.headersSent) store.giveBack(key).catch(() => undefined);
      });
    }
    return taken;
  };

  return (req, res, next) => {
    const ip = req.ip ?? "unknown";
    const decide = async () => {
      if (TOKEN_ROUTE.test(req.path)) {
        // The failure limit first: an address over it is refused from memory, with no database write.
        const guess = await takeCountingFailures(res, badTokens, ip, 404);
        if (!guess.allowed) return tooMany(res, guess.secondsLeft, false);
        const visit = await portal.take(ip);
        if (!visit.allowed) return tooMany(res, visit.secondsLeft, false);
        return next();
      }
      if (req.method === "POST" && CONSOLE_ROUTE.test(req.path)) {
        // Security C2: an address whose sign-ins keep failing waits, whichever account it tries
        // next (each account also locks on its own after 10 failures: app/features/console).
        const signIn = await takeCountingFailures(res, failedSignIns, ip, 401);
        if (!signIn.allowed) return tooMany(res, signIn.secondsLeft, false);
        return next();
      }
      if (req.path.startsWith("/api/")) {
        // Guessing keys: an address whose keys keep being refused waits, whichever key it sends next.
        const authorization = req.get("authorization");
        const key = authorization ? createHash("sha256").update(authorization).digest("hex").slice(0, 32) : `ip:${ip}`;
        const attempt = await takeCountingFailures(res, failedApiKeys, ip, 401);
        if (!attempt.allowed) return tooMany(res, attempt.secondsLeft, true);
        const call = await api.take(key);
        if (!call.allowed) return tooMany(res, call.secondsLeft, true);
      }
      next();
    };
    decide().catch(next);
  };
}

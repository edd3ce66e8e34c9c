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

/** How long a credential answered as good is remembered, and how many are, per process. */
const VOUCHED_MS = 10 * 60_000;
const VOUCHED_MAX = 10_000;

/**
 * Credentials (a link token, an API key's hash) lately answered as good for an address, in this
 * process's memory. Their requests are not counted in advance as possible failures: an ERP with
 * 32 requests in flight on one key, or an office of payers behind one address, would otherwise
 * fill the failure limit with requests that all succeed, and be refused for the rest of the
 * minute. A guess is never vouched for, so guesses are still counted before they run; an address
 * that is refused keeps being refused with a good credential it had not used before. Requests with
 * a credential not yet known wait for the first one in flight to be answered, not all counted.
 */
class Vouched {
  private readonly good = new Map<string, number>();
  private readonly pending = new Map<string, Promise<boolean>>();

  /** Good lately; otherwise `settle` must be called with the answer once it is known. */
  async check(ip: string, credential: string): Promise<{ good: true } | { good: false; settle: (good: boolean) => void }> {
    const id = `${ip} ${credential}`;
    const first = this.pending.get(id);
    if (first) return (await first) ? { good: true } : { good: false, settle: () => undefined };
    if ((this.good.get(id) ?? 0) > Date.now()) return { good: true };
    let resolve!: (good: boolean) => void;
    this.pending.set(id, new Promise<boolean>((done) => (resolve = done)));
    return {
      good: false,
      settle: (good) => {
        this.pending.delete(id);
        if (good) this.vouch(ip, credential);
        resolve(good);
      },
    };
  }

  vouch(ip: string, credential: string) {
    const id = `${ip} ${credential}`;
    this.good.delete(id); // re-inserted last: the oldest entry is the first to go
    this.good.set(id, Date.now() + VOUCHED_MS);
    if (this.good.size > VOUCHED_MAX) this.good.delete(this.good.keys().next().value!);
  }

  forget(ip: string, credential: string) {
    this.good.delete(`${ip} ${credential}`);
  }
}

export function rateLimits(limits: Limits, stores: LimitStoreFactory): RequestHandler {
  const badTokens = stores("bad-tokens", limits.badTokensPerMinute);
  const portal = stores("portal", limits.portalPerMinute);
  const api = stores("api", limits.apiPerMinute);
  const failedApiKeys = stores("failed-api-keys", limits.failedApiKeysPerMinute);
  const failedSignIns = stores("failed-sign-ins", limits.failedSignInsPerMinute);
  const vouchedTokens = new Vouched();
  const vouchedKeys = new Vouched();
  const noneVouched = new Vouched();

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
   * answer is anything but `failed`, so concurrent guesses cannot outrun the limit. A credential
   * answered as good lately is not counted in advance (Vouched); if it fails after all (a revoked
   * key), that failure is counted then.
   */
  const takeCountingFailures = async (res: Response, store: LimitStore, vouched: Vouched, ip: string, credential: string | undefined, failed: number) => {
    const wasFailure = () => res.headersSent && res.statusCode === failed;
    // A 429 or an outage's 503 says nothing about the credential.
    const wasGood = () => res.headersSent && res.statusCode < 500 && res.statusCode !== 429 && res.statusCode !== failed;
    const known = credential === undefined ? undefined : await vouched.check(ip, credential);
    if (known?.good) {
      res.on("close", () => {
        if (!wasFailure()) return vouched.vouch(ip, credential!);
        vouched.forget(ip, credential!);
        store.take(ip).catch(() => undefined);
      });
      return { allowed: true } as const;
    }
    const taken = await store.take(ip).catch((error: unknown) => {
      known?.settle(false);
      throw error;
    });
    if (!taken.allowed) {
      known?.settle(false);
      return taken;
    }
    res.on("close", () => {
      known?.settle(wasGood());
      // The insurance limiter answers while the database is away; a give-back never throws here.
      if (!wasFailure()) store.giveBack(ip).catch(() => undefined);
    });
    return taken;
  };

  return (req, res, next) => {
    const ip = req.ip ?? "unknown";
    const decide = async () => {
      if (TOKEN_ROUTE.test(req.path)) {
        // The failure limit first: an address over it is refused from memory, with no database write.
        const guess = await takeCountingFailures(res, badTokens, vouchedTokens, ip, req.path.split("/")[2], 404);
        if (!guess.allowed) return tooMany(res, guess.secondsLeft, false);
        const visit = await portal.take(ip);
        if (!visit.allowed) return tooMany(res, visit.secondsLeft, false);
        return next();
      }
      if (req.method === "POST" && CONSOLE_ROUTE.test(req.path)) {
        // Security C2: an address whose sign-ins keep failing waits, whichever account it tries
        // next (each account also locks on its own after 10 failures: app/features/console).
        const signIn = await takeCountingFailures(res, failedSignIns, noneVouched, ip, undefined, 401);
        if (!signIn.allowed) return tooMany(res, signIn.secondsLeft, false);
        return next();
      }
      if (req.path.startsWith("/api/")) {
        // Guessing keys: an address whose keys keep being refused waits, whichever key it sends next.
        const authorization = req.get("authorization");
        const key = authorization ? createHash("sha256").update(authorization).digest("hex").slice(0, 32) : `ip:${ip}`;
        const attempt = await takeCountingFailures(res, failedApiKeys, vouchedKeys, ip, authorization ? key : undefined, 401);
        if (!attempt.allowed) return tooMany(res, attempt.secondsLeft, true);
        const call = await api.take(key);
        if (!call.allowed) return tooMany(res, call.secondsLeft, true);
      }
      next();
    };
    decide().catch(next);
  };
}

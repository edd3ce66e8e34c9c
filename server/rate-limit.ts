// Rate limits (security L8), decided on the canonical path (R1: server/app.ts rewrites the URL to
// it before this runs). Every limit is a counter per key in a fixed one-minute window, kept in a
// `LimitStore`: process memory today, so with N web processes a client gets at most N times each
// limit (still far too little to guess a 128-bit link). A store shared by every process can take
// its place without touching the rules here.
import type { RequestHandler, Response } from "express";
import { createHash } from "node:crypto";

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

/** Counts per key in the current one-minute window. */
export interface LimitStore {
  /** The key's count in the current window. */
  count(key: string): Promise<number>;
  /** Adds one to the key's count and answers the new count. */
  add(key: string): Promise<number>;
  /** Seconds until the current window ends (for Retry-After). */
  secondsLeft(): number;
}

export type LimitStoreFactory = (name: string) => LimitStore;

const TOKEN_ROUTE = /^\/(i|c|p)\//;
const CONSOLE_ROUTE = /^\/app(\/|$)/;

class MemoryWindow implements LimitStore {
  private window = 0;
  private counts = new Map<string, number>();

  constructor(private readonly now: () => number) {}

  private roll() {
    const window = Math.floor(this.now() / 60_000);
    if (window !== this.window) {
      this.window = window;
      this.counts.clear(); // memory stays bounded by one minute of distinct keys
    }
  }

  async count(key: string): Promise<number> {
    this.roll();
    return this.counts.get(key) ?? 0;
  }

  async add(key: string): Promise<number> {
    this.roll();
    const next = (this.counts.get(key) ?? 0) + 1; // read and write with no await between
    this.counts.set(key, next);
    return next;
  }

  secondsLeft(): number {
    return 60 - Math.floor((this.now() % 60_000) / 1000);
  }
}

/** The in-process store: one window per limit, on the given clock. */
export const memoryStores = (now: () => number = Date.now): LimitStoreFactory => () => new MemoryWindow(now);

export function rateLimits(limits: Limits, stores: LimitStoreFactory = memoryStores()): RequestHandler {
  const badTokens = stores("bad-tokens");
  const portal = stores("portal");
  const api = stores("api");
  const failedApiKeys = stores("failed-api-keys");
  const failedSignIns = stores("failed-sign-ins");

  const tooMany = (res: Response, store: LimitStore, isApi: boolean) => {
    res.setHeader("Retry-After", String(store.secondsLeft()));
    res.setHeader("Cache-Control", "no-store");
    if (isApi) {
      res.status(429).type("application/problem+json").send(
        JSON.stringify({ type: "about:blank", title: "Too many requests", status: 429, detail: "Slow down and retry after the Retry-After seconds." }),
      );
    } else {
      res.status(429).type("text/plain").send("Too many requests. Please wait a minute and try again.");
    }
  };
  /** Counts the answer once it is sent, when it is the given status. */
  const countWhen = (res: Response, status: number, store: LimitStore, key: string) =>
    res.on("finish", () => {
      if (res.statusCode === status) void store.add(key);
    });

  return (req, res, next) => {
    const ip = req.ip ?? "unknown";
    const decide = async () => {
      if (TOKEN_ROUTE.test(req.path)) {
        if ((await badTokens.count(ip)) >= limits.badTokensPerMinute) return tooMany(res, badTokens, false);
        if ((await portal.add(ip)) > limits.portalPerMinute) return tooMany(res, portal, false);
        countWhen(res, 404, badTokens, ip);
        return next();
      }
      if (req.method === "POST" && CONSOLE_ROUTE.test(req.path)) {
        // Security C2: an address whose sign-ins keep failing waits, whichever account it tries
        // next (each account also locks on its own after 10 failures: app/features/console).
        if ((await failedSignIns.count(ip)) >= limits.failedSignInsPerMinute) return tooMany(res, failedSignIns, false);
        countWhen(res, 401, failedSignIns, ip);
        return next();
      }
      if (req.path.startsWith("/api/")) {
        // Guessing keys: an address whose keys keep being refused waits, whichever key it sends next.
        if ((await failedApiKeys.count(ip)) >= limits.failedApiKeysPerMinute) return tooMany(res, failedApiKeys, true);
        const authorization = req.get("authorization");
        const key = authorization ? createHash("sha256").update(authorization).digest("hex").slice(0, 32) : `ip:${ip}`;
        if ((await api.add(key)) > limits.apiPerMinute) return tooMany(res, api, true);
        countWhen(res, 401, failedApiKeys, ip);
      }
      next();
    };
    decide().catch(next);
  };
}

// Rate limits (security L8) kept in process memory: fixed one-minute windows per key. With N web
// processes a client gets at most N times the limit, still far too little to guess a 128-bit link.
import type { RequestHandler } from "express";
import { createHash } from "node:crypto";

export type Limits = {
  /** Failed link lookups (404s on token routes) per client IP per minute. */
  badTokensPerMinute: number;
  /** All requests to token routes per client IP per minute. */
  portalPerMinute: number;
  /** API requests per API key (or per IP without one) per minute. */
  apiPerMinute: number;
};

const TOKEN_ROUTE = /^\/(i|c|p)\//;

class WindowCounter {
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

  count(key: string): number {
    this.roll();
    return this.counts.get(key) ?? 0;
  }

  add(key: string): number {
    const next = this.count(key) + 1;
    this.counts.set(key, next);
    return next;
  }

  secondsLeft(): number {
    return 60 - Math.floor((this.now() % 60_000) / 1000);
  }
}

export function rateLimits(limits: Limits, now: () => number = Date.now): RequestHandler {
  const badTokens = new WindowCounter(now);
  const portal = new WindowCounter(now);
  const api = new WindowCounter(now);

  return (req, res, next) => {
    const ip = req.ip ?? "unknown";
    const tooMany = (counter: WindowCounter, api: boolean) => {
      res.setHeader("Retry-After", String(counter.secondsLeft()));
      res.setHeader("Cache-Control", "no-store");
      if (api) {
        res.status(429).type("application/problem+json").send(
          JSON.stringify({ type: "about:blank", title: "Too many requests", status: 429, detail: "Slow down and retry after the Retry-After seconds." }),
        );
      } else {
        res.status(429).type("text/plain").send("Too many requests. Please wait a minute and try again.");
      }
    };

    if (TOKEN_ROUTE.test(req.path)) {
      if (badTokens.count(ip) >= limits.badTokensPerMinute) return tooMany(badTokens, false);
      if (portal.add(ip) > limits.portalPerMinute) return tooMany(portal, false);
      res.on("finish", () => {
        if (res.statusCode === 404) badTokens.add(ip);
      });
      return next();
    }
    if (req.path.startsWith("/api/")) {
      const authorization = req.get("authorization");
      const key = authorization ? createHash("sha256").update(authorization).digest("hex").slice(0, 32) : `ip:${ip}`;
      if (api.add(key) > limits.apiPerMinute) return tooMany(api, true);
    }
    next();
  };
}

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
const REMEMBERED_MAX = 10_000;
/** How long a read of an address's failure count is trusted by this process. */
const PEEK_MS = 1000;

type Taken = Awaited<ReturnType<LimitStore["take"]>>;

/** A map that forgets its oldest entries beyond REMEMBERED_MAX. */
function remember<V>(map: Map<string, V>, key: string, value: V) {
  map.delete(key); // re-inserted last: the oldest entry is the first to go
  map.set(key, value);
  if (map.size > REMEMBERED_MAX) map.delete(map.keys().next().value!);
}

/**
 * A limit on failures per client address (bad links, refused keys, refused sign-ins). A request is
 * counted as one before it runs and given back once its answer is anything but the failure, so
 * concurrent guesses cannot outrun the limit.
 *
 * A credential (a link token, an API key's hash) answered as good for an address lately is not
 * counted in advance (remembered in this process's memory): an ERP with 32 requests in flight on
 * one key, or an office of payers behind one address, filled the limit with requests that all
 * succeeded and was refused for the rest of the minute. Such a request only reads whether the
 * address is refused (at most once a second per address and process), so a refused address waits
 * whatever it sends; if it fails after all (a revoked key), that failure is counted then. A guess
 * is never vouched for. Requests with a credential not yet known wait for the first one in flight
 * to be answered instead of all being counted.
 */
class FailureLimit {
  private readonly vouched = new Map<string, number>();
  private readonly pending = new Map<string, Promise<boolean>>();
  private readonly refused = new Map<string, { until: number; taken: Taken }>();

  constructor(
    private readonly store: LimitStore,
    private readonly failure: number,
  ) {}

  async take(res: Response, ip: string, credential?: string): Promise<Taken> {
    const failed = () => res.headersSent && res.statusCode === this.failure;
    // A 429 or an outage's 503 says nothing about the credential.
    const good = () => res.headersSent && res.statusCode < 500 && res.statusCode !== 429 && !failed();
    const id = `${ip} ${credential}`;
    let settle: ((good: boolean) => void) | undefined;
    if (credential !== undefined) {
      const first = this.pending.get(id);
      const known = first ? await first : (this.vouched.get(id) ?? 0) > Date.now();
      if (known) {
        const state = await this.peek(ip);
        if (state.allowed) {
          res.on("close", () => {
            if (!failed()) return remember(this.vouched, id, Date.now() + VOUCHED_MS);
            this.vouched.delete(id);
            this.store.take(ip).then((taken) => this.note(ip, taken), () => undefined);
          });
        }
        return state;
      }
      if (!first) {
        let resolve!: (good: boolean) => void;
        this.pending.set(id, new Promise<boolean>((done) => (resolve = done)));
        settle = (wasGood) => {
          this.pending.delete(id);
          if (wasGood) remember(this.vouched, id, Date.now() + VOUCHED_MS);
          resolve(wasGood);
        };
      }
    }
    let taken: Taken;
    try {
      taken = this.note(ip, await this.store.take(ip));
    } catch (error) {
      settle?.(false);
      throw error;
    }
    if (!taken.allowed) {
      settle?.(false);
      return taken;
    }
    res.on("close", () => {
      settle?.(good());
      // The insurance limiter answers while the database is away; a give-back never throws here.
      if (!failed()) this.store.giveBack(ip).catch(() => undefined);
    });
    return taken;
  }

  /** Whether the address is refused now, from a read this process made within PEEK_MS or a refusal it saw. */
  private async peek(ip: string): Promise<Taken> {
    const known = this.refused.get(ip);
    if (known && known.until > Date.now()) return known.taken;
    const taken = await this.store.peek(ip);
    remember(this.refused, ip, { until: Date.now() + (taken.allowed ? PEEK_MS : taken.secondsLeft * 1000), taken });
    return taken;
  }

  private note(ip: string, taken: Taken): Taken {
    if (!taken.allowed) remember(this.refused, ip, { until: Date.now() + taken.secondsLeft * 1000, taken });
    return taken;
  }
}

export function rateLimits(limits: Limits, stores: LimitStoreFactory): RequestHandler {
  const badTokens = new FailureLimit(stores("bad-tokens", limits.badTokensPerMinute), 404);
  const portal = stores("portal", limits.portalPerMinute);
  const api = stores("api", limits.apiPerMinute);
  const failedApiKeys = new FailureLimit(stores("failed-api-keys", limits.failedApiKeysPerMinute), 401);
  const failedSignIns = new FailureLimit(stores("failed-sign-ins", limits.failedSignInsPerMinute), 401);

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
  return (req, res, next) => {
    const ip = req.ip ?? "unknown";
    const decide = async () => {
      if (TOKEN_ROUTE.test(req.path)) {
        // The failure limit first: an address over it is refused from memory, with no database write.
        const guess = await badTokens.take(res, ip, req.path.split("/")[2]);
        if (!guess.allowed) return tooMany(res, guess.secondsLeft, false);
        const visit = await portal.take(ip);
        if (!visit.allowed) return tooMany(res, visit.secondsLeft, false);
        return next();
      }
      if (req.method === "POST" && CONSOLE_ROUTE.test(req.path)) {
        // Security C2: an address whose sign-ins keep failing waits, whichever account it tries
        // next (each account also locks on its own after 10 failures: app/features/console).
        const signIn = await failedSignIns.take(res, ip);
        if (!signIn.allowed) return tooMany(res, signIn.secondsLeft, false);
        return next();
      }
      if (req.path.startsWith("/api/")) {
        // Guessing keys: an address whose keys keep being refused waits, whichever key it sends next.
        const authorization = req.get("authorization");
        const key = authorization ? createHash("sha256").update(authorization).digest("hex").slice(0, 32) : `ip:${ip}`;
        const attempt = await failedApiKeys.take(res, ip, authorization ? key : undefined);
        if (!attempt.allowed) return tooMany(res, attempt.secondsLeft, true);
        const call = await api.take(key);
        if (!call.allowed) return tooMany(res, call.secondsLeft, true);
      }
      next();
    };
    decide().catch(next);
  };
}

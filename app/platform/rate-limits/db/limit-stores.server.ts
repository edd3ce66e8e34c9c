// Where rate-limit counts live: in PostgreSQL, so every web process and host counts against the
// same limit (rate-limiter-flexible's Drizzle store), with an in-memory limiter as its insurance
// while the database does not answer; or in memory only (tests of the rules themselves).
import {
  RateLimiterDrizzle, RateLimiterMemory, RateLimiterRes, RLWrapperTimeouts, type RateLimiterAbstract,
} from "rate-limiter-flexible";
import type { Db } from "../../../../db/client";
import { rateLimitCounters } from "../../../../db/schema";

/** Counts per key in a one-minute window that starts at the key's first count. */
export interface LimitStore {
  /**
   * Counts one against the key: allowed while the count stays within the limit; refused with the
   * whole seconds until the window ends (for Retry-After) once it does not.
   */
  take(key: string): Promise<{ allowed: true } | { allowed: false; secondsLeft: number }>;
  /** Takes one back (a request counted in advance that turned out not to count). */
  giveBack(key: string): Promise<void>;
  /** Whether the key is over its limit now, without counting it (a read). */
  peek(key: string): Promise<{ allowed: true } | { allowed: false; secondsLeft: number }>;
}

/** One store per named limit (`bad-tokens`, `api`, …); `limit` is its allowance per window. */
export type LimitStoreFactory = (name: string, limit: number) => LimitStore;

const WINDOW_SECONDS = 60;
/** Slower than this, the database counts as away for the request. */
const STORE_TIMEOUT_MS = 1000;
/** Once the database failed, this process limits from memory alone for a while, then tries again. */
const AWAY_MS = 5000;

type Limiter = Pick<RateLimiterAbstract, "consume" | "reward" | "get">;

/**
 * The shared limiter, insured: when it fails (database down or slower than STORE_TIMEOUT_MS) the
 * process's own in-memory limiter decides, for AWAY_MS, so an outage neither opens the limits nor
 * makes every request wait for a dead connection.
 */
function insured(shared: Limiter, insurance: Limiter): Limiter {
  let awayUntil = 0;
  const run = async <T>(operation: (limiter: Limiter) => Promise<T>): Promise<T> => {
    if (Date.now() >= awayUntil) {
      try {
        return await operation(shared);
      } catch (error) {
        if (error instanceof RateLimiterRes) throw error; // a refusal, not a failure
        awayUntil = Date.now() + AWAY_MS;
      }
    }
    return operation(insurance);
  };
  return {
    consume: (key, points, options) => run((limiter) => limiter.consume(key, points, options)),
    reward: (key, points, options) => run((limiter) => limiter.reward(key, points, options)),
    get: (key, options) => run((limiter) => limiter.get(key, options)),
  };
}

function storeOver(limiter: Limiter, limit: number): LimitStore {
  return {
    async take(key) {
      try {
        await limiter.consume(key);
        return { allowed: true };
      } catch (refusal) {
        if (!(refusal instanceof RateLimiterRes)) throw refusal;
        return { allowed: false, secondsLeft: Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)) };
      }
    },
    async giveBack(key) {
      await limiter.reward(key, 1);
    },
    async peek(key) {
      const state = await limiter.get(key);
      if (!state || state.consumedPoints <= limit) return { allowed: true };
      return { allowed: false, secondsLeft: Math.max(1, Math.ceil(state.msBeforeNext / 1000)) };
    },
  };
}

const memoryLimiter = (name: string, limit: number) =>
  new RateLimiterMemory({ keyPrefix: name, points: limit, duration: WINDOW_SECONDS });

export const memoryLimitStores = (): LimitStoreFactory => (name, limit) => storeOver(memoryLimiter(name, limit), limit);

export const postgresLimitStores = (db: Db): LimitStoreFactory => (name, limit) => {
  const shared = new RateLimiterDrizzle({
    storeClient: db,
    schema: rateLimitCounters,
    keyPrefix: name,
    points: limit,
    duration: WINDOW_SECONDS,
    // A key over its limit waits out its window in this process's memory: a flood of refused
    // requests costs the database one write per process, not one per request.
    inMemoryBlockOnConsumed: limit + 1,
  });
  return storeOver(insured(new RLWrapperTimeouts({ limiter: shared, timeoutMs: STORE_TIMEOUT_MS }), memoryLimiter(name, limit)), limit);
};

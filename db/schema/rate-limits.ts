import { integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Rate-limit counters shared by every web process and host (rate-limiter-flexible's Drizzle
 * store): one row per limit and key, counting until `expire`. Unlogged: a crash may forget a
 * minute of counts, which costs nothing, and every request's write skips the WAL.
 */
export const rateLimitCounters = pgTable("rate_limits", {
  key: text("key").primaryKey(),
  points: integer("points").notNull(),
  expire: timestamp("expire", { withTimezone: true, mode: "date" }),
});

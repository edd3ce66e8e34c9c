import { createHash } from "node:crypto";
import pino, { type Logger } from "pino";
import { canonicalPath } from "~/domain/canonical-path";

/** Paths whose values are secrets or bearer tokens: never written to a log. */
const REDACT = [
  "authorization",
  "*.authorization",
  "*.headers.authorization",
  "*.headers.cookie",
  "token",
  "*.token",
  "apiKey",
  "*.apiKey",
  "api_key",
  "*.api_key",
  "password",
  "*.password",
  "secret",
  "*.secret",
];

/**
 * A failed query's parameters are the values a request sent (names, addresses, secrets): they never
 * reach a log (security D5). drizzle puts them in its error's message (`params: …`) and in
 * `params`; postgres.js in `parameters`. The SQL text, with its $1 placeholders, stays.
 */
const SQL_PARAMS_IN_TEXT = /\nparams: [\s\S]*?(?=\n\s+at |$)/g;
const SQL_PARAM_FIELDS = new Set(["params", "parameters", "args"]);

export function withoutSqlParameters(value: unknown, seen = new WeakSet<object>()): unknown {
  if (typeof value === "string") return value.replace(SQL_PARAMS_IN_TEXT, "\nparams: [redacted]");
  if (value === null || typeof value !== "object" || seen.has(value)) return value;
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => withoutSqlParameters(item, seen));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, SQL_PARAM_FIELDS.has(key) ? "[redacted]" : withoutSqlParameters(item, seen)]),
  );
}

const safeError = (error: unknown) => withoutSqlParameters(error instanceof Error ? pino.stdSerializers.err(error) : error);

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options = {
    level,
    redact: { paths: REDACT, censor: "[redacted]" },
    base: { service: "payer-portal" },
    serializers: { err: safeError, error: safeError },
    hooks: {
      // `log.error(error)` makes the error's message the line's msg, past the serializers.
      logMethod(this: Logger, args: Parameters<pino.LogFn>, method: pino.LogFn) {
        const [first, ...rest] = args as unknown[];
        if (first instanceof Error && rest.length === 0) {
          return method.call(this, { err: first }, withoutSqlParameters(first.message) as string);
        }
        return method.apply(this, args.map((arg) => (typeof arg === "string" ? withoutSqlParameters(arg) : arg)) as Parameters<pino.LogFn>);
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** A short, stable hash that lets operators correlate a token across log lines without revealing it. */
export function shortHash(value: string): string {
  return createHash("sha256").update(value).digest("hex").slice(0, 12);
}

/**
 * Replaces link tokens in a URL path with their short hash, so logs never hold a working link.
 * Works on the canonical path (security R1): `/I/…` and `/%69/…` reach the same page as `/i/…`.
 */
export function redactPath(path: string): string {
  let canonical: string;
  try {
    canonical = canonicalPath(path);
  } catch {
    return "[unreadable path]";
  }
  return canonical.replace(/^\/(i|c|p)\/([^/?#]+)/, (_match, prefix: string, token: string) => `/${prefix}/~${shortHash(token)}`);
}

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

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options = { level, redact: { paths: REDACT, censor: "[redacted]" }, base: { service: "payer-portal" } };
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

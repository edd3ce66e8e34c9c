// Configuration is read and validated once at start; every problem is named at once.
import { availableParallelism } from "node:os";
import { z } from "zod";
import { parseLinkSigningKeys, type LinkKey } from "~/domain/link-token";
import { webhookSecretKey } from "~/domain/standard-webhooks";
import {
  KNOWN_REFERENCE_RATES, mergeReferenceRates, parseReferenceRates, type ReferenceRate,
} from "~/domain/reference-rates";

const booleanish = z
  .enum(["true", "false", "1", "0"])
  .transform((value) => value === "true" || value === "1");

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  PUBLIC_BASE_URL: z
    .string()
    .url("must be an absolute URL such as https://pay.example.com")
    .refine((value) => /^https?:\/\//.test(value), "must start with http:// or https://")
    .optional(),
  DATABASE_URL: z
    .string()
    .refine((value) => /^postgres(ql)?:\/\//.test(value), "must be a postgres:// URL")
    .optional(),
  LINK_SIGNING_KEYS: z.string().optional(),
  LINK_GRACE_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  LINK_MAX_AGE_DAYS: z.coerce.number().int().min(30).max(3650).default(730),
  CAMPAIGN_EMAILS_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(60),
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  DATA_DIR: z.string().min(1).default(".data"),
  WEBHOOK_ALLOW_PRIVATE_TARGETS: booleanish.default("false"),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(1000).max(60_000).default(10_000),
  BENCH_ROUTES: booleanish.default("false"),
  RESEND_API_KEY: z.string().trim().min(1).optional(),
  RESEND_BASE_URL: z
    .string()
    .url("must be an absolute URL such as https://api.resend.com")
    .refine((value) => /^https?:\/\//.test(value), "must start with http:// or https://")
    .optional(),
  EMAIL_FROM: z
    .string()
    .refine((value) => parseMailbox(value) !== undefined, 'must be an address, or a name and address: "Acme Pay <pay@acme.example>"')
    .optional(),
  RESEND_WEBHOOK_SECRET: z.string().trim().min(1).optional(),
  WORKER: z.enum(["on", "off"]).default("on"),
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(256).optional(),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(1),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(25_000),
  JOB_EXPIRE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  JOB_MAINTENANCE_SECONDS: z.coerce.number().int().min(1).max(3600).default(120),
  JOB_RETRY_DELAY_MAX_SECONDS: z.coerce.number().int().min(1).max(86_400).optional(),
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  METRICS_TOKEN: z.string().min(24, "must be at least 24 characters: it is the only thing between the internet and /metrics").optional(),
  BAD_LINKS_PER_MINUTE: z.coerce.number().int().min(1).default(20),
  PORTAL_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).default(300),
  API_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).default(1200),
  FAILED_API_KEYS_PER_MINUTE: z.coerce.number().int().min(1).default(20),
  FAILED_SIGN_INS_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  REFERENCE_RATES: z.string().optional(),
  CREDENTIALS_KEYS: z.string().optional(),
  STRIPE_API_URL: z.string().url("must be an absolute URL such as http://127.0.0.1:12111").optional(),
  ADYEN_API_URL: z.string().url("must be an absolute URL such as http://127.0.0.1:12112").optional(),
});

export type Config = {
  env: "development" | "production" | "test";
  isProduction: boolean;
  port: number;
  host: string;
  publicBaseUrl: URL;
  databaseUrl: string | undefined;
  linkKeys: LinkKey[];
  linkGraceDays: number;
  linkMaxAgeDays: number;
  /** Campaign emails are spread out to this rate, leaving room under the provider's limit for other mail. */
  campaignEmailsPerMinute: number;
  trustProxyHops: number;
  logLevel: z.infer<typeof envSchema>["LOG_LEVEL"];
  dataDir: string;
  /** Lets webhooks reach loopback and private addresses: development and tests only. */
  webhookAllowPrivateTargets: boolean;
  webhookTimeoutMs: number;
  benchRoutes: boolean;
  /** Sender of every email; with `resend` set, emails go out through Resend, else to the outbox. */
  email: { from: Mailbox; resend: { apiKey: string; baseUrl: string } | null };
  /**
   * Verifies Resend's webhook (bounces and complaints suppress an address); without it
   * `/webhooks/resend` answers 404 and nothing is suppressed automatically.
   */
  resendWebhookSecret: string | null;
  /** Whether the web process also runs the job worker (`npm run worker` runs one alone). */
  inProcessWorker: boolean;
  /** Per client IP (links) and per API key, per minute (security L8). */
  /** `npm start`'s web processes and `npm run worker`'s worker processes (node:cluster). */
  webProcesses: number;
  workerProcesses: number;
  /** How long a stopping process lets requests in flight and running jobs finish. */
  shutdownGraceMs: number;
  /** The job queue's timing (pg-boss): see JobTuning. */
  jobs: JobTuning;
  /** Where `/metrics` is served: its own port, and/or the main port to this bearer token. */
  metrics: { port?: number; token?: string };
  rateLimits: {
    badTokensPerMinute: number;
    portalPerMinute: number;
    apiPerMinute: number;
    failedApiKeysPerMinute: number;
    failedSignInsPerMinute: number;
  };
  /** The Riksbank's reference rate per half-year: the committed table plus REFERENCE_RATES. */
  referenceRates: ReferenceRate[];
  /** Encrypt suppliers' provider credentials at rest; the first key encrypts, all decrypt. */
  credentialsKeys: CredentialsKey[];
  /**
   * Where the Stripe and Adyen SDKs send their calls instead of the providers: the local fakes
   * of the demo and the tests. Unset in real use.
   */
  providerApiUrls: { stripe: URL | null; adyen: URL | null };
};

/**
 * How long a job may stay "active" before pg-boss takes it back from a worker that died (and
 * retries it), how often that is checked, and an optional cap on every queue's retry delay
 * (the fault tests shorten all three; production keeps pg-boss's defaults).
 */
export type JobTuning = { expireSeconds: number; maintenanceSeconds: number; retryDelayMaxSeconds?: number };

export type CredentialsKey = { kid: string; key: Buffer };

/** "kid:base64 of 32 bytes", comma-separated; the first encrypts. */
export function parseCredentialsKeys(text: string): CredentialsKey[] {
  const keys = text.split(",").map((entry) => entry.trim()).filter(Boolean).map((entry) => {
    const [kid, secret, ...rest] = entry.split(":");
    if (!kid || !secret || rest.length > 0 || !/^[A-Za-z0-9_-]{1,16}$/.test(kid)) {
      throw new Error('expected "kid:key" pairs, the kid of letters, digits, _ or - (at most 16)');
    }
    const key = Buffer.from(secret, "base64");
    if (key.length !== 32) throw new Error(`key "${kid}" must be 32 bytes in base64 (openssl rand -base64 32)`);
    return { kid, key };
  });
  if (keys.length === 0) throw new Error("no key given");
  if (new Set(keys.map((key) => key.kid)).size !== keys.length) throw new Error("a kid is listed twice");
  return keys;
}

export type Mailbox = { name: string | null; address: string };

const ADDRESS = /^[^\s@<>",;]+@[^\s@<>",;]+$/;

/** `pay@acme.example` or `Acme Pay <pay@acme.example>`. */
export function parseMailbox(value: string): Mailbox | undefined {
  const trimmed = value.trim();
  const named = /^(.*?)\s*<([^<>]+)>$/.exec(trimmed);
  const name = named ? named[1]!.replace(/^"(.*)"$/, "$1").trim() : null;
  const address = named ? named[2]!.trim() : trimmed;
  if (!ADDRESS.test(address) || /[\r\n]/.test(trimmed)) return undefined;
  return { name: name || null, address };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/**
 * `generated` holds secrets made for development (kept under DATA_DIR by the caller);
 * in production nothing is generated and a missing secret stops the server.
 */
export function loadConfig(
  env: Record<string, string | undefined>,
  generated: { LINK_SIGNING_KEYS?: string; CREDENTIALS_KEYS?: string } = {},
): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`),
    );
  }
  const values = parsed.data;
  const isProduction = values.NODE_ENV === "production";
  const problems: string[] = [];

  const keysText = values.LINK_SIGNING_KEYS ?? (isProduction ? undefined : generated.LINK_SIGNING_KEYS);
  let linkKeys: LinkKey[] = [];
  if (!keysText) {
    problems.push(
      "LINK_SIGNING_KEYS: required in production (comma-separated kid:secret pairs, secrets of at least 32 characters; the first signs)",
    );
  } else {
    try {
      linkKeys = parseLinkSigningKeys(keysText);
    } catch (error) {
      problems.push(`LINK_SIGNING_KEYS: ${(error as Error).message}`);
    }
  }

  if (isProduction && !values.PUBLIC_BASE_URL) {
    problems.push("PUBLIC_BASE_URL: required in production (every link is built from it, never from the Host header)");
  }
  if (isProduction && values.WEBHOOK_ALLOW_PRIVATE_TARGETS) {
    problems.push("WEBHOOK_ALLOW_PRIVATE_TARGETS: must be false in production (webhooks must never reach internal addresses)");
  }
  if (isProduction && values.RESEND_API_KEY && !values.EMAIL_FROM) {
    problems.push('EMAIL_FROM: required in production when RESEND_API_KEY is set (a sender on a domain verified at Resend, e.g. "Acme Pay <pay@acme.example>")');
  }
  // Checked here, not on the first bounce: a mangled secret would refuse every genuine webhook.
  if (values.RESEND_WEBHOOK_SECRET) {
    try {
      if (!values.RESEND_WEBHOOK_SECRET.startsWith("whsec_")) throw new Error("must start with whsec_");
      webhookSecretKey(values.RESEND_WEBHOOK_SECRET);
    } catch (error) {
      problems.push(`RESEND_WEBHOOK_SECRET: ${(error as Error).message} (copy the signing secret of the webhook at Resend, whsec_…)`);
    }
  }
  let referenceRates: ReferenceRate[] = [];
  try {
    referenceRates = mergeReferenceRates(KNOWN_REFERENCE_RATES, parseReferenceRates(values.REFERENCE_RATES ?? ""));
  } catch (error) {
    problems.push(`REFERENCE_RATES: ${(error as Error).message}`);
  }
  let credentialsKeys: CredentialsKey[] = [];
  const credentialsText = values.CREDENTIALS_KEYS ?? (isProduction ? undefined : generated.CREDENTIALS_KEYS);
  if (credentialsText) {
    try {
      credentialsKeys = parseCredentialsKeys(credentialsText);
    } catch (error) {
      problems.push(`CREDENTIALS_KEYS: ${(error as Error).message}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const publicBaseUrl = new URL(values.PUBLIC_BASE_URL ?? `http://localhost:${values.PORT}`);
  return {
    env: values.NODE_ENV,
    isProduction,
    port: values.PORT,
    host: values.HOST,
    publicBaseUrl,
    databaseUrl: values.DATABASE_URL,
    linkKeys,
    linkGraceDays: values.LINK_GRACE_DAYS,
    linkMaxAgeDays: values.LINK_MAX_AGE_DAYS,
    campaignEmailsPerMinute: values.CAMPAIGN_EMAILS_PER_MINUTE,
    trustProxyHops: values.TRUST_PROXY_HOPS,
    logLevel: values.LOG_LEVEL,
    dataDir: values.DATA_DIR,
    webhookAllowPrivateTargets: values.WEBHOOK_ALLOW_PRIVATE_TARGETS,
    webhookTimeoutMs: values.WEBHOOK_TIMEOUT_MS,
    benchRoutes: values.BENCH_ROUTES,
    email: {
      from: parseMailbox(values.EMAIL_FROM ?? "Payer Portal <noreply@localhost>")!,
      resend: values.RESEND_API_KEY
        ? { apiKey: values.RESEND_API_KEY, baseUrl: (values.RESEND_BASE_URL ?? "https://api.resend.com").replace(/\/+$/, "") }
        : null,
    },
    resendWebhookSecret: values.RESEND_WEBHOOK_SECRET ?? null,
    inProcessWorker: values.WORKER === "on",
    // One web process per core in production; one in development, where `remix dev` reloads it.
    webProcesses: values.WEB_CONCURRENCY ?? (isProduction ? availableParallelism() : 1),
    workerProcesses: values.WORKER_CONCURRENCY,
    shutdownGraceMs: values.SHUTDOWN_GRACE_MS,
    jobs: {
      expireSeconds: values.JOB_EXPIRE_SECONDS,
      maintenanceSeconds: values.JOB_MAINTENANCE_SECONDS,
      ...(values.JOB_RETRY_DELAY_MAX_SECONDS ? { retryDelayMaxSeconds: values.JOB_RETRY_DELAY_MAX_SECONDS } : {}),
    },
    metrics: { port: values.METRICS_PORT, token: values.METRICS_TOKEN },
    rateLimits: {
      badTokensPerMinute: values.BAD_LINKS_PER_MINUTE,
      portalPerMinute: values.PORTAL_REQUESTS_PER_MINUTE,
      apiPerMinute: values.API_REQUESTS_PER_MINUTE,
      failedApiKeysPerMinute: values.FAILED_API_KEYS_PER_MINUTE,
      failedSignInsPerMinute: values.FAILED_SIGN_INS_PER_MINUTE,
    },
    referenceRates,
    credentialsKeys,
    providerApiUrls: {
      stripe: values.STRIPE_API_URL ? new URL(values.STRIPE_API_URL) : null,
      adyen: values.ADYEN_API_URL ? new URL(values.ADYEN_API_URL) : null,
    },
  };
}

/** Builds an absolute link from the configured public base URL (never from the Host header). */
export function publicUrl(config: Pick<Config, "publicBaseUrl">, pathname: string): string {
  return new URL(pathname.replace(/^\/+/, ""), config.publicBaseUrl.href.replace(/\/?$/, "/")).toString();
}

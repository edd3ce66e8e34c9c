import { describe, it, expect } from "vitest";
import { ConfigError, loadConfig, publicUrl } from "./config.server";

const KEYS = "k1:0123456789abcdef0123456789abcdef";

function problemsOf(env: Record<string, string>, generated = {}): string[] {
  try {
    loadConfig(env, generated);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("configuration", () => {
  it("needs nothing in development: generated secrets and a localhost base URL", () => {
    const config = loadConfig({}, { LINK_SIGNING_KEYS: KEYS });
    expect(config.env).toBe("development");
    expect(config.port).toBe(3000);
    expect(config.publicBaseUrl.href).toBe("http://localhost:3000/");
    expect(config.linkKeys.map((key) => key.kid)).toEqual(["k1"]);
  });

  it("refuses to start in production without secrets, naming each missing variable at once", () => {
    const problems = problemsOf({ NODE_ENV: "production" }, { LINK_SIGNING_KEYS: KEYS });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^LINK_SIGNING_KEYS: required in production/);
    expect(problems[1]).toMatch(/^PUBLIC_BASE_URL: required in production/);
  });

  it.each([
    [{ PORT: "70000" }, /^PORT:/],
    [{ PUBLIC_BASE_URL: "pay.example.com" }, /^PUBLIC_BASE_URL: must be an absolute URL/],
    [{ PUBLIC_BASE_URL: "ftp://pay.example.com" }, /^PUBLIC_BASE_URL: must start with http/],
    [{ DATABASE_URL: "mysql://x" }, /^DATABASE_URL: must be a postgres:\/\/ URL/],
    [{ LINK_SIGNING_KEYS: "k1:short" }, /^LINK_SIGNING_KEYS: .*shorter than 32/],
    [{ LINK_SIGNING_KEYS: `${KEYS},${KEYS}` }, /^LINK_SIGNING_KEYS: .*listed twice/],
    [{ LOG_LEVEL: "loud" }, /^LOG_LEVEL:/],
    [{ WORKER: "maybe" }, /^WORKER:/],
    [{ RESEND_WEBHOOK_SECRET: "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" }, /^RESEND_WEBHOOK_SECRET: must start with whsec_/],
    [{ RESEND_WEBHOOK_SECRET: "whsec_not base64!" }, /^RESEND_WEBHOOK_SECRET: .*base64/],
  ])("names the bad variable: %o", (env, message) => {
    const problems = problemsOf(env, { LINK_SIGNING_KEYS: KEYS });
    expect(problems.some((problem) => message.test(problem))).toBe(true);
  });

  it("takes Resend's webhook signing secret as given, and none by default", () => {
    expect(loadConfig({}, { LINK_SIGNING_KEYS: KEYS }).resendWebhookSecret).toBeNull();
    const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    expect(loadConfig({ RESEND_WEBHOOK_SECRET: secret }, { LINK_SIGNING_KEYS: KEYS }).resendWebhookSecret).toBe(secret);
  });

  it("builds links from the configured base URL, with or without a path", () => {
    const config = loadConfig({ PUBLIC_BASE_URL: "https://pay.example.com/portal", LINK_SIGNING_KEYS: KEYS });
    expect(publicUrl(config, "/i/abc")).toBe("https://pay.example.com/portal/i/abc");
  });
});

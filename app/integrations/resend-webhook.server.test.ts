// Resend's SDK verifying what `standardwebhooks` (Svix's algorithm) signed, as Resend sends it.
import { describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { verifyResendWebhook } from "./resend-webhook.server";

const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const BODY = JSON.stringify({ type: "email.complained", data: { email_id: "re_1" } }, null, 2);

function headers(options: { id?: string; timestamp?: number; secret?: string; body?: string; prefix?: string } = {}) {
  const id = options.id ?? "msg_2LJZ3wQfHk9yX";
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = new Webhook(options.secret ?? SECRET).sign(id, new Date(timestamp * 1000), options.body ?? BODY);
  const prefix = options.prefix ?? "svix";
  return new Headers({ [`${prefix}-id`]: id, [`${prefix}-timestamp`]: String(timestamp), [`${prefix}-signature`]: signature });
}

describe("verifyResendWebhook", () => {
  it("accepts what the secret signed, naming the event by its svix-id", () => {
    expect(verifyResendWebhook(BODY, headers(), SECRET)).toEqual({
      ok: true,
      eventId: "msg_2LJZ3wQfHk9yX",
      payload: { type: "email.complained", data: { email_id: "re_1" } },
    });
    expect(verifyResendWebhook(BODY, headers({ prefix: "webhook" }), SECRET).ok).toBe(true);
  });

  it.each([
    ["another secret", () => verifyResendWebhook(BODY, headers({ secret: "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" }), SECRET), "bad signature"],
    ["the same JSON re-serialised", () => verifyResendWebhook(JSON.stringify(JSON.parse(BODY)), headers(), SECRET), "bad signature"],
    ["a timestamp over 5 minutes old", () => verifyResendWebhook(BODY, headers({ timestamp: Math.floor(Date.now() / 1000) - 301 }), SECRET), "stale"],
    ["a timestamp over 5 minutes ahead", () => verifyResendWebhook(BODY, headers({ timestamp: Math.floor(Date.now() / 1000) + 302 }), SECRET), "future"],
    ["no headers", () => verifyResendWebhook(BODY, new Headers(), SECRET), "missing headers"],
    ["an absurdly long id", () => verifyResendWebhook(BODY, headers({ id: "m".repeat(201) }), SECRET), "missing headers"],
    ["a signed body that is not JSON", () => verifyResendWebhook("hello", headers({ body: "hello" }), SECRET), "not JSON"],
  ])("refuses %s", (_name, run, reason) => {
    expect(run()).toEqual({ ok: false, reason });
  });

  it("refuses a timestamp with trailing junk, which the SDK's parseInt would read as a number", () => {
    const signed = headers();
    signed.set("svix-timestamp", `${signed.get("svix-timestamp")}abc`);
    expect(verifyResendWebhook(BODY, signed, SECRET)).toEqual({ ok: false, reason: "bad signature" });
  });
});

import { describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import {
  generateWebhookSecret, signWebhook, webhookBody, webhookHeaders, webhookSecretKey, WEBHOOK_SECRET_PREFIX,
} from "./standard-webhooks";

// The published test vector of the Standard Webhooks / Svix libraries.
const VECTOR = {
  secret: "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
};

describe("signWebhook", () => {
  it.each([
    ["bare base64", VECTOR.secret],
    ["with whsec_", `whsec_${VECTOR.secret}`],
  ])("matches the published vector (%s secret)", (_label, secret) => {
    expect(signWebhook(secret, VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(VECTOR.signature);
  });

  it.each([
    ["id", { ...VECTOR, id: "msg_p5jXN8AQM9LWM0D4loKWxJel" }],
    ["timestamp", { ...VECTOR, timestamp: VECTOR.timestamp + 1 }],
    ["body", { ...VECTOR, body: '{"test":2432232314}' }],
  ])("changes when the %s changes", (_label, changed) => {
    expect(signWebhook(changed.secret, changed.id, changed.timestamp, changed.body)).not.toBe(VECTOR.signature);
  });

  it.each([
    ["not base64", "whsec_not*base64!"],
    ["too short", `whsec_${Buffer.alloc(16).toString("base64")}`],
    ["too long", `whsec_${Buffer.alloc(65).toString("base64")}`],
    ["empty", "whsec_"],
  ])("refuses a secret that is %s", (_label, secret) => {
    expect(() => signWebhook(secret, VECTOR.id, VECTOR.timestamp, VECTOR.body)).toThrow();
  });

  it("refuses a timestamp that is not whole seconds", () => {
    expect(() => signWebhook(VECTOR.secret, VECTOR.id, 1614265330.5, VECTOR.body)).toThrow(RangeError);
  });
});

describe("generateWebhookSecret", () => {
  it("makes whsec_ + base64 of 32 random bytes, different every time", () => {
    const secrets = Array.from({ length: 100 }, generateWebhookSecret);
    expect(new Set(secrets).size).toBe(100);
    for (const secret of secrets) {
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      expect(webhookSecretKey(secret)).toHaveLength(32);
    }
  });

  it("is accepted by the standardwebhooks library, which verifies our headers", () => {
    const secret = generateWebhookSecret();
    const now = Math.floor(Date.now() / 1000);
    const body = webhookBody("invoice.confirmed", new Date("2026-11-24T10:00:00Z"), { invoice_id: "inv_1", amount: 1000 });
    const headers = webhookHeaders(secret, "whm_0000000000000000000001", now, body);
    expect(new Webhook(secret).verify(body, headers)).toEqual({
      type: "invoice.confirmed",
      timestamp: "2026-11-24T10:00:00.000Z",
      data: { invoice_id: "inv_1", amount: 1000 },
    });
    // …and a tampered body does not verify.
    expect(() => new Webhook(secret).verify(body.replace("1000", "1001"), headers)).toThrow();
    expect(secret.startsWith(WEBHOOK_SECRET_PREFIX)).toBe(true);
  });
});

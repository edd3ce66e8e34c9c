import { describe, expect, it } from "vitest";
import { parseCredentialsKeys } from "~/platform/config.server";
import { CredentialsKeyMissing, decryptCredentials, encryptCredentials } from "./credentials.server";

const keyA = parseCredentialsKeys(`a:${Buffer.alloc(32, 1).toString("base64")}`);
const keyB = parseCredentialsKeys(`b:${Buffer.alloc(32, 2).toString("base64")}`);
const secret = { secretKey: "sk_test_51Hx", webhookSecret: "whsec_abc" };

describe("provider credentials at rest", () => {
  it("round-trips and never stores the secret in the clear", () => {
    const stored = encryptCredentials({ credentialsKeys: keyA }, secret);
    expect(stored).not.toContain("sk_test");
    expect(stored).not.toContain("whsec");
    expect(decryptCredentials({ credentialsKeys: keyA }, stored)).toEqual(secret);
  });

  it("encrypts each time with a fresh IV", () => {
    expect(encryptCredentials({ credentialsKeys: keyA }, secret)).not.toBe(encryptCredentials({ credentialsKeys: keyA }, secret));
  });

  it("decrypts with an older key after rotation; the newest encrypts", () => {
    const stored = encryptCredentials({ credentialsKeys: keyA }, secret);
    const rotated = [...keyB, ...keyA];
    expect(decryptCredentials({ credentialsKeys: rotated }, stored)).toEqual(secret);
    expect(encryptCredentials({ credentialsKeys: rotated }, secret)).toMatch(/^v1\.b\./);
  });

  it("refuses a tampered ciphertext, a swapped key id and an unknown key", () => {
    const stored = encryptCredentials({ credentialsKeys: keyA }, secret);
    const parts = stored.split(".");
    const flipped = parts[4]!.startsWith("A") ? `B${parts[4]!.slice(1)}` : `A${parts[4]!.slice(1)}`;
    expect(() => decryptCredentials({ credentialsKeys: keyA }, [...parts.slice(0, 4), flipped].join("."))).toThrow();
    const relabelled = ["v1", "b", ...parts.slice(2)].join(".");
    expect(() => decryptCredentials({ credentialsKeys: [...keyA, { kid: "b", key: keyA[0]!.key }] }, relabelled)).toThrow();
    expect(() => decryptCredentials({ credentialsKeys: keyB }, stored)).toThrow(/no longer lists/);
  });

  it("says what to configure when no key is set", () => {
    expect(() => encryptCredentials({ credentialsKeys: [] }, secret)).toThrow(CredentialsKeyMissing);
  });

  it.each([
    ["a", /kid:key/],
    [`a:${Buffer.alloc(16).toString("base64")}`, /32 bytes/],
    [`a:${Buffer.alloc(32).toString("base64")},a:${Buffer.alloc(32).toString("base64")}`, /twice/],
  ])("rejects the key list %s", (text, message) => {
    expect(() => parseCredentialsKeys(text)).toThrow(message);
  });
});

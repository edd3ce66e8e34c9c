// Suppliers' provider credentials, encrypted at rest with AES-256-GCM under CREDENTIALS_KEYS:
// the first key encrypts, every listed key decrypts (so keys can rotate), and a database dump
// alone holds no usable secret.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { Config } from "~/platform/config.server";

type Keys = Pick<Config, "credentialsKeys">;

export class CredentialsKeyMissing extends Error {
  constructor() {
    super("CREDENTIALS_KEYS is not set: provider credentials cannot be stored or read (openssl rand -base64 32)");
    this.name = "CredentialsKeyMissing";
  }
}

const VERSION = "v1";

/** `v1.<kid>.<iv>.<tag>.<ciphertext>`, base64url parts; the kid and version are authenticated. */
export function encryptCredentials(config: Keys, value: unknown): string {
  const current = config.credentialsKeys[0];
  if (!current) throw new CredentialsKeyMissing();
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", current.key, iv);
  cipher.setAAD(Buffer.from(`${VERSION}.${current.kid}`));
  const data = Buffer.concat([cipher.update(JSON.stringify(value), "utf8"), cipher.final()]);
  return [VERSION, current.kid, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), data.toString("base64url")].join(".");
}

export function decryptCredentials<T>(config: Keys, text: string): T {
  const [version, kid, iv, tag, data, ...rest] = text.split(".");
  if (version !== VERSION || !kid || !iv || !tag || data === undefined || rest.length > 0) {
    throw new Error("Stored credentials are not in the expected format");
  }
  if (config.credentialsKeys.length === 0) throw new CredentialsKeyMissing();
  const key = config.credentialsKeys.find((candidate) => candidate.kid === kid);
  if (!key) throw new Error(`Stored credentials were encrypted with key "${kid}", which CREDENTIALS_KEYS no longer lists`);
  const decipher = createDecipheriv("aes-256-gcm", key.key, Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(`${VERSION}.${kid}`));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  const plain = Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]);
  return JSON.parse(plain.toString("utf8")) as T;
}

// In development, secrets that are not configured are generated once and kept under DATA_DIR,
// so the quick start needs no configuration and links keep working across restarts.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export type GeneratedSecrets = { LINK_SIGNING_KEYS: string; CREDENTIALS_KEYS: string };

function newSecrets(): GeneratedSecrets {
  return {
    LINK_SIGNING_KEYS: `dev1:${randomBytes(32).toString("base64url")}`,
    CREDENTIALS_KEYS: `dev1:${randomBytes(32).toString("base64")}`,
  };
}

export function readOrCreateDevSecrets(dataDir: string): GeneratedSecrets {
  const file = path.join(dataDir, "dev-secrets.json");
  const stored = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Partial<GeneratedSecrets>) : {};
  // A secret added in a later version is generated once and kept beside the older ones.
  const secrets = { ...newSecrets(), ...stored };
  if (stored.LINK_SIGNING_KEYS && stored.CREDENTIALS_KEYS) return secrets;
  mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

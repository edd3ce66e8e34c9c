// In development, secrets that are not configured are generated once and kept under DATA_DIR,
// so the quick start needs no configuration and links keep working across restarts.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export type GeneratedSecrets = { LINK_SIGNING_KEYS: string };

export function readOrCreateDevSecrets(dataDir: string): GeneratedSecrets {
  const file = path.join(dataDir, "dev-secrets.json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as GeneratedSecrets;
  const secrets: GeneratedSecrets = { LINK_SIGNING_KEYS: `dev1:${randomBytes(32).toString("base64url")}` };
  mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

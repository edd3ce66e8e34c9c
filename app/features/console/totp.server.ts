// Two-factor sign-in (security C5): TOTP per RFC 6238 through otpauth (30 s steps, one step
// either side), the secret encrypted at rest like provider credentials, and ten recovery codes
// stored hashed. A code's step is claimed on the user row, so a code is never accepted twice.
import { createHash, randomBytes } from "node:crypto";
import { Secret, TOTP } from "otpauth";
import QRCode from "qrcode";
import type { DbOrTx } from "../../../db/client";
import { decryptCredentials, encryptCredentials } from "~/platform/credentials.server";
import type { Config } from "~/platform/config.server";
import { claimTotpStep, updateUser, type UserRow } from "./db/users.server";
import { replaceRecoveryCodes, spendRecoveryCode } from "./db/recovery-codes.server";

const PERIOD = 30;
const RECOVERY_CODES = 10;
const CODE = /^\d{6}$/;
const RECOVERY = /^[a-z2-7]{4}-?[a-z2-7]{4}-?[a-z2-7]{4}-?[a-z2-7]{4}$/;

type Keys = Pick<Config, "credentialsKeys">;

const totpFor = (secret: string, label = "console") =>
  new TOTP({ issuer: "Payer Portal", label, algorithm: "SHA1", digits: 6, period: PERIOD, secret: Secret.fromBase32(secret) });

const hashRecoveryCode = (code: string) => createHash("sha256").update(code.toLowerCase().replace(/-/g, "")).digest("hex");

/** A fresh secret to show as a QR code; nothing is stored until a code from it is confirmed. */
export async function newTotpEnrolment(email: string): Promise<{ secret: string; uri: string; qrSvg: string }> {
  const secret = new Secret({ size: 20 }).base32;
  const uri = totpFor(secret, email).toString();
  const qrSvg = await QRCode.toString(uri, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
  return { secret, uri, qrSvg };
}

/** The time step a code belongs to, or null when it is not valid now (±1 step). */
function validStep(secret: string, code: string, now: Date): number | null {
  if (!CODE.test(code)) return null;
  const delta = totpFor(secret).validate({ token: code, window: 1, timestamp: now.getTime() });
  return delta === null ? null : Math.floor(now.getTime() / 1000 / PERIOD) + delta;
}

/** Turns TOTP on with a confirmed code; the recovery codes are returned once, to be shown once. */
export async function enableTotp(db: DbOrTx, config: Keys, user: UserRow, secret: string, code: string, now: Date): Promise<string[] | null> {
  if (!/^[A-Z2-7]{32}$/.test(secret)) return null;
  const step = validStep(secret, code.trim(), now);
  if (step === null) return null;
  const codes = Array.from({ length: RECOVERY_CODES }, () => {
    const raw = new Secret({ buffer: randomBytes(10).buffer }).base32.toLowerCase();
    return raw.match(/.{4}/g)!.join("-");
  });
  await updateUser(db, user.id, { totpSecret: encryptCredentials(config, { secret }), totpLastStep: step }, now);
  await replaceRecoveryCodes(db, user.id, codes.map(hashRecoveryCode));
  return codes;
}

export async function disableTotp(db: DbOrTx, userId: string, now: Date): Promise<void> {
  await updateUser(db, userId, { totpSecret: null, totpLastStep: null }, now);
  await replaceRecoveryCodes(db, userId, []);
}

/** A current TOTP code (not used before) or an unused recovery code; either is spent. */
export async function checkSecondFactor(db: DbOrTx, config: Keys, user: UserRow, input: string, now: Date): Promise<boolean> {
  if (!user.totpSecret) return false;
  const code = input.trim().replace(/\s/g, "");
  if (RECOVERY.test(code.toLowerCase())) return spendRecoveryCode(db, user.id, hashRecoveryCode(code), now);
  const { secret } = decryptCredentials<{ secret: string }>(config, user.totpSecret);
  const step = validStep(secret, code, now);
  return step !== null && claimTotpStep(db, user.id, step);
}

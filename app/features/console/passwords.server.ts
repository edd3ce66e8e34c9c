// Console passwords (security C1): argon2id from @node-rs/argon2 at OWASP's minimum (19 MiB, 2
// passes, 1 lane), the parameters kept in the stored PHC string so they can be raised later.
import { hash, verify } from "@node-rs/argon2";

const PARAMETERS = { algorithm: 2 /* Algorithm.Argon2id (a const enum) */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string) => hash(password, PARAMETERS);

// Checked when the email is unknown or has no password yet, so that answer takes as long as a
// wrong password (security C2). Made once, lazily, with the same parameters.
let decoy: Promise<string> | undefined;

/** True when the password matches; with no stored hash it checks a decoy and answers false. */
export async function checkPassword(stored: string | null, password: string): Promise<boolean> {
  if (stored === null) {
    decoy ??= hashPassword("decoy password for unknown accounts");
    await verify(await decoy, password).catch(() => false);
    return false;
  }
  return verify(stored, password).catch(() => false);
}

// What a console password must be (security C1): at least 12 characters (and at most 200, so a
// hash of a megabyte is never computed), not one of the passwords people reuse everywhere.

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 200;

// Common passwords of 12 or more characters (shorter ones are refused anyway), from the public
// breach lists' top entries, compared without case, spaces or trailing digits and symbols.
const COMMON = new Set([
  "123456789012", "1234567890123", "12345678901234", "123456123456", "qwertyuiopasdfghjkl", "qwertyuiopas",
  "qwertyuiop", "qwertyqwerty", "qwerty123456", "1q2w3e4r5t6y", "1qaz2wsx3edc", "zaq12wsxcde3", "asdfghjklqwe",
  "password", "passwordpassword", "passw0rd", "password1234", "iloveyouiloveyou", "letmeinletmein",
  "welcomewelcome", "changeme", "administrator", "adminadmin", "football", "baseball", "sunshine",
  "princess", "starwars", "trustno1", "whatever", "superman", "michael", "dragon", "monkey", "abc123abc123",
  "abcdefghijkl", "aaaaaaaaaaaa", "111111111111", "000000000000", "987654321098", "lösenord", "losenord",
  "sommar", "hejsanhejsan", "välkommen", "valkommen", "correcthorsebatterystaple", "mypassword", "secretpassword",
]);

export type PasswordProblem = "too_short" | "too_long" | "common";

/** The password's problem, or null when it may be used. */
export function passwordProblem(password: string, email?: string): PasswordProblem | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return "too_short";
  if (length > PASSWORD_MAX_LENGTH) return "too_long";
  const core = password.toLowerCase().replace(/\s+/g, "").replace(/[\d\W_]+$/u, "");
  if (COMMON.has(core) || COMMON.has(password.toLowerCase())) return "common";
  if (/^(.)\1*$/u.test(password)) return "common";
  const local = email?.split("@")[0]?.toLowerCase();
  if (local && local.length >= 4 && core === local) return "common";
  return null;
}

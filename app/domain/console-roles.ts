// The one table of what each console role may do (security C7). Every console loader and action
// names one permission; app/platform/console-route checks it against this table, nowhere else.

export const CONSOLE_ROLES = ["owner", "admin", "member", "sales"] as const;
export type ConsoleRole = (typeof CONSOLE_ROLES)[number];

export const PERMISSIONS = {
  /** The console home, the supplier switcher, one's own account and sessions. */
  "console.use": ["owner", "admin", "member", "sales"],
  "team.read": ["owner", "admin", "member", "sales"],
  /** Invite, change a role, remove, revoke another's sessions, require two-factor. */
  "team.manage": ["owner"],
  "invoices.read": ["owner", "admin", "member", "sales"],
  /** Disputes, problem reports, reminders, cancelling, crediting. */
  "invoices.work": ["owner", "admin", "member"],
  "payments.record": ["owner", "admin", "member"],
  "customers.read": ["owner", "admin", "member", "sales"],
  "customers.edit": ["owner", "admin", "member"],
  "campaigns.read": ["owner", "admin", "member"],
  "campaigns.manage": ["owner", "admin"],
  "settings.read": ["owner", "admin"],
  "settings.edit": ["owner", "admin"],
  "keys.manage": ["owner"],
  /** Connect, replace or remove the supplier's Stripe and Adyen accounts (where its money goes). */
  "payments.accounts": ["owner"],
} as const satisfies Record<string, readonly ConsoleRole[]>;

export type Permission = keyof typeof PERMISSIONS;

export function isConsoleRole(value: unknown): value is ConsoleRole {
  return typeof value === "string" && (CONSOLE_ROLES as readonly string[]).includes(value);
}

export function can(role: ConsoleRole, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly ConsoleRole[]).includes(role);
}

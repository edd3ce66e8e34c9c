import { pgTable, text, timestamp, integer, bigint, index, primaryKey, uniqueIndex } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { suppliers } from "./suppliers";

/** People who sign in to the supplier console (`/app`). One user may work for several suppliers. */
export const users = pgTable(
  "users",
  {
    id: text("id").primaryKey(), // usr_…
    email: text("email").notNull(),
    /** argon2id PHC string (security C1); null until the user sets a password. */
    passwordHash: text("password_hash"),
    /** The TOTP secret, encrypted under CREDENTIALS_KEYS like provider credentials (security C5). */
    totpSecret: text("totp_secret"),
    /** The last TOTP time step accepted: a code is never accepted twice (C5). */
    totpLastStep: bigint("totp_last_step", { mode: "number" }),
    language: text("language", { enum: ["sv", "en"] }).notNull().default("sv"),
    /** Failed sign-ins since the last success; at 10 the account locks for a while (C2). */
    failedSignIns: integer("failed_sign_ins").notNull().default(0),
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex("users_email_idx").on(sql`lower(${table.email})`)],
);

/** A user's role at one supplier: app/domain/console-roles.ts says what each role may do. */
export const memberships = pgTable(
  "memberships",
  {
    userId: text("user_id").notNull().references(() => users.id),
    supplierId: text("supplier_id").notNull().references(() => suppliers.id),
    role: text("role", { enum: ["owner", "admin", "member", "sales"] }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.userId, table.supplierId] }), index("memberships_supplier_idx").on(table.supplierId)],
);

/** Console sessions (security C4): the cookie holds a random token, the row only its hash. */
export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(), // ses_… (shown to the user, never the token)
    tokenHash: text("token_hash").notNull().unique(),
    userId: text("user_id").notNull().references(() => users.id),
    /** The supplier the console shows; a membership of the user. */
    supplierId: text("supplier_id").notNull().references(() => suppliers.id),
    /** "totp": the password was right, the second factor is still to come; "full": signed in. */
    stage: text("stage", { enum: ["totp", "full"] }).notNull(),
    ip: text("ip"),
    userAgent: text("user_agent"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
    /** The absolute end (14 days after sign-in); the idle end is lastSeenAt + 12 h. */
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (table) => [index("sessions_user_idx").on(table.userId)],
);

/** One-time sign-in links (security C3): invite, forgotten password, sign-in; stored hashed. */
export const signInLinks = pgTable(
  "sign_in_links",
  {
    id: text("id").primaryKey(), // sil_…
    tokenHash: text("token_hash").notNull().unique(),
    userId: text("user_id").notNull().references(() => users.id),
    purpose: text("purpose", { enum: ["invite", "sign_in"] }).notNull(),
    /** The supplier the link signs in to (the inviting one). */
    supplierId: text("supplier_id").notNull().references(() => suppliers.id),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("sign_in_links_user_idx").on(table.userId)],
);

/** TOTP recovery codes, hashed; each works once (C5). */
export const recoveryCodes = pgTable(
  "recovery_codes",
  {
    userId: text("user_id").notNull().references(() => users.id),
    codeHash: text("code_hash").notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
  },
  (table) => [primaryKey({ columns: [table.userId, table.codeHash] })],
);


// Console sign-in (security C1–C5, C8): right, wrong and unknown (one answer, the same work),
// the account lock after 10 failures, TOTP and its replay, one-time links (a GET spends nothing,
// a second use is refused), idle, expired, signed-out and revoked sessions.
import { describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { emails, events, sessions, signInLinks, users } from "../../../db/schema";
import * as signInRoute from "~/routes/app_.sign-in";
import * as linkRequestRoute from "~/routes/app_.sign-in-link";
import * as linkRoute from "~/routes/app_.link.$token";
import * as signOutRoute from "~/routes/app_.sign-out";
import * as homeRoute from "~/routes/app._index";
import * as accountRoute from "~/routes/app.account";
import { issueSignInLink } from "~/features/console/sign-in-links.server";
import { newTotpEnrolment } from "~/features/console/totp.server";
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from "~/platform/sessions/sessions.server";
import { useTestDatabase } from "../../support/database";
import { testContext } from "../../support/context";
import { newSupplier } from "../../support/suppliers";
import { cookieHeader, getPage, newConsoleUser, PASSWORD, postForm, signedInCookie, tokenFromSetCookie, totpCode, uniqueEmail } from "../../support/console";

const database = useTestDatabase();
const db = () => database.get().db;
const context = (now?: Date) => ({ ...testContext(database.get()), app: { ...testContext(database.get()).app, ...(now ? { now: () => now } : {}) } });

const signIn = (email: string, password: string, now?: Date) => postForm(signInRoute, context(now), "/app/sign-in", { intent: "password", email, password });
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function timed(run: () => Promise<Response>): Promise<{ ms: number; status: number; body: string }> {
  const started = performance.now();
  const response = await run();
  const body = await response.text();
  return { ms: performance.now() - started, status: response.status, body };
}

describe("signing in with a password", () => {
  it("right password: a new session in a __Host- cookie (HttpOnly, Secure, SameSite=Lax) and one audit row with IP and user agent (C4, C8)", async () => {
    const { supplierId } = await newSupplier(db());
    const { user, email } = await newConsoleUser(db(), supplierId, "member");
    const response = await signIn(email, PASSWORD);
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/app");
    const cookie = response.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^__Host-console_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Secure; Max-Age=1209600$/);
    const token = tokenFromSetCookie(response)!;
    const rows = await db().select().from(sessions).where(eq(sessions.userId, user.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).not.toContain(token);
    const signedIn = await db().select().from(events).where(and(eq(events.supplierId, supplierId), eq(events.type, "console.signed_in")));
    expect(signedIn).toHaveLength(1);
    expect(signedIn[0]).toMatchObject({ actor: "user", actorId: user.id, ip: "203.0.113.7", userAgent: "vitest" });
    expect((await getPage(homeRoute, context(), "/app", { cookie: cookieHeader(token) })).status).toBe(200);
  });

  it("stores argon2id with its parameters (m=19 MiB, t=2, p=1), never the password (C1)", async () => {
    const { supplierId } = await newSupplier(db());
    const { user } = await newConsoleUser(db(), supplierId, "owner");
    const [row] = await db().select().from(users).where(eq(users.id, user.id));
    expect(row!.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const dump = await db().execute(sql`select row_to_json(u)::text as j from users u`);
    expect(JSON.stringify(dump)).not.toContain(PASSWORD);
  });

  it("unknown email and wrong password: the same status and body, and timing within noise (C2)", async () => {
    const { supplierId } = await newSupplier(db());
    const { email } = await newConsoleUser(db(), supplierId, "member");
    await signIn("warm-up@example.test", "x"); // the decoy hash is made once, lazily
    const unknown: number[] = [];
    const wrong: number[] = [];
    let answers = new Set<string>();
    // Interleaved, so a busy moment on the machine hits both alike. Fewer than 10: no lock.
    for (let i = 0; i < 9; i++) {
      const a = await timed(() => signIn(uniqueEmail("nobody"), "wrong password 123"));
      const b = await timed(() => signIn(email, `wrong password ${i}`));
      unknown.push(a.ms);
      wrong.push(b.ms);
      answers = new Set([...answers, `${a.status} ${a.body}`, `${b.status} ${b.body}`]);
    }
    expect(answers.size).toBe(1);
    expect([...answers][0]).toMatch(/^401 /);
    const ratio = median(unknown) / median(wrong);
    console.info(`C2: median unknown ${median(unknown).toFixed(1)} ms, wrong ${median(wrong).toFixed(1)} ms, ratio ${ratio.toFixed(2)}`);
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });

  it("locks the account after 10 failures in a row: the right password then gets the same refusal, and the owner gets an email (C2)", async () => {
    const { supplierId } = await newSupplier(db());
    const { user, email } = await newConsoleUser(db(), supplierId, "owner");
    const refusal = await (await signIn(uniqueEmail("nobody"), "whatever")).text();
    for (let i = 0; i < 10; i++) expect((await signIn(email, `guess ${i}`)).status).toBe(401);
    const locked = await signIn(email, PASSWORD);
    expect(locked.status).toBe(401);
    expect(await locked.text()).toBe(refusal);
    const [row] = await db().select().from(users).where(eq(users.id, user.id));
    expect(row!.lockedUntil!.getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);
    const mail = await db().select().from(emails).where(and(eq(emails.supplierId, supplierId), eq(emails.template, "console-account-locked")));
    expect(mail.map((m) => m.toAddress)).toEqual([email]);
    const types = (await db().select().from(events).where(eq(events.supplierId, supplierId))).map((e) => e.type);
    expect(types.filter((t) => t === "console.sign_in_failed")).toHaveLength(11);
    expect(types.filter((t) => t === "console.account_locked")).toHaveLength(1);
    // After the lock, the right password works again.
    expect((await signIn(email, PASSWORD, new Date(Date.now() + 16 * 60_000))).status).toBe(303);
  });
});

describe("two-step sign-in (C5)", () => {
  it("asks for the code after the password, rotates the session, and refuses a replayed code", async () => {
    const { supplierId } = await newSupplier(db());
    const { email, totpSecret } = await newConsoleUser(db(), supplierId, "admin", { totp: true });
    const first = await signIn(email, PASSWORD);
    expect(first.headers.get("location")).toBe("/app/sign-in?next=%2Fapp");
    const pending = cookieHeader(tokenFromSetCookie(first)!);
    // The half-signed-in session opens no console page.
    expect((await getPage(homeRoute, context(), "/app", { cookie: pending })).status).toBe(302);
    const code = totpCode(totpSecret!);
    const second = await postForm(signInRoute, context(), "/app/sign-in", { intent: "totp", code, next: "/app" }, { cookie: pending });
    expect(second.status).toBe(303);
    const full = cookieHeader(tokenFromSetCookie(second)!);
    expect(full).not.toBe(pending);
    expect((await getPage(homeRoute, context(), "/app", { cookie: full })).status).toBe(200);
    expect((await getPage(homeRoute, context(), "/app", { cookie: pending })).status).toBe(302);

    const again = cookieHeader(tokenFromSetCookie(await signIn(email, PASSWORD))!);
    const replay = await postForm(signInRoute, context(), "/app/sign-in", { intent: "totp", code, next: "/app" }, { cookie: again });
    expect(replay.status).toBe(401);
  });

  it("a recovery code works once", async () => {
    const { supplierId } = await newSupplier(db());
    const { email, recoveryCodes } = await newConsoleUser(db(), supplierId, "member", { totp: true });
    const attempt = async () => {
      const pending = cookieHeader(tokenFromSetCookie(await signIn(email, PASSWORD))!);
      return (await postForm(signInRoute, context(), "/app/sign-in", { intent: "totp", code: recoveryCodes![0]!, next: "/app" }, { cookie: pending })).status;
    };
    expect(await attempt()).toBe(303);
    expect(await attempt()).toBe(401);
  });
});

describe("turning two-step sign-in on and off (C5)", () => {
  it("stores the secret encrypted and ten recovery codes hashed; turning it off needs a current code", async () => {
    const { supplierId } = await newSupplier(db());
    const { user } = await newConsoleUser(db(), supplierId, "member");
    const cookie = await signedInCookie(db(), user.id, supplierId);
    const { secret } = await newTotpEnrolment("x@example.test");
    const wrongCode = await postForm(accountRoute, context(), "/app/account", { intent: "totp_on", secret, code: "123456" }, { cookie });
    expect(wrongCode.status).toBe(422);
    const on = await postForm(accountRoute, context(), "/app/account", { intent: "totp_on", secret, code: totpCode(secret) }, { cookie });
    expect(on.status).toBe(200);
    const { recoveryCodes } = (await on.json()) as { recoveryCodes: string[] };
    expect(new Set(recoveryCodes).size).toBe(10);
    const [row] = await db().select().from(users).where(eq(users.id, user.id));
    expect(row!.totpSecret).toMatch(/^v1\./);
    const stored = JSON.stringify(await db().execute(sql`select u.totp_secret, r.code_hash from users u join recovery_codes r on r.user_id = u.id where u.id = ${user.id}`));
    expect(stored).not.toContain(secret);
    for (const code of recoveryCodes) expect(stored).not.toContain(code.replace(/-/g, ""));
    const fresh = cookieHeader(tokenFromSetCookie(on)!);
    expect((await postForm(accountRoute, context(), "/app/account", { intent: "totp_off", code: "000000" }, { cookie: fresh })).status).toBe(422);
    expect((await postForm(accountRoute, context(), "/app/account", { intent: "totp_off", code: recoveryCodes[3]! }, { cookie: fresh })).status).toBe(303);
    const [after] = await db().select().from(users).where(eq(users.id, user.id));
    expect(after!.totpSecret).toBeNull();
  });
});

describe("one-time sign-in links (C3)", () => {
  it("a GET leaves the link usable; the POST signs in once; a second POST is refused", async () => {
    const { supplierId } = await newSupplier(db());
    const { user } = await newConsoleUser(db(), supplierId, "member", { password: null });
    const token = await issueSignInLink(db(), { userId: user.id, supplierId, purpose: "invite", now: new Date() });
    expect(Buffer.from(token, "base64url").length).toBeGreaterThanOrEqual(16);
    const [stored] = await db().select().from(signInLinks).where(eq(signInLinks.userId, user.id));
    expect(stored!.tokenHash).not.toContain(token);
    expect(stored!.expiresAt.getTime() - stored!.createdAt.getTime()).toBe(7 * 24 * 3600_000);
    for (let i = 0; i < 3; i++) expect((await getPage(linkRoute, context(), `/app/link/${token}`, { params: { token } })).status).toBe(200);
    const used = await postForm(linkRoute, context(), `/app/link/${token}`, { intent: "use" }, { params: { token } });
    expect(used.status).toBe(303);
    expect(used.headers.get("location")).toBe("/app/account?password=new#password");
    expect(tokenFromSetCookie(used)).toBeTruthy();
    const twice = await postForm(linkRoute, context(), `/app/link/${token}`, { intent: "use" }, { params: { token } });
    expect(twice.status).toBe(404);
    expect(twice.headers.get("set-cookie")).toBeNull();
    expect((await getPage(linkRoute, context(), `/app/link/${token}`, { params: { token } })).status).toBe(404);
  });

  it("a sign-in link expires after 30 minutes", async () => {
    const { supplierId } = await newSupplier(db());
    const { user } = await newConsoleUser(db(), supplierId, "member");
    const token = await issueSignInLink(db(), { userId: user.id, supplierId, purpose: "sign_in", now: new Date(Date.now() - 31 * 60_000) });
    expect((await postForm(linkRoute, context(), `/app/link/${token}`, { intent: "use" }, { params: { token } })).status).toBe(404);
  });

  it("asking for a link answers the same for a known and an unknown address; only the known one gets an email", async () => {
    const { supplierId } = await newSupplier(db());
    const { email } = await newConsoleUser(db(), supplierId, "sales");
    const known = await postForm(linkRequestRoute, context(), "/app/sign-in-link", { intent: "request", email });
    const unknown = await postForm(linkRequestRoute, context(), "/app/sign-in-link", { intent: "request", email: uniqueEmail("nobody") });
    expect([known.status, await known.text()]).toEqual([unknown.status, await unknown.text()]);
    // Asking again at once sends nothing more (no inbox flooding), and answers the same.
    const again = await postForm(linkRequestRoute, context(), "/app/sign-in-link", { intent: "request", email });
    expect([again.status, await again.text()]).toEqual([unknown.status, await (await postForm(linkRequestRoute, context(), "/app/sign-in-link", { intent: "request", email: uniqueEmail("nobody") })).text()]);
    const mail = await db().select().from(emails).where(eq(emails.supplierId, supplierId));
    expect(mail.map((m) => [m.template, m.toAddress])).toEqual([["console-sign-in-link", email]]);
  });
});

describe("sessions end (C4)", () => {
  it("after 12 hours idle, and 14 days after sign-in however active", async () => {
    const { supplierId } = await newSupplier(db());
    const { user } = await newConsoleUser(db(), supplierId, "member");
    const start = new Date();
    const cookie = await signedInCookie(db(), user.id, supplierId, start);
    const at = (ms: number) => new Date(start.getTime() + ms);
    expect((await getPage(homeRoute, context(at(SESSION_IDLE_MS - 60_000)), "/app", { cookie })).status).toBe(200);
    expect((await getPage(homeRoute, context(at(2 * SESSION_IDLE_MS - 120_000)), "/app", { cookie })).status).toBe(200);
    const idle = await signedInCookie(db(), user.id, supplierId, start);
    const redirected = await getPage(homeRoute, context(at(SESSION_IDLE_MS + 1000)), "/app", { cookie: idle });
    expect(redirected.status).toBe(302);
    expect(redirected.headers.get("location")).toBe("/app/sign-in?next=%2Fapp");
    // Active every 11 hours, yet over after 14 days.
    let last = 200;
    for (let t = 11 * 3600_000; t <= SESSION_ABSOLUTE_MS + 11 * 3600_000; t += 11 * 3600_000) {
      last = (await getPage(homeRoute, context(at(t)), "/app", { cookie })).status;
      if (t < SESSION_ABSOLUTE_MS) expect(last).toBe(200);
    }
    expect(last).toBe(302);
  });

  it("a signed-out session replayed → 401; a session ended from the account page → 401", async () => {
    const { supplierId } = await newSupplier(db());
    const { user } = await newConsoleUser(db(), supplierId, "member");
    const cookie = await signedInCookie(db(), user.id, supplierId);
    const out = await postForm(signOutRoute, context(), "/app/sign-out", {}, { cookie });
    expect(out.status).toBe(303);
    expect(out.headers.get("set-cookie")).toContain("Max-Age=0");
    expect((await postForm(accountRoute, context(), "/app/account", { intent: "language", language: "sv" }, { cookie })).status).toBe(401);

    const laptop = await signedInCookie(db(), user.id, supplierId);
    const phone = await signedInCookie(db(), user.id, supplierId);
    const [laptopRow] = await db().select().from(sessions).where(and(eq(sessions.userId, user.id), sql`revoked_at is null`)).orderBy(sessions.createdAt).limit(1);
    expect((await postForm(accountRoute, context(), "/app/account", { intent: "end_session", session_id: laptopRow!.id }, { cookie: phone })).status).toBe(303);
    expect((await postForm(accountRoute, context(), "/app/account", { intent: "language", language: "sv" }, { cookie: laptop })).status).toBe(401);
    expect((await postForm(accountRoute, context(), "/app/account", { intent: "language", language: "sv" }, { cookie: phone })).status).toBe(303);
  });
});

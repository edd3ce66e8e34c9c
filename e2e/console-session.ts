// A browser signed in to the console by writing a session row, as the product's own sign-in would
// (that path has its own spec, console-sign-in.spec.ts), and the check every console page passes.
import { createHash, randomBytes } from "node:crypto";
import { expect, type Browser, type BrowserContextOptions, type Page } from "@playwright/test";
import { baseUrl, demo, e2eDb, expectNoSeriousAxeViolations } from "./fixtures";
import { newPublicId } from "../app/domain/public-id";
import type { ConsoleRole } from "../app/domain/console-roles";

export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: "sv-SE" };
export const DESK = { viewport: { width: 1280, height: 900 }, locale: "en-GB" };

/** A new user with this role at the supplier (the demo's unless given), signed in on this device. */
export async function signedIn(
  browser: Browser,
  role: ConsoleRole,
  device: BrowserContextOptions,
  options: { supplierId?: string; language?: "sv" | "en"; emailDomain?: string } = {},
): Promise<Page> {
  const sql = e2eDb();
  const supplierId = options.supplierId ?? demo().supplierId;
  const language = options.language ?? (device.locale?.startsWith("sv") ? "sv" : "en");
  const userId = newPublicId("usr");
  const token = randomBytes(32).toString("base64url");
  const email = `${role[0]}-${userId.slice(-6).toLowerCase()}@${options.emailDomain ?? "demo.example"}`;
  await sql`insert into users (id, email, language) values (${userId}, ${email}, ${language})`;
  await sql`insert into memberships (user_id, supplier_id, role) values (${userId}, ${supplierId}, ${role})`;
  await sql`insert into sessions (id, token_hash, user_id, supplier_id, stage, expires_at)
            values (${newPublicId("ses")}, ${createHash("sha256").update(token).digest("hex")}, ${userId}, ${supplierId}, 'full', now() + interval '1 day')`;
  const context = await browser.newContext(device);
  await context.addCookies([{ name: "console_session", value: token, url: baseUrl(), httpOnly: true, sameSite: "Lax" }]);
  return context.newPage();
}

/** Nothing wider than the viewport, and no serious or critical axe violation. */
export async function expectFitsAndClean(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expectNoSeriousAxeViolations(page);
}

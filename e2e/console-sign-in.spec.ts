// The supplier console as a new team would start it: the first owner opens the link `npm run dev`
// (or `user:create`) printed, chooses a password and invites a clerk; the clerk opens the invite
// link from the email on a 390 px phone, sets a password, signs out and in again, and sees the
// console home in Swedish and English, each page clean under axe.
import { test, expect, type Browser, type Page } from "@playwright/test";
import { closeE2eDb, demo, expectNoSeriousAxeViolations, receivedEmail } from "./fixtures";

test.afterAll(closeE2eDb);
// Two people, a dozen pages and an axe run on each: longer than one payer page.
test.setTimeout(120_000);

const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: "sv-SE",
};

async function expectFitsAndClean(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth).catch(() => 0);
  expect(overflow).toBeLessThanOrEqual(0);
  await expectNoSeriousAxeViolations(page);
}

/** A phone; the console's pages send no JavaScript (hydrate: false), so every step is a plain form. */
async function phone(browser: Browser) {
  return (await browser.newContext(PHONE)).newPage();
}

test("the first owner invites a clerk, who signs in from the invite link on a phone, in Swedish and English", async ({ browser }) => {
  const clerkEmail = `clerk-${Date.now()}@demo.example`;
  const clerkPassword = "sju-gröna-ekorrar-hoppar";

  // The owner: the printed link, a password, the team page, an invitation.
  const owner = await phone(browser);
  await owner.goto(demo().consoleUrl);
  await expect(owner.getByRole("heading", { level: 1 })).toHaveText("Logga in med din länk");
  await expectFitsAndClean(owner);
  await owner.getByRole("button", { name: "Fortsätt" }).click();
  await expect(owner.getByRole("heading", { name: "Välj ett lösenord" })).toBeVisible();
  await owner.getByLabel("Nytt lösenord").fill("ägaren-har-ett-långt-lösen");
  await owner.getByRole("button", { name: "Spara lösenordet" }).click();
  await owner.getByRole("link", { name: "Team" }).click();
  await expect(owner.getByRole("heading", { level: 1 })).toHaveText("Team");
  await expectFitsAndClean(owner);
  const invite = owner.locator("form", { has: owner.getByRole("button", { name: "Skicka inbjudan" }) });
  await invite.getByLabel("E-post").fill(clerkEmail);
  await invite.getByLabel("Roll").selectOption("member");
  await invite.getByRole("button", { name: "Skicka inbjudan" }).click();
  await expect(owner.getByRole("cell", { name: clerkEmail })).toBeVisible();

  // The clerk: the link from the email, a password, sign out, sign in.
  const mail = await receivedEmail(clerkEmail, "konsol");
  const link = mail.text.match(/https?:\/\/\S+\/app\/link\/[A-Za-z0-9_-]{43}/)![0];
  const clerk = await phone(browser);
  await clerk.goto(link);
  await expect(clerk.getByText(`Du har bjudits in till konsolen som ${clerkEmail}`)).toBeVisible();
  await clerk.getByRole("button", { name: "Fortsätt" }).click();
  await clerk.getByLabel("Nytt lösenord").fill("kort");
  await clerk.getByRole("button", { name: "Spara lösenordet" }).click();
  await expect(clerk.getByText("Lösenordet behöver minst 12 tecken.")).toBeVisible();
  await expectFitsAndClean(clerk);
  await clerk.getByLabel("Nytt lösenord").fill(clerkPassword);
  await clerk.getByRole("button", { name: "Spara lösenordet" }).click();
  await clerk.getByRole("button", { name: "Logga ut", exact: true }).click();
  await expect(clerk.getByRole("heading", { level: 1 })).toHaveText("Logga in");
  await expectFitsAndClean(clerk);

  // The link was spent: a second use is refused.
  await clerk.goto(link);
  await expect(clerk.getByText("Länken har redan använts eller gått ut. Be om en ny.")).toBeVisible();

  await clerk.goto("/app/sign-in");
  await clerk.getByLabel("E-post").fill(clerkEmail);
  await clerk.getByLabel("Lösenord").fill("fel lösenord igen");
  await clerk.getByRole("button", { name: "Logga in" }).click();
  await expect(clerk.getByRole("alert")).toContainText("E-postadressen och lösenordet fungerade inte");
  await clerk.getByLabel("Lösenord").fill(clerkPassword);
  await clerk.getByLabel("E-post").fill(clerkEmail);
  await clerk.getByRole("button", { name: "Logga in" }).click();

  await expect(clerk.getByRole("heading", { level: 1 })).toHaveText("Konsol");
  await expect(clerk.getByText(`Inloggad som ${clerkEmail} hos Demoföretaget AB (Medarbetare).`)).toBeVisible();
  await expect(clerk.locator("html")).toHaveAttribute("lang", "sv");
  await expectFitsAndClean(clerk);

  await clerk.goto("/app?lang=en");
  await expect(clerk.getByRole("heading", { level: 1 })).toHaveText("Console");
  await expect(clerk.getByText(`Signed in as ${clerkEmail} at Demoföretaget AB (Member).`)).toBeVisible();
  await expect(clerk.locator("html")).toHaveAttribute("lang", "en");
  await expect(clerk.getByRole("navigation").getByRole("link")).toHaveText(["Home", /^Inbox( \d+\+? new)?$/, "Invoices", "Customers", "Campaigns", "Team", "My account"]);
  await expectFitsAndClean(clerk);

  // A member sees the team but no form that changes it.
  await clerk.goto("/app/team?lang=en");
  await expect(clerk.getByRole("cell", { name: clerkEmail })).toBeVisible();
  await expect(clerk.locator("main form")).toHaveCount(0);
  await expectFitsAndClean(clerk);
});

// The console's settings on a phone (390 px, Swedish): an owner of a supplier of its own (the demo
// supplier's settings stay as the other specs need them) finds the company page from the settings
// index, is refused a wrong bankgiro with the error next to the field and what was typed kept,
// saves a right one ("Sparat."), and sets a reminder fee, refused above the statutory 60 kr with
// the law named. Each page fits 390 px and is clean under axe.
import { test, expect, type Browser, type Page } from "@playwright/test";
import { closeE2eDb, e2eDb } from "./fixtures";
import { expectFitsAndClean, PHONE, signedIn } from "./console-session";
import { newPublicId } from "../app/domain/public-id";

test.afterAll(closeE2eDb);
test.setTimeout(90_000);


/** The owner of a new supplier of its own, signed in on a phone. */
async function ownerOfNewSupplier(browser: Browser): Promise<Page> {
  const supplierId = newPublicId("sup");
  await e2eDb()`insert into suppliers (id, name, bankgiro) values (${supplierId}, 'Inställningar E2E AB', '5050-1055')`;
  return signedIn(browser, "owner", PHONE, { supplierId, emailDomain: "settings.example" });
}

test("an owner changes the company's and the reminders' settings on a phone", async ({ browser }) => {
  const page = await ownerOfNewSupplier(browser);
  await page.goto("/app");
  await page.locator(".console-bar nav").getByRole("link", { name: "Inställningar" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Inställningar");
  await expectFitsAndClean(page);
  await page.getByRole("main").getByRole("link", { name: "Företags- och betaluppgifter" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Företags- och betaluppgifter");

  await page.getByLabel("Bankgiro").fill("5050-1056");
  await page.getByRole("button", { name: "Spara" }).click();
  await expect(page.getByRole("alert")).toContainText("Inget sparades");
  await expect(page.getByLabel("Bankgiro")).toHaveValue("5050-1056");
  await expect(page.getByText("Kontrollsiffran stämmer inte: leta efter ett skrivfel.", { exact: true })).toBeVisible();
  await expectFitsAndClean(page);

  await page.getByLabel("Bankgiro").fill("991-2346");
  await page.getByLabel("Profilfärg").fill("#0f766e");
  await page.getByRole("button", { name: "Spara" }).click();
  await expect(page).toHaveURL(/\/app\/settings\/company\?saved=1$/);
  await expect(page.getByRole("status")).toHaveText("Sparat.");
  await expect(page.getByLabel("Bankgiro")).toHaveValue("991-2346");
  await expect(page.getByText("Er färg #0f766e.")).toBeVisible();
  await expectFitsAndClean(page);

  await page.getByRole("navigation", { name: "Inställningar" }).getByRole("link", { name: "Påminnelser" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Påminnelser och avgifter");
  await page.getByLabel("En påminnelseavgift är avtalad med våra kunder").check();
  await page.getByLabel("Påminnelseavgift (kr)").fill("75");
  await page.getByRole("button", { name: "Spara" }).click();
  await expect(page.getByText(/Högst 60 kr: lagen sätter ett tak för påminnelseavgiften \(lag \(1981:739\)/).first()).toBeVisible();
  await expectFitsAndClean(page);
  await page.getByLabel("Påminnelseavgift (kr)").fill("60");
  await page.getByRole("button", { name: "Spara" }).click();
  await expect(page.getByRole("status")).toHaveText("Sparat.");
  await expect(page.getByRole("listitem").filter({ hasText: "5 dagar efter förfallodagen: en påminnelse med en avgift på 60,00" })).toBeVisible();
  await expectFitsAndClean(page);
});

// The console's payment accounts on a phone: an owner sees the demo's Stripe account (hints, the
// webhook URL), connects Adyen (a refused form first, each field named), then removes it again
// through the confirming step, so the demo stays as it was. Clean under axe at 390 px throughout.
import { test, expect } from "@playwright/test";
import { closeE2eDb, demo } from "./fixtures";
import { expectFitsAndClean, PHONE, signedIn } from "./console-session";

test.afterAll(closeE2eDb);
test.setTimeout(90_000);


test("an owner reads Stripe's hints and connects, then removes, Adyen on a phone", async ({ browser }) => {
  const page = await signedIn(browser, "owner", { ...PHONE, locale: "en-GB" });
  await page.goto("/app/settings/payment-accounts");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Payment accounts");
  const stripe = page.locator("section", { has: page.getByRole("heading", { level: 2, name: "Stripe" }) });
  await expect(stripe.getByText("Connected", { exact: true })).toBeVisible();
  await expect(stripe.locator("code.copyable")).toHaveText(new RegExp(`/webhooks/stripe/${demo().stripe!.accountId}$`));
  await expectFitsAndClean(page);

  const adyen = () => page.locator("section.payment-account", { has: page.getByRole("heading", { level: 2, name: "Adyen" }) });
  await adyen().getByLabel("API key").fill("AQE-e2e-api-key-0001");
  await adyen().getByLabel("Merchant account").fill("DemoECOM");
  await adyen().getByLabel("Environment").selectOption("live");
  await adyen().getByLabel("HMAC key").fill("not hex");
  await adyen().getByLabel("Webhook user name").fill("hooks");
  await adyen().getByLabel("Webhook password").fill("e2e-basic-auth-pw");
  await adyen().getByRole("button", { name: "Connect Adyen" }).click();
  // Each refused field is named; what was typed stays, the secrets do not.
  await expect(adyen().getByRole("alert")).toHaveText("Please correct the marked fields.");
  await expect(adyen().getByLabel("Live URL prefix")).toHaveAttribute("aria-invalid", "true");
  await expect(adyen().getByLabel("HMAC key")).toHaveAttribute("aria-invalid", "true");
  await expect(adyen().getByLabel("Merchant account")).toHaveValue("DemoECOM");
  await expect(adyen().getByLabel("API key")).toHaveValue("");
  await expectFitsAndClean(page);

  await adyen().getByLabel("API key").fill("AQE-e2e-api-key-0001");
  await adyen().getByLabel("Environment").selectOption("test");
  await adyen().getByLabel("HMAC key").fill("44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056");
  await adyen().getByLabel("Webhook password").fill("e2e-basic-auth-pw");
  await adyen().getByRole("button", { name: "Connect Adyen" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Adyen: the credentials are saved." })).toBeVisible();
  await expect(adyen().getByText("…0001", { exact: true })).toBeVisible();
  await expect(adyen().locator("code.copyable")).toHaveText(/\/webhooks\/adyen\/pac_/);
  await expect(page.locator("body")).not.toContainText("e2e-basic-auth-pw");
  await expectFitsAndClean(page);

  await adyen().getByRole("button", { name: "Remove Adyen" }).click();
  await expect(page.getByRole("heading", { name: "Remove Adyen?" })).toBeVisible();
  await expectFitsAndClean(page);
  await page.getByRole("button", { name: "Yes, remove Adyen" }).click();
  await expect(adyen().getByText("Not connected", { exact: true })).toBeVisible();
});

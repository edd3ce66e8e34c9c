import { describe, expect, it } from "vitest";
import { en } from "~/i18n/en";
import { sv } from "~/i18n/sv";
import {
  ACCOUNT_METHODS, CHECKOUT_METHODS, LEDGER_METHODS, PAYMENT_METHODS, PAYMENT_OPTIONS, RECORDED_METHODS, REPORTED_METHODS,
  acceptsCurrency, adyenMethod, checkoutOption, describeOption, dictionaryKey, methodFromAdyen, methodFromStripeTypes,
  methodText, pageMethods, pageOptions, providerMethods, stripeMethodType,
  type MethodText, type PageFacts, type PaymentMethodCode,
} from "./payment-methods";

const CODES = Object.keys(PAYMENT_METHODS) as PaymentMethodCode[];
const TEXTS: MethodText[] = ["heading", "button", "hint", "failed", "failedReason", "cancelled", "paidBy"];

// The OpenAPI document, the API's error messages and the page depend on these orders; a new row
// only adds to the lists (so these compare today's methods, wherever a new one stands).
describe("the derived lists keep the orders the API, the database and the page have always had", () => {
  it.each([
    ["ledger (payments.method, the API's method)", LEDGER_METHODS, ["card", "swish", "bank_transfer", "cash", "other"]],
    ["supplier's payment options", PAYMENT_OPTIONS, ["card", "bank_transfer", "swish", "bank_qr"]],
    ["recorded by hand", RECORDED_METHODS, ["bank_transfer", "swish", "card", "cash", "other"]],
    ["reported by the payer", REPORTED_METHODS, ["bank_transfer", "swish", "other"]],
    ["checkout", CHECKOUT_METHODS, ["card", "swish"]],
    ["any provider's account", ACCOUNT_METHODS, ["card", "swish"]],
    ["a Stripe account", providerMethods("stripe"), ["card", "swish"]],
    ["an Adyen account", providerMethods("adyen"), ["card", "swish"]],
    ["the page on a phone", pageMethods("phone"), ["swish", "card", "bank_transfer"]],
    ["the page at a desk", pageMethods("desk"), ["card", "bank_transfer", "swish"]],
  ])("%s", (_name, derived, expected) => {
    expect(derived.filter((method) => (expected as readonly string[]).includes(method))).toEqual(expected);
    expect(derived).toEqual(expect.arrayContaining([...expected]));
  });
});

describe("a new method is a row plus its name in both dictionaries", () => {
  it.each(CODES)("%s: every sentence it appears in is in sv and en", (method) => {
    const keys = new Set([dictionaryKey(method), ...TEXTS.map((text) => methodText(method, text))]);
    for (const key of keys) {
      expect(en, key).toHaveProperty([key]);
      expect(sv, key).toHaveProperty([key]);
    }
  });

  it("a sentence of its own is used where the row has one, else the generic one with the name as {method}", () => {
    expect(methodText("card", "button")).toBe("payments.card.button");
    expect(methodText("swish", "heading")).toBe("pay.swish.heading");
    expect(methodText("card", "heading")).toBe("payments.method.card");
    expect(methodText("bank_transfer", "button")).toBe("payments.checkout.button");
    for (const key of ["payments.checkout.button", "payments.failed.method", "payments.failed.methodReason", "payments.cancelled.method", "receipt.by.method"] as const) {
      expect(en[key]).toContain("{method}");
      expect(sv[key]).toContain("{method}");
    }
  });

  it.each(CHECKOUT_METHODS)("%s: the provider ids map back to the method", (method) => {
    const row: { providers: Partial<Record<"stripe" | "adyen", string>> } = PAYMENT_METHODS[method];
    if (row.providers.stripe) {
      expect(stripeMethodType(method)).toBe(row.providers.stripe);
      expect(methodFromStripeTypes([stripeMethodType(method)])).toBe(method);
    }
    if (row.providers.adyen && row.providers.adyen !== "scheme") expect(methodFromAdyen(adyenMethod(method).type)).toBe(method);
    expect(describeOption(checkoutOption(method))).toEqual({ via: "checkout", method });
  });
});

describe("provider mappings", () => {
  it.each([
    [["card"], "card"],
    [["swish"], "swish"],
    [["card", "swish"], "card"],
    [["swish", "link"], "swish"],
    [[], "card"],
    [null, "card"],
    [undefined, "card"],
  ] as const)("Stripe types %j are %s", (types, method) => {
    expect(methodFromStripeTypes(types)).toBe(method);
  });

  it.each([
    ["swish", "swish"],
    ["SWISH", "swish"],
    ["visa", "card"],
    ["mc", "card"],
    ["", "card"],
    [undefined, "card"],
  ] as const)("Adyen's %j is %s", (name, method) => {
    expect(methodFromAdyen(name)).toBe(method);
  });

  it("Adyen: card schemes for card, Swish for Swedish shoppers only", () => {
    expect(adyenMethod("card")).toEqual({ type: "scheme" });
    expect(adyenMethod("swish")).toEqual({ type: "swish", countryCode: "SE" });
  });

  it("a method no provider takes is a programming error, not a silent card payment", () => {
    expect(() => stripeMethodType("bank_transfer")).toThrow(/not taken through stripe/);
    expect(() => adyenMethod("cash")).toThrow(/not taken through adyen/);
  });

  it.each([
    ["card", "EUR", true],
    ["swish", "SEK", true],
    ["swish", "sek", true],
    ["swish", "EUR", false],
  ] as const)("%s takes %s: %s", (method, currency, accepted) => {
    expect(acceptsCurrency(method, currency)).toBe(accepted);
  });
});

describe("page options", () => {
  const facts = (overrides: Partial<PageFacts>): PageFacts => ({
    switchedOn: PAYMENT_OPTIONS,
    currency: "SEK",
    accountMethods: ["card", "swish"],
    qrCodes: ["swish"],
    hasBankDetails: true,
    phone: false,
    ...overrides,
  });

  it.each([
    ["everything at a desk", {}, ["card", "bank_transfer", "swish_checkout"]],
    ["everything on a phone", { phone: true }, ["swish_checkout", "card", "bank_transfer"]],
    ["Swish without an account: its QR code", { accountMethods: ["card"] }, ["card", "bank_transfer", "swish_qr"]],
    ["Swish in EUR: no checkout, the QR code where there is one", { currency: "EUR", qrCodes: [] }, ["card", "bank_transfer"]],
    ["no accounts, no bank details", { accountMethods: [], hasBankDetails: false, phone: true }, ["swish_qr"]],
    ["switched off", { switchedOn: ["bank_transfer"] }, ["bank_transfer"]],
  ] as const)("%s", (_name, overrides, expected) => {
    expect(pageOptions(facts(overrides))).toEqual(expected);
  });

  it.each([
    ["card", { via: "checkout", method: "card" }],
    ["swish_checkout", { via: "checkout", method: "swish" }],
    ["swish_qr", { via: "qr", method: "swish" }],
    ["bank_transfer", { via: "bank", method: "bank_transfer" }],
  ] as const)("%s is %j", (option, described) => {
    expect(describeOption(option)).toEqual(described);
  });
});

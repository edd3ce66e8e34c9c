import { describe, expect, it } from "vitest";
import { hmacValidator, type Types } from "@adyen/api-library";
import { newPublicId } from "~/domain/public-id";
import {
  basicAuthMatches, eventIdOf, itemEffect, itemSignatureValid, parseNotification, type NotificationItem,
} from "./adyen-notifications";

const HMAC_KEY = "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056";
const payId = newPublicId("pay");

function item(fields: Partial<NotificationItem> = {}): NotificationItem {
  return {
    pspReference: "8816178914079738",
    merchantAccountCode: "NordljusECOM",
    merchantReference: payId,
    eventCode: "AUTHORISATION",
    eventDate: "2026-03-10T12:00:00+01:00",
    success: "true",
    amount: { value: 1_229_700, currency: "SEK" },
    paymentMethod: "visa",
    additionalData: {},
    ...fields,
  };
}

function signed(fields: Partial<NotificationItem> = {}): NotificationItem {
  const unsigned = item(fields);
  const signature = new hmacValidator().calculateHmac(unsigned as unknown as Types.notification.NotificationRequestItem, HMAC_KEY);
  return { ...unsigned, additionalData: { ...unsigned.additionalData, hmacSignature: signature } };
}

describe("itemSignatureValid", () => {
  it("accepts an item signed with the account's key", () => {
    expect(itemSignatureValid(signed(), HMAC_KEY)).toBe(true);
  });

  it.each([
    ["amount", { amount: { value: 1, currency: "SEK" } }],
    ["currency", { amount: { value: 1_229_700, currency: "EUR" } }],
    ["success", { success: "false" as const }],
    ["eventCode", { eventCode: "REFUND" }],
    ["merchantReference", { merchantReference: newPublicId("pay") }],
    ["pspReference", { pspReference: "8816178914079739" }],
    ["merchantAccountCode", { merchantAccountCode: "Other" }],
    ["originalReference", { originalReference: "1234" }],
  ])("rejects a changed %s", (_field, change) => {
    expect(itemSignatureValid({ ...signed(), ...change }, HMAC_KEY)).toBe(false);
  });

  it("rejects another key and a missing signature", () => {
    expect(itemSignatureValid(signed(), HMAC_KEY.replace("4", "5"))).toBe(false);
    expect(itemSignatureValid(item(), HMAC_KEY)).toBe(false);
  });
});

describe("basicAuthMatches", () => {
  const expected = { username: "adyen-hook", password: "s3cret:with colon" };
  const header = (text: string) => `Basic ${Buffer.from(text).toString("base64")}`;
  it.each([
    [header("adyen-hook:s3cret:with colon"), true],
    [header("adyen-hook:s3cret"), false],
    [header("adyen:s3cret:with colon"), false],
    [header("adyen-hook"), false],
    ["Bearer abc", false],
    [null, false],
  ])("%s → %s", (value, result) => {
    expect(basicAuthMatches(value, expected)).toBe(result);
  });
});

describe("parseNotification", () => {
  it("reads the standard webhook and refuses other shapes", () => {
    expect(parseNotification(JSON.stringify({ live: "false", notificationItems: [{ NotificationRequestItem: signed() }] }))?.notificationItems).toHaveLength(1);
    expect(parseNotification("not json")).toBeUndefined();
    expect(parseNotification(JSON.stringify({ live: "false", notificationItems: [] }))).toBeUndefined();
    expect(parseNotification(JSON.stringify({ live: "false", notificationItems: [{ NotificationRequestItem: { ...signed(), amount: { value: "10", currency: "SEK" } } }] }))).toBeUndefined();
  });
});

describe("itemEffect", () => {
  const original = "8816178914079738";
  it.each([
    ["AUTHORISATION true", item(), { kind: "update", facts: { status: "succeeded", amount: 1_229_700, providerReference: original, method: "card", paymentId: payId } }],
    ["AUTHORISATION swish", item({ paymentMethod: "swish" }), { kind: "update", facts: { status: "succeeded", method: "swish" } }],
    ["AUTHORISATION false", item({ success: "false", reason: "Refused" }), { kind: "update", facts: { status: "failed", failureReason: "Refused", providerReference: null } }],
    ["CANCELLATION", item({ eventCode: "CANCELLATION", pspReference: "9900", originalReference: original }), { kind: "update", facts: { status: "cancelled", providerReference: original } }],
    ["OFFER_CLOSED", item({ eventCode: "OFFER_CLOSED" }), { kind: "update", facts: { status: "cancelled", providerReference: original } }],
    ["EXPIRE", item({ eventCode: "EXPIRE", originalReference: original, pspReference: "9901" }), { kind: "update", facts: { status: "cancelled" } }],
    ["REFUND", item({ eventCode: "REFUND", pspReference: "9902", originalReference: original, amount: { value: 30_000, currency: "SEK" } }), { kind: "refund", refund: { amount: 30_000, providerReference: original, paymentId: payId } }],
    ["NOTIFICATION_OF_CHARGEBACK", item({ eventCode: "NOTIFICATION_OF_CHARGEBACK", pspReference: "9903", originalReference: original }), { kind: "update", facts: { chargeback: "open", providerReference: original } }],
    ["CHARGEBACK", item({ eventCode: "CHARGEBACK", pspReference: "9903", originalReference: original }), { kind: "update", facts: { chargeback: "lost", amount: 0 } }],
    ["CHARGEBACK_REVERSED", item({ eventCode: "CHARGEBACK_REVERSED", pspReference: "9903", originalReference: original }), { kind: "update", facts: { chargeback: "won" } }],
    ["SECOND_CHARGEBACK", item({ eventCode: "SECOND_CHARGEBACK", pspReference: "9903", originalReference: original }), { kind: "update", facts: { chargeback: "lost" } }],
    ["REFUND false", item({ eventCode: "REFUND", success: "false" }), { kind: "ignore" }],
    ["REPORT_AVAILABLE", item({ eventCode: "REPORT_AVAILABLE" }), { kind: "ignore" }],
    ["ISK with cents", item({ amount: { value: 279_050, currency: "ISK" } }), { kind: "ignore" }],
  ] as const)("%s", (_name, given, expected) => {
    expect(itemEffect(given)).toMatchObject(expected);
  });

  it("converts Adyen's ISK decimals to ours", () => {
    expect(itemEffect(item({ amount: { value: 279_000, currency: "ISK" } }))).toMatchObject({ facts: { amount: 2_790 } });
  });

  it("takes the time from eventDate, and ignores a merchant reference that is not ours", () => {
    const effect = itemEffect(item({ merchantReference: "ORDER-17" }));
    expect(effect).toMatchObject({ kind: "update", facts: { paymentId: null, occurredAt: new Date("2026-03-10T11:00:00Z") } });
  });

  it("names each delivery of one event alike, and a decline apart from a later success", () => {
    expect(eventIdOf(item())).toBe(eventIdOf(signed()));
    expect(eventIdOf(item({ success: "false" }))).not.toBe(eventIdOf(item()));
    expect(eventIdOf(item({ eventCode: "CHARGEBACK", pspReference: "1" }))).not.toBe(eventIdOf(item({ eventCode: "CHARGEBACK_REVERSED", pspReference: "1" })));
  });
});

import { describe, expect, it } from "vitest";
import { mapResendEvent, resendEventType } from "./resend-events";

const EMAIL_ID = "4ef9a417-02e9-4d39-ad75-9611e0fcc33c";

function event(type: string, data: Record<string, unknown> = {}) {
  return {
    type,
    created_at: "2026-11-25T09:14:00.000Z",
    data: { email_id: EMAIL_ID, from: "Acme <pay@acme.example>", to: ["ap@kund.example"], subject: "Faktura 1042", ...data },
  };
}

const bounce = (type: string | undefined, extra: Record<string, unknown> = {}) =>
  event("email.bounced", { bounce: { type, subType: "Suppressed", message: "The address is on the suppression list.", ...extra } });

describe("mapResendEvent", () => {
  it.each([
    ["a permanent bounce", bounce("Permanent"), "bounced"],
    ["a permanent bounce, however it is spelled", bounce("permanent"), "bounced"],
    ["a transient bounce", bounce("Transient"), "transient"],
    ["an undetermined bounce", bounce("Undetermined"), "transient"],
    ["a bounce without a type", bounce(undefined), "transient"],
    ["a complaint", event("email.complained"), "complained"],
    ["a delivery", event("email.delivered"), "delivered"],
    ["an opened email", event("email.opened"), "opened"],
    ["a delivery without an email id", { type: "email.delivered", data: {} }, "ignored"],
    ["an opening without an email id", { type: "email.opened", created_at: "2026-11-25T09:14:00.000Z" }, "ignored"],
    ["a delayed delivery", event("email.delivery_delayed"), "ignored"],
    ["a click", event("email.clicked"), "ignored"],
    ["a contact event", { type: "contact.created", data: { id: "x" } }, "ignored"],
    ["a bounce without bounce details", event("email.bounced"), "ignored"],
    ["a complaint without an email id", { type: "email.complained", data: {} }, "ignored"],
    ["not an event at all", "hello", "ignored"],
    ["nothing", undefined, "ignored"],
  ])("%s → %s", (_name, payload, kind) => {
    expect(mapResendEvent(payload).kind).toBe(kind);
  });

  it("names our email and keeps the server's words as the detail", () => {
    expect(mapResendEvent(bounce("Permanent"))).toEqual({
      kind: "bounced",
      providerEmailId: EMAIL_ID,
      detail: "Suppressed: The address is on the suppression list.",
    });
    const detail = (payload: unknown) => {
      const fact = mapResendEvent(payload);
      return "detail" in fact ? fact.detail : undefined;
    };
    expect(detail(bounce("Permanent", { subType: "", message: "550 5.1.1 no such user" }))).toBe("550 5.1.1 no such user");
    expect(detail(bounce("Permanent", { subType: null, message: null }))).toBeNull();
    expect(detail(bounce("Permanent", { message: "x".repeat(5000) }))).toHaveLength(500);
    expect(mapResendEvent(event("email.complained"))).toEqual({ kind: "complained", providerEmailId: EMAIL_ID, detail: null });
  });

  it("keeps the email id of an event it ignores, for the record", () => {
    expect(mapResendEvent(event("email.clicked"))).toEqual({ kind: "ignored", providerEmailId: EMAIL_ID, reason: "event type email.clicked" });
  });

  it("dates a delivery and an opening by the event's time, or not at all when it has none that reads", () => {
    expect(mapResendEvent(event("email.delivered"))).toEqual({ kind: "delivered", providerEmailId: EMAIL_ID, at: new Date("2026-11-25T09:14:00.000Z") });
    expect(mapResendEvent({ ...event("email.opened"), created_at: "2026-11-25T10:14:00+01:00" })).toEqual({
      kind: "opened",
      providerEmailId: EMAIL_ID,
      at: new Date("2026-11-25T09:14:00.000Z"),
    });
    for (const created_at of [undefined, "yesterday", 1764062040, "2026-11-25"]) {
      expect(mapResendEvent({ ...event("email.delivered"), created_at })).toEqual({ kind: "delivered", providerEmailId: EMAIL_ID, at: null });
    }
  });
});

describe("resendEventType", () => {
  it("reads the type of anything shaped like an event, null otherwise", () => {
    expect(resendEventType(event("email.sent"))).toBe("email.sent");
    expect(resendEventType({ data: {} })).toBeNull();
    expect(resendEventType(null)).toBeNull();
    expect(resendEventType([1, 2])).toBeNull();
  });
});

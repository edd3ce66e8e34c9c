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
    ["a delivery", event("email.delivered"), "ignored"],
    ["an opened email", event("email.opened"), "ignored"],
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
      return fact.kind === "ignored" ? undefined : fact.detail;
    };
    expect(detail(bounce("Permanent", { subType: "", message: "550 5.1.1 no such user" }))).toBe("550 5.1.1 no such user");
    expect(detail(bounce("Permanent", { subType: null, message: null }))).toBeNull();
    expect(detail(bounce("Permanent", { message: "x".repeat(5000) }))).toHaveLength(500);
    expect(mapResendEvent(event("email.complained"))).toEqual({ kind: "complained", providerEmailId: EMAIL_ID, detail: null });
  });

  it("keeps the email id of an event it ignores, for the record", () => {
    expect(mapResendEvent(event("email.delivered"))).toEqual({ kind: "ignored", providerEmailId: EMAIL_ID, reason: "event type email.delivered" });
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

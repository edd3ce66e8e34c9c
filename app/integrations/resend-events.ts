// What a verified Resend webhook event says about one of our emails. Pure: the route verifies,
// this maps, services/email-events.server.ts applies. A permanent bounce and a spam complaint
// mean "stop mailing this address"; a delivery and an opening are counted (campaign progress).
import { z } from "zod";

export type ResendEmailFact =
  /** The mailbox does not exist (or refuses us for good): suppress the address. */
  | { kind: "bounced"; providerEmailId: string; detail: string | null }
  /** The recipient marked our mail as spam: suppress the address. */
  | { kind: "complained"; providerEmailId: string; detail: string | null }
  /** A full mailbox, a greylisting server…: worth recording, not worth silencing anyone. */
  | { kind: "transient"; providerEmailId: string; detail: string | null }
  /** The recipient's server accepted it; `at` as Resend says, if it says. */
  | { kind: "delivered"; providerEmailId: string; at: Date | null }
  /** The recipient opened it (again, maybe). */
  | { kind: "opened"; providerEmailId: string; at: Date | null }
  /** Another kind of event, or one we cannot read. */
  | { kind: "ignored"; providerEmailId: string | null; reason: string };

// No length limit here: an overlong server message must not make a bounce unreadable (cut below).
const text = z.string().optional().nullable();

const emailData = z.object({ email_id: z.string().trim().min(1).max(200) }).passthrough();

const bouncedData = emailData.extend({
  // SES's vocabulary, which Resend passes on: Permanent, Transient or Undetermined.
  bounce: z.object({ type: text, subType: text, message: text }).passthrough(),
});

const envelope = z.object({ type: z.string().min(1).max(100), data: z.unknown() }).passthrough();

/** When the event happened (the envelope's created_at); null when absent or unreadable. */
const eventTime = z.object({ created_at: z.string().datetime({ offset: true }) }).passthrough();

/** "Suppressed: the address is on the recipient server's block list", kept short for the supplier. */
function joinDetail(...parts: (string | null | undefined)[]): string | null {
  const detail = parts.filter((part): part is string => Boolean(part?.trim())).map((part) => part.trim()).join(": ");
  return detail ? detail.slice(0, 500) : null;
}

/** The event's type, or null when the payload is not a Resend event at all. */
export function resendEventType(payload: unknown): string | null {
  const parsed = envelope.safeParse(payload);
  return parsed.success ? parsed.data.type : null;
}

export function mapResendEvent(payload: unknown): ResendEmailFact {
  const parsed = envelope.safeParse(payload);
  if (!parsed.success) return { kind: "ignored", providerEmailId: null, reason: "not a Resend event" };
  const { type, data } = parsed.data;
  const emailId = emailData.safeParse(data);
  const providerEmailId = emailId.success ? emailId.data.email_id : null;

  if (type === "email.bounced") {
    const bounced = bouncedData.safeParse(data);
    if (!bounced.success) return { kind: "ignored", providerEmailId, reason: "bounce without an email id or bounce details" };
    const { type: bounceType, subType, message } = bounced.data.bounce;
    const detail = joinDetail(subType, message);
    // Only a bounce Resend calls permanent silences an address; "Undetermined" may well be a
    // passing fault, and suppressing a working address would cost the supplier its reminders.
    const permanent = bounceType?.trim().toLowerCase() === "permanent";
    return { kind: permanent ? "bounced" : "transient", providerEmailId: bounced.data.email_id, detail };
  }
  if (type === "email.complained") {
    if (!emailId.success) return { kind: "ignored", providerEmailId: null, reason: "complaint without an email id" };
    return { kind: "complained", providerEmailId: emailId.data.email_id, detail: null };
  }
  if (type === "email.delivered" || type === "email.opened") {
    if (!emailId.success) return { kind: "ignored", providerEmailId: null, reason: `${type} without an email id` };
    const time = eventTime.safeParse(payload);
    const at = time.success ? new Date(time.data.created_at) : null;
    return type === "email.delivered"
      ? { kind: "delivered", providerEmailId: emailId.data.email_id, at }
      : { kind: "opened", providerEmailId: emailId.data.email_id, at };
  }
  return { kind: "ignored", providerEmailId, reason: `event type ${type}` };
}

// What Resend reports about our emails. Bounces and complaints (security J3): the email is marked
// bounced, the address is suppressed for the supplier that mailed it, its contacts are marked as
// failing, and the supplier hears of it on the invoice's timeline, by webhook and by email.
// Deliveries and openings set the email's delivered_at / opened_at (a campaign's progress counts).
// One transaction per event, with the event's id claimed in it, so a redelivery (Resend retries
// until it gets a 2xx) changes nothing.
import type { Db, Tx } from "../../../db/client";
import type { ResendEmailFact } from "~/integrations/resend-events";
import { findCustomer } from "~/features/customers/db/customers.server";
import {
  claimProviderEvent, findEmailByProviderId, invoiceNumberOf, setProviderEventOutcome, type EmailEventOutcome,
} from "~/features/emails/db/email-provider-events.server";
import {
  flagContactsWithAddress, insertSuppression, normalizeAddress, type SuppressionReason,
} from "~/features/emails/db/email-suppressions.server";
import { recordEmailOutcome, type EmailRow } from "~/features/emails/db/emails.server";
import { appendEvent } from "~/platform/audit/db/events.server";
import { getSupplier } from "~/features/suppliers/db/suppliers.server";
import { queueEmail } from "~/features/emails/email.server";
import { openInboxItem } from "~/features/inbox/open-inbox-item.server";
import { publishWebhookEvent } from "~/features/webhooks/webhooks.server";

export type ResendEventInput = { eventId: string; type: string; fact: ResendEmailFact; now?: Date };

export type ResendEventResult =
  | { outcome: "duplicate" }
  | { outcome: EmailEventOutcome; supplierId?: string; emailId?: string };

/** Applies one verified Resend event exactly once. */
export async function receiveResendEvent(db: Db, input: ResendEventInput): Promise<ResendEventResult> {
  const { fact } = input;
  const now = input.now ?? new Date();
  return db.transaction(async (tx): Promise<ResendEventResult> => {
    const claim = (outcome: EmailEventOutcome) =>
      claimProviderEvent(tx, { eventId: input.eventId, type: input.type, providerEmailId: fact.providerEmailId, outcome });

    if (fact.kind === "ignored") return (await claim("ignored")) ? { outcome: "ignored" } : { outcome: "duplicate" };
    const email = await findEmailByProviderId(tx, fact.providerEmailId);
    // Another system sharing the Resend account, or an email of ours we no longer have.
    if (!email) return (await claim("not_ours")) ? { outcome: "not_ours" } : { outcome: "duplicate" };
    const ours = { supplierId: email.supplierId, emailId: email.id };
    if (fact.kind === "transient") return (await claim("transient")) ? { outcome: "transient", ...ours } : { outcome: "duplicate" };
    if (fact.kind === "delivered" || fact.kind === "opened") {
      if (!(await claim("applied"))) return { outcome: "duplicate" };
      // Resend's own time of the event, unless it claims one still to come.
      const at = fact.at && fact.at.getTime() < now.getTime() ? fact.at : now;
      await recordEmailOutcome(tx, email.id, fact.kind, at);
      return { outcome: "applied", ...ours };
    }

    // The claim comes first: a concurrent duplicate waits here on its row until this commits.
    if (!(await claim("applied"))) return { outcome: "duplicate" };
    const outcome = await suppress(tx, email, { reason: fact.kind, detail: fact.detail, now });
    if (outcome !== "applied") await setProviderEventOutcome(tx, input.eventId, outcome);
    return { outcome, ...ours };
  });
}

async function suppress(
  tx: Tx,
  email: EmailRow,
  failure: { reason: SuppressionReason; detail: string | null; now: Date },
): Promise<EmailEventOutcome> {
  const { supplierId } = email;
  const address = normalizeAddress(email.toAddress);
  const { reason, detail, now } = failure;
  // A complaint marks the email bounced too: the address is as lost to the supplier as a dead one.
  await recordEmailOutcome(tx, email.id, "bounced", now);
  const created = await insertSuppression(tx, { supplierId, address, reason, detail, emailId: email.id, now });
  const flagged = await flagContactsWithAddress(tx, supplierId, address, { reason, at: now });

  // Every bounce of one of our emails is a fact on its invoice's timeline, even for an address
  // that was already suppressed (two reminders in flight can both bounce).
  await appendEvent(tx, {
    supplierId,
    invoiceId: email.invoiceId,
    customerId: email.customerId,
    type: `email.${reason}`,
    actor: "system",
    data: { email_id: email.id, address, detail, contact_ids: flagged.map((contact) => contact.id) },
  });
  // The supplier is told once per suppression, not once per bounced email.
  if (!created) return "already_suppressed";

  const customerId = email.customerId ?? flagged[0]?.customerId ?? null;
  await openInboxItem(tx, { supplierId, kind: "failing_address", sourceId: address, invoiceId: email.invoiceId, customerId, openedAt: now });
  await publishWebhookEvent(tx, {
    supplierId,
    type: "contact.email_failing",
    payload: {
      address,
      reason,
      detail,
      email_id: email.id,
      invoice_id: email.invoiceId,
      customer_id: customerId,
      contact_ids: flagged.map((contact) => contact.id),
    },
  });

  const supplier = await getSupplier(tx, supplierId);
  const notify = supplier?.notificationEmail;
  // Nobody to tell by email, or the failing address is the supplier's own (its webhook still fires).
  if (!supplier || !notify || normalizeAddress(notify) === address) return "applied";
  const customer = customerId ? await findCustomer(tx, supplierId, customerId) : undefined;
  const contact = flagged.find((row) => row.customerId === customerId) ?? flagged[0];
  await queueEmail(tx, {
    supplierId,
    invoiceId: email.invoiceId,
    customerId,
    template: "email-failing",
    locale: supplier.language,
    to: notify,
    idempotencyKey: `email-failing:${email.id}`, // one per suppression: it is created by this bounce
    props: {
      address,
      reason,
      customerName: customer?.name ?? null,
      contactName: contact?.name ?? null,
      detail,
      invoiceNumber: email.invoiceId ? await invoiceNumberOf(tx, supplierId, email.invoiceId) : null,
    },
  });
  return "applied";
}

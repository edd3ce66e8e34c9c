// The console inbox in integration tests: a supplier whose payer can report things (the portal's
// real forms), its clerks signed in, each kind of item brought about the way it happens in life,
// and the inbox pages as a browser calls them.
import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import type { AppLoadContext } from "@remix-run/node";
import { emails } from "../../db/schema";
import type { Db } from "../../db/client";
import type { Config } from "~/platform/config.server";
import type { ConsoleRole } from "~/domain/console-roles";
import { todayIn } from "~/domain/invoice-status";
import { insertEmail } from "~/features/emails/db/emails.server";
import { receiveResendEvent } from "~/features/emails/email-events.server";
import * as listRoute from "~/routes/app.inbox._index";
import * as itemRoute from "~/routes/app.inbox.$id";
import * as layoutRoute from "~/routes/app";
import type { InboxItemView } from "~/features/inbox/inbox.server";
import { getPage, newConsoleUser, postForm, signedInCookie } from "./console";
import { BILLING_EMAIL, payerFixture, post, withDeliveries, type PayerFixture } from "../integration/portal/payer-helpers";

export type InboxWorld = PayerFixture & {
  clerk: { id: string; email: string; cookie: string };
  colleague: { id: string; email: string };
  signIn: (role: ConsoleRole) => Promise<{ id: string; cookie: string }>;
};

export async function inboxWorld(db: Db, config: Config): Promise<InboxWorld> {
  const fixture = await payerFixture(db, config);
  const clerk = await newConsoleUser(db, fixture.supplier.id, "member");
  const colleague = await newConsoleUser(db, fixture.supplier.id, "member");
  const signIn = async (role: ConsoleRole) => {
    const user = await newConsoleUser(db, fixture.supplier.id, role);
    return { id: user.user.id, cookie: await signedInCookie(db, user.user.id, fixture.supplier.id) };
  };
  return {
    ...fixture,
    clerk: { id: clerk.user.id, email: clerk.email, cookie: await signedInCookie(db, clerk.user.id, fixture.supplier.id) },
    colleague: { id: colleague.user.id, email: colleague.email },
    signIn,
  };
}

function expectRedirect(response: Response) {
  if (response.status !== 303) throw new Error(`the portal answered ${response.status}`);
}

/** The payer reports a problem with the invoice on its page. */
export async function payerReportsProblem(context: AppLoadContext, token: string, message = "We agreed 900 kr per hour.") {
  expectRedirect(await post(context, token, { intent: "report-problem", reason: "wrong_amount", message, email: "anna@kund.example" }));
}

/** The supplier registers a delivery and the payer says it never came. */
export async function payerReportsDeliveryProblem(context: AppLoadContext, db: Db, fixture: PayerFixture) {
  const [delivery] = await withDeliveries(db, fixture, [{ description: "Pallet of books" }]);
  expectRedirect(await post(context, fixture.token, { intent: "report-delivery-problem", delivery_id: delivery!.id, reason: "not_received" }));
}

/** "I have paid", today, the whole amount by bank transfer. */
export async function payerReportsPayment(context: AppLoadContext, token: string) {
  expectRedirect(
    await post(context, token, { intent: "report-payment", paid_on: todayIn("Europe/Stockholm", new Date()), amount: "12 297,00", method: "bank_transfer" }),
  );
}

/** One of our emails to the billing contact bounces for good (Resend's event, as verified). */
export async function billingAddressBounces(db: Db, fixture: PayerFixture) {
  const providerId = randomUUID();
  const { id } = await insertEmail(db, {
    supplierId: fixture.supplier.id, invoiceId: fixture.invoice.id, customerId: fixture.customerId, idempotencyKey: `test:${providerId}`,
    template: "contact-changed", locale: "sv", props: {}, toAddress: BILLING_EMAIL,
  });
  await db.update(emails).set({ status: "sent", transport: "resend", providerId, sentAt: new Date() }).where(eq(emails.id, id));
  await receiveResendEvent(db, { eventId: `evt_${providerId}`, type: "email.bounced", fact: { kind: "bounced", providerEmailId: providerId, detail: "550 5.1.1 No such user" } });
}

export type InboxListPage = { items: InboxItemView[]; nextCursor: string | null };

export async function openInbox(context: AppLoadContext, cookie: string, query = ""): Promise<InboxListPage> {
  const response = await getPage(listRoute, context, `/app/inbox${query}`, { cookie });
  if (response.status !== 200) throw new Error(`the inbox answered ${response.status}`);
  return (await response.json()) as InboxListPage;
}

export type InboxItemPage = {
  item: InboxItemView;
  notes: { body: string; authorEmail: string }[];
  answerable: boolean;
  work: boolean;
};

export const openItem = (context: AppLoadContext, cookie: string, id: string) =>
  getPage(itemRoute, context, `/app/inbox/${id}`, { cookie, params: { id } });

export async function itemPage(context: AppLoadContext, cookie: string, id: string): Promise<InboxItemPage> {
  const response = await openItem(context, cookie, id);
  if (response.status !== 200) throw new Error(`the item answered ${response.status}`);
  return (await response.json()) as InboxItemPage;
}

export const workOnItem = (context: AppLoadContext, cookie: string, id: string, fields: Record<string, string> | [string, string][]) =>
  postForm(itemRoute, context, `/app/inbox/${id}`, fields, { cookie, params: { id } });

/** The new-items count the console's frame shows on every page. */
export async function newItemsBadge(context: AppLoadContext, cookie: string): Promise<number> {
  const response = await getPage(layoutRoute, context, "/app", { cookie });
  return ((await response.json()) as { newInboxItems: number }).newInboxItems;
}

/** Everything an inbox action may write: equal before and after means nothing was written. */
export async function inboxTables(db: Db): Promise<Record<string, unknown>> {
  const [row] = await db.execute<Record<string, unknown>>(sql`
    select (select string_agg(id || state || coalesce(assignee_id, '-') || updated_at::text, ',' order by id) from inbox_items) as items,
           (select count(*) from inbox_notes) as notes,
           (select string_agg(id || status || coalesce(resolution::text, ''), ',' order by id) from disputes) as disputes,
           (select count(*) from events) as events,
           (select count(*) from emails) as emails,
           (select count(*) from webhook_messages) as webhooks`);
  return row!;
}

// What a payer email shows beyond its own props: the invoice's payment facts as of sending, and
// the portal link. An invoice email's link is its own (issued on the first try, rebuilt on every
// later one); an email about the customer rather than an invoice (a contact-update campaign's)
// carries the link it was queued with. The stored copy of the email holds a placeholder instead,
// so the emails table never contains a working link (security L1: a database dump alone yields none).
import { and, eq, sql } from "drizzle-orm";
import { contacts, emails, invoices } from "../../../db/schema";
import type { DbOrTx, Tx } from "../../../db/client";
import { publicUrl, type Config } from "~/platform/config.server";
import type { EmailRow } from "~/features/emails/db/emails.server";
import type { Supplier } from "~/features/suppliers/db/suppliers.server";
import { buildPaymentInstructions } from "~/features/payments/payment-instructions.server";
import { emailLinkUrl, issueEmailLink } from "~/features/links/links.server";
import { carriesPortalLink, type EmailInvoice, type RenderedEmail } from "../../../emails";

/** Rendered into the stored copy where the portal link goes; swapped for the real URL when sending. */
export const PORTAL_LINK_PLACEHOLDER = "https://portal-link.invalid/i/link";

export type PayerEmailFacts = { invoice: EmailInvoice | null; portalUrl: string | null };

type FactsConfig = Pick<Config, "linkKeys" | "linkMaxAgeDays" | "publicBaseUrl">;

/**
 * The invoice facts and the link for a payer email, in the email job's transaction; null when
 * it has neither. A cancelled invoice's email carries no link (its page only says it is
 * cancelled), nor does a template that must not (contact-changed: the address was just typed in).
 */
export async function payerEmailFacts(tx: Tx, config: FactsConfig, row: EmailRow, supplier: Supplier, now: Date): Promise<PayerEmailFacts | null> {
  if (row.invoiceId !== null) return invoiceEmailFacts(tx, config, { ...row, invoiceId: row.invoiceId }, supplier, now);
  // No invoice: only the link the email was queued with (a campaign's fan-out sets it, and queues
  // to billing contacts only), never one issued here.
  if (row.linkId === null || !carriesPortalLink(row.template)) return null;
  return { invoice: null, portalUrl: await emailLinkUrl(tx, config, row.linkId) };
}

async function invoiceEmailFacts(
  tx: Tx,
  config: FactsConfig,
  row: EmailRow & { invoiceId: string },
  supplier: Supplier,
  now: Date,
): Promise<PayerEmailFacts | null> {
  const [invoice] = await tx.select().from(invoices).where(eq(invoices.id, row.invoiceId)).limit(1);
  if (!invoice || invoice.supplierId !== row.supplierId) return null;
  const instructions = buildPaymentInstructions({ invoice, supplier });
  const facts: EmailInvoice = {
    number: invoice.number,
    currency: instructions.currency,
    total: invoice.total,
    amountDue: instructions.amountDue,
    dueDate: invoice.dueDate,
    ocr: instructions.ocr,
    bankgiro: instructions.bankgiro,
    plusgiro: instructions.plusgiro,
    iban: instructions.iban,
    rf: instructions.rfPrinted,
  };
  let linkId = row.linkId;
  if (linkId === null) {
    const linkable = invoice.cancelledAt === null && carriesPortalLink(row.template) && (await isBillingAddress(tx, invoice, row.toAddress));
    if (!linkable) return { invoice: facts, portalUrl: null };
    linkId = await issueEmailLink(tx, config, invoice, { emailId: row.id }, now);
    await tx.update(emails).set({ linkId }).where(eq(emails.id, row.id));
  }
  return { invoice: facts, portalUrl: await emailLinkUrl(tx, config, linkId) };
}

/**
 * Portal links go only to the billing contacts on file: an address someone typed into a form (a
 * problem report's "your email", say) gets the payment facts but never a bearer link, so a leaked
 * link that the supplier reissued cannot be renewed through such a form.
 */
async function isBillingAddress(tx: Tx, invoice: { supplierId: string; customerId: string }, address: string): Promise<boolean> {
  const [match] = await tx
    .select({ id: contacts.id })
    .from(contacts)
    .where(
      and(
        eq(contacts.supplierId, invoice.supplierId),
        eq(contacts.customerId, invoice.customerId),
        eq(contacts.isBilling, true),
        sql`lower(${contacts.email}) = lower(${address})`,
      ),
    )
    .limit(1);
  return match !== undefined;
}

type SiteConfig = Pick<Config, "publicBaseUrl">;

/**
 * The placeholder replaced by the email's link. Without one (its signing key was retired between
 * two tries) it becomes the site's address, never a dead host.
 */
function putLink(text: string, config: SiteConfig, portalUrl: string | null): string {
  return text.replaceAll(PORTAL_LINK_PLACEHOLDER, portalUrl ?? publicUrl(config, "/"));
}

/** The message as sent. */
export function withPortalLink(email: RenderedEmail, config: SiteConfig, portalUrl: string | null): RenderedEmail {
  return { subject: email.subject, html: putLink(email.html, config, portalUrl), text: putLink(email.text, config, portalUrl) };
}

/**
 * An outbox email as its reader gets it (development only: the outbox is the delivery there),
 * with its own portal link in place of the placeholder.
 */
export async function deliveredCopy(
  db: DbOrTx,
  config: Pick<Config, "linkKeys" | "linkMaxAgeDays" | "publicBaseUrl">,
  email: Pick<EmailRow, "linkId" | "html" | "text">,
): Promise<{ html: string | null; text: string | null }> {
  const url = email.linkId ? await emailLinkUrl(db, config, email.linkId) : null;
  return {
    html: email.html === null ? null : putLink(email.html, config, url),
    text: email.text === null ? null : putLink(email.text, config, url),
  };
}

// The customer's answers on a campaign page /c/<token> (security L2–L4), like the invoice page's
// actions: a POST with an intent, refused when cross-site before anything else, validated with
// errors that name the field, idempotent under double submit through a one-time submission id
// claimed in the answer's own transaction, then a redirect back (POST-redirect-GET).
import type { Db } from "../../../db/client";
import type { Config } from "~/platform/config.server";
import { validateOrgNumber } from "~/domain/identifiers";
import { customerJson } from "~/features/customers/api.server";
import { appendEvent } from "~/platform/audit/db/events.server";
import { listBillingContacts } from "~/features/customers/db/contacts.server";
import { updateCustomerColumns } from "~/features/customers/db/customers.server";
import { lockCampaignAnswerer, type CampaignAnswer, type LockedAnswerer } from "~/features/campaigns/db/campaign-page.server";
import { recordCampaignAnswer, type VisitOrigin } from "~/features/campaigns/campaign-answers.server";
import { resolveCampaignToken, type ResolvedCampaignLink } from "~/features/campaigns/campaign-links.server";
import {
  addContactTo, changeContact, parseContactForm, parseContactUpdateForm, type ContactChangeResult, type ContactChangeScope,
} from "~/features/customers/contacts.server";
import { runFormAction, type FormHandler, type PayerActionResult } from "~/platform/forms/form-action.server";
import { runLinkAction, type LinkActionInput } from "~/features/portal/payer-actions.server";
import { one, type FormFields, type Parsed } from "~/features/portal/payer-forms.server";
import { publishWebhookEvent } from "~/features/webhooks/webhooks.server";
import type { Tx } from "../../../db/client";

export const CAMPAIGN_INTENTS = ["confirm-contacts", "update-contact", "add-contact", "update-organisation"] as const;
export type CampaignIntent = (typeof CAMPAIGN_INTENTS)[number];

export function isCampaignIntent(value: unknown): value is CampaignIntent {
  return typeof value === "string" && (CAMPAIGN_INTENTS as readonly string[]).includes(value);
}

type CampaignActionContext = {
  tx: Tx;
  now: Date;
  link: ResolvedCampaignLink;
  /** The recipient and its customer, locked for this answer. */
  answerer: LockedAnswerer;
  origin: VisitOrigin;
  submissionId: string;
};

type CampaignHandler<T> = FormHandler<CampaignActionContext, T>;

function contactScope(context: CampaignActionContext): ContactChangeScope {
  const { supplier, customer } = context.answerer;
  return {
    tx: context.tx,
    now: context.now,
    submissionId: context.submissionId,
    supplier: { id: supplier.id, language: supplier.language },
    customer: { id: customer.id, name: customer.name, language: customer.language },
    invoiceId: null,
    campaignId: context.link.campaignId,
    linkId: context.link.linkId,
    origin: context.origin,
  };
}

async function answer(context: CampaignActionContext, kind: CampaignAnswer): Promise<undefined> {
  const { customer } = context.answerer;
  await recordCampaignAnswer(context.tx, context.link, kind, { customer, origin: context.origin }, context.now);
  return undefined;
}

/** A form saved unchanged is an answer too: the customer looked at the details and found them right. */
async function answerAfter(context: CampaignActionContext, result: ContactChangeResult) {
  if (!result.ok) return result.refusal;
  return answer(context, result.changed ? "corrected" : "confirmed");
}

const confirmContacts: CampaignHandler<null> = {
  formKey: () => "confirm-contacts",
  parse: () => ({ ok: true, value: null }),
  apply: (context) => answer(context, "confirmed"),
};

const updateContact: CampaignHandler<Parameters<typeof changeContact>[1]> = {
  formKey: (fields) => `update-contact:${one(fields, "contact_id")}`,
  parse: parseContactUpdateForm,
  apply: async (context, value) => answerAfter(context, await changeContact(contactScope(context), value)),
};

const addContact: CampaignHandler<Parameters<typeof addContactTo>[1]> = {
  formKey: () => "add-contact",
  parse: parseContactForm,
  apply: async (context, fields) => answerAfter(context, await addContactTo(contactScope(context), fields)),
};

const MAX_ORG_NUMBER = 40;
const LOOKS_SWEDISH = /^[\d\s-]+$/;
const FOREIGN_ORG_NUMBER = /^[A-Za-z0-9][A-Za-z0-9 ./-]*$/;

/**
 * Only digits (and spaces, dashes) look Swedish and are checked as a Swedish organisation number
 * (normalised to NNNNNN-NNNN); anything else is taken as a foreign registration number.
 */
export function parseOrgNumber(fields: FormFields): Parsed<string> {
  const value = one(fields, "org_number").trim();
  const refuse = (message: "actions.error.required" | "actions.error.tooLong" | "campaign.error.orgNumber" | "campaign.error.orgNumberFormat") =>
    ({ ok: false, errors: { org_number: message } }) as const;
  if (value === "") return refuse("actions.error.required");
  if (value.length > MAX_ORG_NUMBER) return refuse("actions.error.tooLong");
  if (LOOKS_SWEDISH.test(value)) {
    const checked = validateOrgNumber(value);
    return checked.ok ? { ok: true, value: checked.value } : refuse("campaign.error.orgNumber");
  }
  return FOREIGN_ORG_NUMBER.test(value) ? { ok: true, value } : refuse("campaign.error.orgNumberFormat");
}

const updateOrganisation: CampaignHandler<string> = {
  formKey: () => "update-organisation",
  parse: parseOrgNumber,
  async apply(context, orgNumber) {
    const { tx, link } = context;
    const before = context.answerer.customer.orgNumber;
    if (before === orgNumber) return answer(context, "confirmed");
    const after = await updateCustomerColumns(tx, link.supplierId, link.customerId, { orgNumber });
    const changes = { org_number: { from: before, to: after.orgNumber } };
    await appendEvent(tx, {
      supplierId: link.supplierId,
      customerId: link.customerId,
      type: "customer.updated",
      actor: "payer",
      actorId: link.linkId,
      ip: context.origin.ip,
      userAgent: context.origin.userAgent,
      data: { link_id: link.linkId, campaign_id: link.campaignId, changes },
    });
    // The API's customer.updated, with the campaign the change came through.
    await publishWebhookEvent(tx, {
      supplierId: link.supplierId,
      type: "customer.updated",
      payload: {
        customer: customerJson(after, await listBillingContacts(tx, link.supplierId, after.id)),
        changed: ["org_number"],
        campaign_id: link.campaignId,
      },
    });
    return answer(context, "corrected");
  },
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each handler has its own value type
const HANDLERS: Record<CampaignIntent, CampaignHandler<any>> = {
  "confirm-contacts": confirmContacts,
  "update-contact": updateContact,
  "add-contact": addContact,
  "update-organisation": updateOrganisation,
};

export async function performCampaignAction(
  services: { db: Db; config: Config },
  input: LinkActionInput,
): Promise<PayerActionResult> {
  const { db } = services;
  const { token, request } = input;
  return runLinkAction(services, input, resolveCampaignToken, (link, now) =>
    runFormAction(db, {
      request,
      pagePath: `/c/${token}`,
      isIntent: isCampaignIntent,
      handlers: HANDLERS,
      tooLarge: { formError: "campaign.error.tooLarge" },
      invoiceId: null,
      context: async (tx, submissionId): Promise<CampaignActionContext> => {
        const answerer = await lockCampaignAnswerer(tx, link);
        if (!answerer) throw new Error(`recipient ${link.recipientId} of a valid campaign link is missing`);
        return { tx, now, link, answerer, origin: { ip: input.ip || null, userAgent: input.userAgent || null }, submissionId };
      },
    }),
  );
}

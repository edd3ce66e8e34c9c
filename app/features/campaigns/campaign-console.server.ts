// The console's campaigns (/app/campaigns): the form that creates one, and start and cancel. Each
// is the API's own use case (campaigns.server.ts: the same schema, checks, audit events and
// job), called with the signed-in user as the actor; refusals become dictionary keys by field.
import type { Db } from "../../../db/client";
import type { ProblemBody } from "~/api/problem.server";
import type { MessageKey } from "~/i18n";
import { createCampaignSchema } from "~/features/campaigns/api.schemas";
import {
  campaignReport, cancelCampaign, createCampaign, listCampaigns, startCampaign, type CampaignActor,
} from "~/features/campaigns/campaigns.server";
import { getSupplier } from "~/features/suppliers/db/suppliers.server";

/** The supplier's clock, on which the console shows deadlines. */
const timeZoneOf = async (db: Db, supplierId: string) => (await getSupplier(db, supplierId))?.timeZone ?? "Europe/Stockholm";

/** One page of the campaigns, newest first (a cursor the API did not give starts from the top). */
export async function campaignList(db: Db, request: { supplierId: string; cursor?: string; now: Date }) {
  const [list, timeZone] = await Promise.all([
    listCampaigns(db, { supplierId: request.supplierId, cursor: request.cursor, limit: 50, now: request.now }),
    timeZoneOf(db, request.supplierId),
  ]);
  return { timeZone, ...(list.ok ? list.body : { data: [], next_cursor: null }) };
}

/** The live report: counts and one page of the per-customer state; null for another supplier's id. */
export async function campaignReportPage(db: Db, request: { supplierId: string; campaignId: string; after?: string; now: Date }) {
  const [report, timeZone] = await Promise.all([
    campaignReport(db, { ...request, limit: 100 }),
    timeZoneOf(db, request.supplierId),
  ]);
  return report && { timeZone, report };
}

/** The form's fields; `audience` is all, open_invoices or stale (then `stale_months`). */
export const CAMPAIGN_FORM_FIELDS = ["name", "message", "audience", "stale_months", "start_at", "deadline"] as const;
type FormField = (typeof CAMPAIGN_FORM_FIELDS)[number];

export type CampaignFormRefusal = { errors: Partial<Record<FormField, MessageKey>>; values: Partial<Record<FormField, string>> };

const FIELD_ERROR: Record<FormField, MessageKey> = {
  name: "console.campaigns.error.name",
  message: "console.campaigns.error.message",
  audience: "console.campaigns.error.audience",
  stale_months: "console.campaigns.error.staleMonths",
  start_at: "console.campaigns.error.startAt",
  deadline: "console.campaigns.error.deadline",
};

/** The API's field path (audience.stale_months, deadline …) as the form's field. */
function formFieldOf(path: string): FormField {
  if (path.startsWith("audience")) return path.includes("stale_months") ? "stale_months" : "audience";
  return (CAMPAIGN_FORM_FIELDS as readonly string[]).includes(path) ? (path as FormField) : "name";
}

function audienceOf(values: Partial<Record<FormField, string>>): unknown {
  switch (values.audience) {
    case "all":
    case "open_invoices":
      return values.audience;
    case "stale": {
      const months = Number(values.stale_months);
      return { stale_months: /^\d{1,3}$/.test(values.stale_months ?? "") ? months : Number.NaN };
    }
    default:
      return undefined;
  }
}

export type CampaignCreated = { ok: true; id: string } | { ok: false; refusal: CampaignFormRefusal };

/** Creates a draft campaign from the console's form; nothing is sent until it is started. */
export async function createCampaignFromForm(
  db: Db,
  request: { supplierId: string; actor: CampaignActor; form: (name: string) => string; now: Date },
): Promise<CampaignCreated> {
  const values = Object.fromEntries(CAMPAIGN_FORM_FIELDS.map((name) => [name, request.form(name).slice(0, 6000)])) as Record<FormField, string>;
  const refuse = (paths: string[]): CampaignCreated => ({
    ok: false,
    refusal: { errors: Object.fromEntries(paths.map((path) => [formFieldOf(path), FIELD_ERROR[formFieldOf(path)]])), values },
  });
  const parsed = createCampaignSchema.safeParse({
    name: values.name,
    message: values.message,
    audience: audienceOf(values),
    deadline: values.deadline,
    start_at: values.start_at === "" ? null : values.start_at,
  });
  if (!parsed.success) return refuse(parsed.error.issues.map((issue) => issue.path.join(".") || "name"));
  const result = await createCampaign(db, { supplierId: request.supplierId, input: parsed.data, actor: request.actor, now: request.now });
  if (result.ok) return { ok: true, id: result.body.id };
  return refuse((result.problem.errors ?? []).map((error) => error.field));
}

export type CampaignChangeResult = { ok: true } | { ok: false; status: 404 } | { ok: false; status: 409; error: MessageKey };

const changed = (verb: "start" | "cancel", result: { ok: true } | { ok: false; problem: ProblemBody }): CampaignChangeResult => {
  if (result.ok) return { ok: true };
  if (result.problem.status === 404) return { ok: false, status: 404 };
  return { ok: false, status: 409, error: verb === "start" ? "console.campaigns.error.cannotStart" : "console.campaigns.error.cannotCancel" };
};

/** Starts a draft (the fan-out job is queued with it); a started or cancelled one is refused. */
export async function startCampaignFromConsole(db: Db, request: { supplierId: string; campaignId: string; actor: CampaignActor; now: Date }) {
  return changed("start", await startCampaign(db, request));
}

export async function cancelCampaignFromConsole(db: Db, request: { supplierId: string; campaignId: string; actor: CampaignActor; now: Date }) {
  return changed("cancel", await cancelCampaign(db, request));
}

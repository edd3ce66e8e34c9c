// What the campaigns API accepts. The deadline and start may be a calendar date (the end of that
// day, or its start, in the supplier's time zone) or an instant with its offset; the service
// turns them into instants and checks them against the clock.
import { z } from "zod";
import { FORMATS } from "~/api/openapi/formats";
import { isPublicId } from "~/domain/public-id";
import { limitParam } from "~/api/query-schemas";
import { multiLine, singleLine } from "~/api/text";

/** Beyond this a list of customers is an "all" campaign, or several campaigns. */
export const MAX_AUDIENCE_IDS = 10_000;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

/** V8 reads 2026-02-30 as 2 March; a deadline typed wrong must be refused, not moved. */
function isRealDay(value: string): boolean {
  const day = value.slice(0, 10);
  const date = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === day;
}

const when = (field: string) =>
  z
    .string({ required_error: `${field} is required`, invalid_type_error: `${field} must be a date or a date-time string` })
    .trim()
    .refine(
      (value) => (DATE.test(value) || (INSTANT.test(value) && !Number.isNaN(Date.parse(value)))) && isRealDay(value),
      `${field} must be a date (2026-12-31) or a date-time with its offset (2026-12-31T16:00:00+01:00)`,
    )
    .openapi(FORMATS.dateOrDateTime);

export const campaignAudienceSchema = z.union(
  [
    z.literal("all"),
    z.literal("open_invoices"),
    z.object({ stale_months: z.number().int("stale_months must be a whole number").min(1, "stale_months must be 1 to 120").max(120, "stale_months must be 1 to 120") }).strict(),
    z
      .object({
        customer_ids: z
          .array(z.string().refine((value) => isPublicId("cus", value), "must be a customer id (cus_…)"))
          .min(1, "customer_ids must name at least one customer")
          .max(MAX_AUDIENCE_IDS, `customer_ids may name at most ${MAX_AUDIENCE_IDS} customers`),
      })
      .strict(),
  ],
  {
    errorMap: () => ({
      message: 'audience must be "all", "open_invoices", {"stale_months": N} or {"customer_ids": ["cus_…"]}',
    }),
  },
);

export const createCampaignSchema = z
  .object({
    name: singleLine(z.string({ required_error: "name is required" }).trim().min(1, "name must not be empty").max(200, "name is at most 200 characters"), "name"),
    audience: campaignAudienceSchema,
    message: multiLine(
      z.string({ required_error: "message is required" }).trim().min(1, "message must not be empty").max(5000, "message is at most 5000 characters"),
      "message",
    ),
    deadline: when("deadline"),
    /** When the first emails may go out; omitted: when the campaign is started. */
    start_at: when("start_at").nullish(),
  })
  .strict();

export type CreateCampaignInput = z.output<typeof createCampaignSchema>;

export const listCampaignsQuerySchema = z
  .object({
    limit: limitParam.optional(),
    cursor: z.string().min(1, "cursor must not be empty").max(200, "cursor is not one this API returned").optional(),
  })
  .strict();

/** The report's per-customer list is paged by customer id. */
export const campaignReportQuerySchema = z
  .object({
    limit: z
      .string()
      .regex(/^\d{1,4}$/, "limit must be a whole number from 1 to 1000")
      .transform(Number)
      .refine((value) => value >= 1 && value <= 1000, { message: "limit must be a whole number from 1 to 1000" })
      .optional(),
    after: z.string().refine((value) => isPublicId("cus", value), "after must be a customer id (cus_…) from next_after").optional(),
  })
  .strict();

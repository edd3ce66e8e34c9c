// The CLI's contact-update campaign commands (`npm run cli -- campaign:…`): the same services and
// validation as /api/v1/campaigns, with flags for the operator and tables for a terminal.
import { readFileSync, writeFileSync } from "node:fs";
import type { Db } from "../../db/client";
import type { CampaignJson } from "~/features/campaigns/api.json.server";
import { createCampaignSchema } from "~/features/campaigns/api.schemas";
import { fieldErrors, type ProblemBody } from "~/api/problem.server";
import type { FieldError } from "~/api/problem.server";
import { getSupplier } from "~/features/suppliers/db/suppliers.server";
import {
  campaignAnswersCsv, cancelCampaign, createCampaign, getCampaign, listCampaigns, queueCampaign, startCampaign,
} from "~/features/campaigns/campaigns.server";
import { OPERATOR } from "~/features/suppliers/suppliers.server";
import {
  cliConfig, CliError, EXIT, fail, jsonOption, noSupplier, print, progressReporter, type Command, type Values,
} from "./support";

const supplierOption = { supplier: { type: "string" as const } };

function needsSupplier(command: string) {
  return (values: Values) => {
    if (typeof values.supplier !== "string") throw new CliError(`${command} needs --supplier <supplier_id>`, EXIT.usage);
  };
}

/** `all`, `open_invoices`, `stale:<months>`, `ids:cus_a,cus_b`; anything else goes to the schema, which refuses it. */
export function audienceFrom(value: string): unknown {
  if (value === "all" || value === "open_invoices") return value;
  const stale = /^stale:(\d{1,6})$/.exec(value.trim());
  if (stale) return { stale_months: Number(stale[1]) };
  if (value.startsWith("ids:")) return { customer_ids: value.slice(4).split(",").map((id) => id.trim()).filter(Boolean) };
  return value;
}

const AUDIENCE_FORMS = "all, open_invoices, stale:<months> or ids:cus_a,cus_b";

/** The API's field paths as the flags the operator typed. */
export function flagError(error: FieldError, customerIds: readonly string[] = []): string {
  const { field, message } = error;
  const item = /^audience\.customer_ids\[(\d+)\]$/.exec(field);
  if (item) return `--audience ids: ${customerIds[Number(item[1])] ?? field}: ${message}`;
  if (field === "audience") return `--audience: must be ${AUDIENCE_FORMS}`;
  if (field.startsWith("audience.")) return `--audience: ${message}`;
  return `--${field.replace(/_/g, "-")}: ${message}`;
}

function invalid(errors: FieldError[], customerIds: readonly string[] = []): number {
  for (const error of errors) console.error(`error: ${flagError(error, customerIds)}`);
  console.error("Nothing was changed.");
  return EXIT.failed;
}

function refused(problem: ProblemBody, campaignId: string, supplierId: string): number {
  if (problem.status === 404) return fail(`No campaign ${campaignId} of supplier ${supplierId}`);
  if (problem.errors) return invalid(problem.errors);
  return fail(problem.detail ?? problem.title);
}

/** "2026-12-31 16:00", or "end of 2026-12-31" for a deadline given as a date, in the supplier's time zone. */
export function localTime(iso: string, timeZone: string): string {
  const format = (at: number) =>
    new Intl.DateTimeFormat("sv-SE", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" })
      .format(new Date(at));
  const at = Date.parse(iso);
  const text = format(at);
  return text.endsWith(" 00:00") ? `end of ${format(at - 60_000).slice(0, 10)}` : text;
}

function describeAudience(audience: CampaignJson["audience"]): string {
  if (audience === "all") return "all customers";
  if (audience === "open_invoices") return "customers with open invoices";
  if ("stale_months" in audience) return `customers not confirmed in the last ${audience.stale_months} months`;
  return `${audience.customer_ids.length} listed customer${audience.customer_ids.length === 1 ? "" : "s"}`;
}

/** The summary: what happened to the customers, and to the emails. */
export function summaryLines(campaign: CampaignJson, timeZone: string): string[] {
  const { counts, emails } = campaign;
  const customers: [string, number, string][] = [
    ["customers", counts.customers, ""],
    ["sent", counts.sent, "at least one email sent"],
    ["delivered", counts.delivered, "at least one email delivered"],
    ["bounced", counts.bounced, "an address bounced or is suppressed"],
    ["opened", counts.opened, "the email or the page opened"],
    ["confirmed", counts.confirmed, "answered: all correct"],
    ["corrected", counts.corrected, "answered with corrections"],
    ["no answer", counts.no_answer, ""],
  ];
  const emailStates: [string, number][] = [
    ["queued", emails.queued], ["sent", emails.sent], ["failed", emails.failed], ["suppressed", emails.suppressed],
  ];
  return [
    `${campaign.id}  ${campaign.name}`,
    `  ${campaign.status}; ${describeAudience(campaign.audience)}; deadline ${localTime(campaign.deadline, timeZone)} (${timeZone})`,
    "",
    ...customers.map(([label, count, note]) => `  ${label.padEnd(10)} ${String(count).padStart(7)}  ${note}`.trimEnd()),
    "",
    `  emails     ${String(emails.total).padStart(7)}  ${emailStates.map(([label, count]) => `${label} ${count}`).join(", ")}; ` +
      `delivered ${emails.delivered}, opened ${emails.opened}, bounced ${emails.bounced}`,
  ];
}

type Clock = { now: () => number; sleep: (ms: number) => Promise<void> };
const realClock: Clock = { now: () => Date.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };

/**
 * Polls the counts until no email is queued ("sent") or nothing moved for `stallMs` ("stalled":
 * no worker is sending them). The CLI only queues; the web process's worker sends.
 */
export async function followSending(
  poll: () => Promise<{ total: number; queued: number }>,
  progress: { update: (done: number, total: number) => void; done: () => void },
  clock: Clock = realClock,
  limits = { intervalMs: 1000, stallMs: 30_000 },
): Promise<"sent" | "stalled"> {
  let last = -1;
  let movedAt = clock.now();
  try {
    for (;;) {
      const { total, queued } = await poll();
      const done = total - queued;
      progress.update(done, total);
      if (queued === 0) return "sent";
      if (done !== last) {
        last = done;
        movedAt = clock.now();
      } else if (clock.now() - movedAt >= limits.stallMs) {
        return "stalled";
      }
      await clock.sleep(limits.intervalMs);
    }
  } finally {
    progress.done();
  }
}

const WORKER_HINT =
  "Queued emails are sent by the worker: it runs inside the web process (npm run dev, npm start) unless WORKER=off, or alone with npm run worker.";

async function supplierOrFail(db: Db, values: Values) {
  const supplierId = String(values.supplier);
  return { supplierId, supplier: await getSupplier(db, supplierId) };
}

async function campaignOrFail(db: Db, supplierId: string, campaignId: string): Promise<CampaignJson | null> {
  const campaign = await getCampaign(db, { supplierId, campaignId });
  if (!campaign) fail(`No campaign ${campaignId} of supplier ${supplierId}`);
  return campaign;
}

function messageFrom(values: Values): string {
  if (typeof values.message === "string") return values.message;
  try {
    return readFileSync(String(values["message-file"]), "utf8");
  } catch (error) {
    throw new CliError(`Cannot read --message-file ${values["message-file"]}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, EXIT.failed);
  }
}

export const CAMPAIGN_COMMANDS: Record<string, Command> = {
  "campaign:create": {
    args: [],
    options: {
      ...supplierOption, name: { type: "string" }, audience: { type: "string" }, message: { type: "string" }, "message-file": { type: "string" },
      deadline: { type: "string" }, "start-at": { type: "string" }, ...jsonOption,
    },
    usage:
      `campaign:create --supplier <id> --name "…" --audience ${AUDIENCE_FORMS.replace(" or ", "|").replace(/, /g, "|")} ` +
      `(--message "…" | --message-file <path>) --deadline <2026-12-31 | 2026-12-31T16:00:00+01:00> [--start-at <date|date-time>] [--json]`,
    check: (values) => {
      needsSupplier("campaign:create")(values);
      for (const flag of ["name", "audience", "deadline"]) {
        if (typeof values[flag] !== "string") throw new CliError(`campaign:create needs --${flag}`, EXIT.usage);
      }
      if ((typeof values.message === "string") === (typeof values["message-file"] === "string")) {
        throw new CliError("campaign:create needs either --message \"…\" or --message-file <path>", EXIT.usage);
      }
    },
    run: async (db, values) => {
      const { supplierId, supplier } = await supplierOrFail(db, values);
      if (!supplier) return noSupplier(supplierId);
      const audience = audienceFrom(String(values.audience));
      const listed = String(values.audience).startsWith("ids:") ? (audience as { customer_ids: string[] }).customer_ids : [];
      const parsed = createCampaignSchema.safeParse({
        name: values.name,
        audience,
        message: messageFrom(values),
        deadline: values.deadline,
        ...(typeof values["start-at"] === "string" ? { start_at: values["start-at"] } : {}),
      });
      if (!parsed.success) return invalid(fieldErrors(parsed.error), listed);
      const result = await createCampaign(db, { supplierId, input: parsed.data, actor: OPERATOR });
      if (!result.ok) return result.problem.errors ? invalid(result.problem.errors, listed) : fail(result.problem.detail ?? result.problem.title);
      const campaign = result.body;
      if (values.json) return print(campaign);
      console.log(`Created campaign ${campaign.id} "${campaign.name}" (draft) for ${describeAudience(campaign.audience)}, deadline ${localTime(campaign.deadline, supplier.timeZone)} (${supplier.timeZone}).`);
      console.log(`Nothing is sent until it is started: npm run cli -- campaign:start ${campaign.id} --supplier ${supplierId}`);
      return EXIT.ok;
    },
  },
  "campaign:start": {
    args: ["campaign_id"],
    options: { ...supplierOption, "no-wait": { type: "boolean" }, ...jsonOption },
    usage: "campaign:start <campaign_id> --supplier <id> [--no-wait] [--json]   (queues one email per billing contact; on a terminal, follows the sending)",
    check: needsSupplier("campaign:start"),
    run: async (db, values, [campaignId]) => {
      const config = cliConfig();
      const { supplierId, supplier } = await supplierOrFail(db, values);
      if (!supplier) return noSupplier(supplierId);
      const started = await startCampaign(db, { supplierId, campaignId: campaignId!, actor: OPERATOR });
      if (!started.ok) return refused(started.problem, campaignId!, supplierId);
      if (started.body.status === "scheduled") {
        if (values.json) return print(started.body);
        console.log(`Started campaign ${campaignId}: its emails go out from ${localTime(started.body.start_at!, supplier.timeZone)} (${supplier.timeZone}). ${WORKER_HINT}`);
        return EXIT.ok;
      }
      // The fan-out now rather than when the worker gets to it, so the total is known here.
      const outcome = await queueCampaign({ db, config }, { campaignId: campaignId!, supplierId });
      const queued = (await getCampaign(db, { supplierId, campaignId: campaignId! }))!.emails.total;
      if (!values.json) {
        if (outcome) {
          const asked = outcome.customers - outcome.withoutEmail;
          console.log(`Started campaign ${campaignId}: ${outcome.emails} email${outcome.emails === 1 ? "" : "s"} queued to ${asked} customer${asked === 1 ? "" : "s"}.`);
          if (outcome.withoutEmail > 0) {
            console.log(`${outcome.withoutEmail} customer${outcome.withoutEmail === 1 ? " has" : "s have"} no billing contact with an email address: ask them another way (campaign:export lists them).`);
          }
        } else {
          // A running worker picked up the campaign's job between the start and here.
          console.log(`Started campaign ${campaignId}: the worker queued its ${queued} email${queued === 1 ? "" : "s"}.`);
        }
      }
      const follow = process.stderr.isTTY && values["no-wait"] !== true && values.json !== true;
      if (follow && queued > 0) {
        const minutes = Math.ceil(queued / config.campaignEmailsPerMinute);
        console.error(`Sending about ${config.campaignEmailsPerMinute} a minute (CAMPAIGN_EMAILS_PER_MINUTE): about ${minutes} min. Ctrl-C stops watching, not the sending.`);
        const poll = async () => (await getCampaign(db, { supplierId, campaignId: campaignId! }))!.emails;
        if ((await followSending(poll, progressReporter("emails sent", { tty: 1, log: Infinity }))) === "stalled") {
          console.error(`No email was sent for 30 s. ${WORKER_HINT} Follow with: npm run cli -- campaign:show ${campaignId} --supplier ${supplierId}`);
        }
      }
      const campaign = (await getCampaign(db, { supplierId, campaignId: campaignId! }))!;
      if (values.json) return print(campaign);
      for (const line of summaryLines(campaign, supplier.timeZone)) console.log(line);
      if (!follow && campaign.emails.queued > 0) console.log(`\n${WORKER_HINT} Follow with: npm run cli -- campaign:show ${campaignId} --supplier ${supplierId}`);
      return EXIT.ok;
    },
  },
  "campaign:show": {
    args: ["campaign_id"],
    options: { ...supplierOption, ...jsonOption },
    usage: "campaign:show <campaign_id> --supplier <id> [--json]   (the counts: sent, delivered, bounced, opened, confirmed, corrected, no answer)",
    check: needsSupplier("campaign:show"),
    run: async (db, values, [campaignId]) => {
      const { supplierId, supplier } = await supplierOrFail(db, values);
      if (!supplier) return noSupplier(supplierId);
      const campaign = await campaignOrFail(db, supplierId, campaignId!);
      if (!campaign) return EXIT.failed;
      if (values.json) return print(campaign);
      for (const line of summaryLines(campaign, supplier.timeZone)) console.log(line);
      return EXIT.ok;
    },
  },
  "campaign:export": {
    args: ["campaign_id"],
    options: { ...supplierOption, out: { type: "string" } },
    usage: "campaign:export <campaign_id> --supplier <id> [--out answers.csv]   (one line per billing contact; without --out, to stdout)",
    check: needsSupplier("campaign:export"),
    run: async (db, values, [campaignId]) => {
      const { supplierId, supplier } = await supplierOrFail(db, values);
      if (!supplier) return noSupplier(supplierId);
      const csv = await campaignAnswersCsv(db, { supplierId, campaignId: campaignId! });
      if (csv === null) return fail(`No campaign ${campaignId} of supplier ${supplierId}`);
      if (typeof values.out !== "string") {
        await new Promise<void>((resolve) => process.stdout.write(csv, () => resolve()));
        return EXIT.ok;
      }
      try {
        // The bytes the API answers: UTF-8 with a BOM, so Excel shows å, ä and ö.
        writeFileSync(values.out, `\ufeff${csv}`);
      } catch (error) {
        return fail(`Cannot write ${values.out}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
      const lines = csv.split("\r\n").length - 2;
      console.error(`Wrote ${lines} line${lines === 1 ? "" : "s"} (one per billing contact) and the header to ${values.out}.`);
      return EXIT.ok;
    },
  },
  "campaign:cancel": {
    args: ["campaign_id"],
    options: { ...supplierOption, ...jsonOption },
    usage: "campaign:cancel <campaign_id> --supplier <id> [--json]   (its links stop working; nothing more is sent)",
    check: needsSupplier("campaign:cancel"),
    run: async (db, values, [campaignId]) => {
      const { supplierId, supplier } = await supplierOrFail(db, values);
      if (!supplier) return noSupplier(supplierId);
      const result = await cancelCampaign(db, { supplierId, campaignId: campaignId!, actor: OPERATOR });
      if (!result.ok) return refused(result.problem, campaignId!, supplierId);
      if (values.json) return print(result.body);
      console.log(`Cancelled campaign ${campaignId}: its links no longer open and no more emails go out. Answers already given stay.`);
      return EXIT.ok;
    },
  },
  "campaign:list": {
    args: [],
    options: { ...supplierOption, ...jsonOption },
    usage: "campaign:list --supplier <id> [--json]   (newest first)",
    check: needsSupplier("campaign:list"),
    run: async (db, values) => {
      const { supplierId, supplier } = await supplierOrFail(db, values);
      if (!supplier) return noSupplier(supplierId);
      const all: CampaignJson[] = [];
      let cursor: string | undefined;
      do {
        const page = await listCampaigns(db, { supplierId, cursor, limit: 100 });
        if (!page.ok) return fail(page.problem.detail ?? page.problem.title);
        all.push(...page.body.data);
        cursor = page.body.next_cursor ?? undefined;
      } while (cursor);
      if (values.json) return print(all);
      if (all.length === 0) {
        console.log(`Supplier ${supplierId} has no campaigns: create one with campaign:create.`);
        return EXIT.ok;
      }
      console.log(`${"campaign".padEnd(26)}  ${"status".padEnd(9)}  ${"deadline".padEnd(18)}  ${"answered".padStart(13)}  name`);
      for (const campaign of all) {
        const answered = `${campaign.counts.confirmed + campaign.counts.corrected}/${campaign.counts.customers}`;
        console.log(
          `${campaign.id.padEnd(26)}  ${campaign.status.padEnd(9)}  ${localTime(campaign.deadline, supplier.timeZone).padEnd(18)}  ${answered.padStart(13)}  ${campaign.name}`,
        );
      }
      return EXIT.ok;
    },
  },
};

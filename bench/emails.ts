// `npm run bench:emails`: renders every email template in both languages through renderEmail
// (props validation, subject, HTML and the plain-text part) with the context the email job gives
// a payer email (invoice block and portal link), one after another on one core, as the worker
// does. The mix is what a supplier's outbox looks like: reminders dominate, then invoice notices
// and receipts. Prints a table per template and the overall rate; target ≥ 200 emails/s.
// BENCH_EMAILS sets the number of emails (default 3,000); BENCH_TWICE=1 also times the old way
// (React rendering the tree twice, once for the HTML and once for the text) on the same mix.
import { performance } from "node:perf_hooks";
import { render } from "@react-email/render";
import { EMAIL_TEMPLATE_NAMES, emailTemplates, renderEmail, type EmailTemplateName } from "../emails";
import { previewContext } from "../emails/components/preview";
import type { z } from "zod";
import type { EmailContext, EmailTemplate } from "../emails/components/template";
import { LOCALES, type Locale } from "../app/i18n";

const EMAILS = Number(process.env.BENCH_EMAILS ?? 3000);
const TARGET = 200;

type Job = { label: string; name: EmailTemplateName; props: unknown; locale: Locale };

// Per 100 emails. The reminder steps vary fee and interest, as real suppliers' policies do.
const reminder = emailTemplates["payment-reminder"].previewProps;
const MIX: { weight: number; label: string; name: EmailTemplateName; props?: unknown }[] = [
  { weight: 20, label: "payment-reminder before_due", name: "payment-reminder", props: { ...reminder, step: "before_due", fee: 0, interest: null } },
  { weight: 18, label: "payment-reminder first", name: "payment-reminder", props: { ...reminder, step: "first", interest: null } },
  { weight: 12, label: "payment-reminder second", name: "payment-reminder", props: { ...reminder, step: "second" } },
  { weight: 8, label: "payment-reminder final", name: "payment-reminder", props: { ...reminder, step: "final" } },
  { weight: 18, label: "invoice-notice", name: "invoice-notice" },
  { weight: 8, label: "payment-receipt", name: "payment-receipt" },
  { weight: 16, label: "", name: "problem-received" }, // the other templates share these, in turn
];
const OTHERS = EMAIL_TEMPLATE_NAMES.filter((name) => !MIX.some((entry) => entry.label && entry.name === name));

function jobs(count: number): Job[] {
  const slots = MIX.flatMap((entry) => Array.from({ length: entry.weight }, () => entry));
  const list: Job[] = [];
  let other = 0;
  for (let i = 0; i < count; i += 1) {
    const slot = slots[i % slots.length]!;
    const name = slot.label ? slot.name : OTHERS[other++ % OTHERS.length]!;
    // Two in three payers read Swedish.
    const locale: Locale = i % 3 === 2 ? "en" : "sv";
    list.push({ label: slot.label || name, name, props: slot.props ?? emailTemplates[name].previewProps, locale });
  }
  return list;
}

const contexts = new Map<string, EmailContext>();
function contextOf(name: EmailTemplateName, locale: Locale): EmailContext {
  const key = `${name}|${locale}`;
  if (!contexts.has(key)) contexts.set(key, previewContext(emailTemplates[name], locale));
  return contexts.get(key)!;
}

/** renderEmail as it was: the tree rendered by React twice, for the HTML and for the text. */
async function renderTwice(job: Job) {
  const template: EmailTemplate<z.ZodTypeAny> = emailTemplates[job.name];
  const data: unknown = template.schema.parse(job.props);
  const element = template.render(data, contextOf(job.name, job.locale));
  const [html, text] = await Promise.all([render(element), render(element, { plainText: true })]);
  return { subject: template.subject(data, contextOf(job.name, job.locale)), html, text };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

async function run(list: Job[], renderOne: (job: Job) => Promise<{ html: string; text: string }>) {
  const timings = new Map<string, number[]>();
  let bytes = 0;
  const start = performance.now();
  for (const job of list) {
    const t0 = performance.now();
    const email = await renderOne(job);
    const ms = performance.now() - t0;
    bytes += email.html.length + email.text.length;
    const series = timings.get(job.label) ?? [];
    series.push(ms);
    timings.set(job.label, series);
  }
  return { seconds: (performance.now() - start) / 1000, timings, bytes };
}

const byRenderEmail = (job: Job) => renderEmail(job.name, job.props, contextOf(job.name, job.locale));

// Warm-up: every template in both languages once (module loading, JIT, Intl formatters).
for (const name of EMAIL_TEMPLATE_NAMES) {
  for (const locale of LOCALES) await byRenderEmail({ label: name, name, props: emailTemplates[name].previewProps, locale });
}

const list = jobs(EMAILS);
const result = await run(list, byRenderEmail);
const rows = [...result.timings.entries()]
  .map(([template, series]) => {
    const sorted = [...series].sort((a, b) => a - b);
    const total = series.reduce((sum, ms) => sum + ms, 0);
    return {
      template,
      emails: series.length,
      "emails/s": Math.round((series.length * 1000) / total),
      "ms p50": Number(percentile(sorted, 50).toFixed(2)),
      "ms p99": Number(percentile(sorted, 99).toFixed(2)),
    };
  })
  .sort((a, b) => b.emails - a.emails);

const rate = list.length / result.seconds;
console.log(`\n${list.length.toLocaleString("en")} emails (${EMAIL_TEMPLATE_NAMES.length} templates × sv/en) through renderEmail, one at a time, Node ${process.version}`);
console.table(rows);
console.log(`overall: ${Math.round(rate)} emails/s in ${result.seconds.toFixed(2)} s, ${Math.round(result.bytes / list.length / 1024)} KiB (HTML + text) per email`);

if (process.env.BENCH_TWICE) {
  const twice = await run(list, renderTwice);
  console.log(`the old way (React renders each email twice): ${Math.round(list.length / twice.seconds)} emails/s`);
}

const ok = rate >= TARGET && list.length >= 2000;
console.log(`target ≥ ${TARGET} emails/s over ≥ 2,000 emails: ${ok ? "PASS" : "FAIL"}`);
process.exitCode = ok ? 0 : 1;

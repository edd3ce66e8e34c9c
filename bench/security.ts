// `npm run bench:security`: the hardening of issue #16 under its heavy requests, against the
// production build. While each scenario runs, /healthz is polled every ~20 ms and the server's
// resident memory (/proc/<pid>/status) is sampled as often; each scenario prints one row: its
// requests and answers, /healthz p50/p99/max, and the server's peak RSS above idle. The bar:
// p99 < 100 ms and < 300 MB above idle under a 300 MB chunked body and a 100,000-row CSV.
// Scenarios: idle; 300 MB chunked (no Content-Length) to POST /api/v1/invoices and to the Stripe
// webhook of a real account; 100 QR PNGs at the largest size, 20 at a time; a 100,000-row CSV to
// POST /api/v1/invoices/import (an answer of 202 with a Location is polled until the job is done).
import http from "node:http";
import { readdirSync, readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { startProductionServer } from "../scripts/production-server";
import { QR_SIZE } from "../app/features/payments/qr.server";

process.removeAllListeners("SIGINT");
process.removeAllListeners("SIGTERM");

const POLL_MS = 20;
const CHUNKED_BYTES = 300 * 1024 * 1024;
const CSV_ROWS = 100_000;
const LINES_PER_INVOICE = 5;

console.log("Building the production bundle…");
if (spawnSync("npx", ["remix", "build"], { stdio: "ignore" }).status !== 0) throw new Error("remix build failed");

const server = await startProductionServer({
  name: "benchsec",
  // The SDK never calls out here; the URL only makes the seed create the demo's Stripe account.
  env: { API_REQUESTS_PER_MINUTE: "100000000", LOG_LEVEL: "warn", STRIPE_API_URL: "http://127.0.0.1:9" },
});
const auth = { authorization: `Bearer ${server.demo.apiKey}` };

/** The server process: our child running server/index.ts. */
function serverPid(): number {
  const ours = readdirSync("/proc").filter((name) => {
    if (!/^\d+$/.test(name)) return false;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, "utf8");
      const ppid = readFileSync(`/proc/${name}/stat`, "utf8").replace(/^.*\) /, "").split(" ")[1];
      return cmdline.includes("server/index.ts") && ppid === String(process.pid);
    } catch {
      return false;
    }
  });
  if (ours.length !== 1) throw new Error(`expected one server process, found ${ours.length}`);
  return Number(ours[0]);
}
const pid = serverPid();

function rssBytes(): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(match?.[1] ?? 0) * 1024;
}

/** One probe on its own connection, as a load balancer's would be; a failed one counts as Infinity. */
function healthz(): Promise<number> {
  const started = performance.now();
  return new Promise((resolve) => {
    http
      .get(`${server.baseUrl}/healthz`, { agent: false }, (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode === 200 ? performance.now() - started : Infinity));
      })
      .on("error", () => resolve(Infinity));
  });
}

/** Runs `work` while polling /healthz and sampling RSS; answers the latencies and the peak RSS. */
async function measured<T>(work: () => Promise<T>): Promise<{ result: T; latencies: number[]; peakRss: number }> {
  let running = true;
  let peakRss = rssBytes();
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssBytes())), POLL_MS);
  const latencies: number[] = [];
  const poller = (async () => {
    while (running) {
      const ms = await healthz();
      latencies.push(ms);
      await new Promise((resolve) => setTimeout(resolve, Number.isFinite(ms) ? Math.max(POLL_MS - ms, 0) : POLL_MS)); // the polling interval
    }
  })();
  try {
    const result = await work();
    return { result, latencies, peakRss: Math.max(peakRss, rssBytes()) };
  } finally {
    running = false;
    clearInterval(sampler);
    await poller;
  }
}

type Answer = { status: number; sent: number };

/** POSTs `total` bytes chunked (no Content-Length) as fast as the server takes them; stops at the answer. */
function postChunked(path: string, headers: Record<string, string>, total: number): Promise<Answer> {
  const chunk = Buffer.alloc(64 * 1024, " ");
  return new Promise((resolve) => {
    let sent = 0;
    let status = 0;
    const request = http.request(`${server.baseUrl}${path}`, { method: "POST", agent: false, headers: { ...headers, "transfer-encoding": "chunked" } });
    const finish = () => {
      request.destroy();
      resolve({ status, sent });
    };
    request.on("response", (response) => {
      status = response.statusCode ?? 0;
      response.resume();
      response.on("end", finish).on("error", finish);
    });
    request.on("error", () => {
      if (status === 0) finish();
    });
    const pump = () => {
      while (status === 0 && sent < total) {
        sent += chunk.length;
        if (!request.write(chunk)) return void request.once("drain", pump);
      }
      if (status === 0) request.end();
    };
    pump();
  });
}

async function qrImages(): Promise<string> {
  const invoice = server.demo.invoices.find((entry) => entry.label !== "paid") ?? server.demo.invoices[0]!;
  const url = `${server.baseUrl}/api/v1/invoices/${invoice.id}/qr/uqr.png?size=${QR_SIZE.max}`;
  const statuses = new Map<number, number>();
  for (let batch = 0; batch < 5; batch++) {
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        const response = await fetch(url, { headers: auth });
        await response.arrayBuffer();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      }),
    );
  }
  return [...statuses].map(([status, count]) => `${count} × ${status}`).join(", ");
}

function csv(): string {
  const rows = ["number;customer_external_id;customer_name;currency;issue_date;due_date;description;quantity;unit;unit_price;vat_rate"];
  for (let index = 0; rows.length <= CSV_ROWS; index++) {
    rows.push(`S-${index};SEC-${index % 1000};Kund ${index % 1000} AB;SEK;2026-03-01;2026-03-31;Konsulttimmar;10;h;950,00;25`);
    for (let line = 1; line < LINES_PER_INVOICE && rows.length <= CSV_ROWS; line++) rows.push(`S-${index};;;;;;Bok;2;st;199,00;6`);
  }
  return rows.join("\r\n");
}

/** The import's answer; a 202 (a background job) is polled at its Location until it is done. */
async function importCsv(body: string): Promise<string> {
  const response = await fetch(`${server.baseUrl}/api/v1/invoices/import`, { method: "POST", headers: { ...auth, "content-type": "text/csv" }, body });
  const first = (await response.json()) as Record<string, unknown>;
  const location = response.headers.get("location");
  if (response.status !== 202 || !location) return `${response.status}, ${(first.created as unknown[] | undefined)?.length ?? "?"} invoices created`;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 250)); // polling the job's status, as a client would
    const poll = await fetch(new URL(location, server.baseUrl), { headers: auth });
    const state = (await poll.json()) as { status?: string };
    if (poll.status !== 200 || !["queued", "running", "pending", "processing"].includes(state.status ?? "")) {
      return `202, then ${poll.status} ${state.status ?? ""}`.trim();
    }
  }
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
};

type Row = { scenario: string; requests: string; answers: string; p50: number; p99: number; max: number; polls: number; rssAbove: number };
const rows: Row[] = [];
const idleRss: number[] = [];

async function scenario(name: string, requests: string, work: () => Promise<string>) {
  const { result, latencies, peakRss } = await measured(work);
  rows.push({
    scenario: name,
    requests,
    answers: result,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: Math.max(...latencies),
    polls: latencies.length,
    rssAbove: peakRss - idleRss[0]!,
  });
  console.log(`  ${name}: done`);
}

try {
  // Warm up the routes the scenarios use, then take the idle figure.
  await fetch(`${server.baseUrl}/api/v1/invoices?limit=1`, { headers: auth }).then((response) => response.arrayBuffer());
  for (let i = 0; i < 20; i++) await healthz(); // warm-up
  idleRss.push(rssBytes());
  const stripeAccount = server.demo.stripe?.accountId;
  if (!stripeAccount) throw new Error("the demo has no Stripe account");
  const body = csv();

  console.log("Running the scenarios…");
  await scenario("idle (3 s)", "—", async () => {
    await new Promise((resolve) => setTimeout(resolve, 3000)); // the idle window being measured
    return "—";
  });
  await scenario("300 MB chunked → POST /api/v1/invoices", "1", async () => {
    const answer = await postChunked("/api/v1/invoices", { ...auth, "content-type": "application/json" }, CHUNKED_BYTES);
    return `${answer.status} after ${(answer.sent / 1e6).toFixed(1)} MB sent`;
  });
  await scenario("300 MB chunked → POST /webhooks/stripe/<account>", "1", async () => {
    const answer = await postChunked(`/webhooks/stripe/${stripeAccount}`, { "content-type": "application/json", "stripe-signature": "t=1,v1=00" }, CHUNKED_BYTES);
    return `${answer.status} after ${(answer.sent / 1e6).toFixed(1)} MB sent`;
  });
  await scenario(`QR PNG ${QR_SIZE.max} px, 20 at a time`, "100", qrImages);
  await scenario(`CSV import, ${CSV_ROWS.toLocaleString("en")} rows (${(Buffer.byteLength(body) / 1e6).toFixed(1)} MB)`, "1", () => importCsv(body));
} finally {
  await server.stop();
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
console.log("\n| scenario | requests | answers | /healthz p50 | /healthz p99 | /healthz max | polls | peak RSS above idle |");
console.log("|---|---|---|---|---|---|---|---|");
for (const row of rows) {
  console.log(`| ${row.scenario} | ${row.requests} | ${row.answers} | ${ms(row.p50)} | ${ms(row.p99)} | ${ms(row.max)} | ${row.polls} | ${(row.rssAbove / 1e6).toFixed(0)} MB |`);
}
console.log(`\nIdle RSS ${(idleRss[0]! / 1e6).toFixed(0)} MB. Bar: p99 < 100 ms, < 300 MB above idle.`);

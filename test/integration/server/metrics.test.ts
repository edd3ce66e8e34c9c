// An operator's view (issue #20): /metrics in the Prometheus text format, only to the bearer of
// METRICS_TOKEN; requests by route template (never a token or an id), the job queues' depth and
// oldest job from the database.
import { describe, expect, it } from "vitest";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useTestDatabase } from "../../support/database";
import { testConfig } from "../../support/context";
import { routeBuild, useServerApp } from "../../support/remix-app";
import { enqueueJob } from "~/platform/jobs/queue.server";
import { EMAIL_SEND_JOB } from "~/features/emails/email.server";

const TOKEN = "metrics-token-for-the-test-0123456789";
const database = useTestDatabase();
const page = { loader: ({ params }: LoaderFunctionArgs) => new Response(`invoice ${params.id}`) };
const app = useServerApp({
  build: routeBuild([
    ["root", undefined, "", { default: () => null }],
    ["routes/api.v1.invoices.$id", "root", "api/v1/invoices/:id", page],
  ]),
  config: () => testConfig({ METRICS_TOKEN: TOKEN }),
  db: () => database.get().db,
  // Its /api/v1/invoices/:id is the stand-in page above, not the API: nothing to check against the document.
  apiContract: false,
});

const scrape = (authorization?: string) => fetch(`${app.url()}/metrics`, { headers: authorization ? { authorization } : {} });

describe("/metrics", () => {
  it("is a 404 without the token or with a wrong one", async () => {
    expect((await scrape()).status).toBe(404);
    expect((await scrape(`Bearer ${TOKEN}x`)).status).toBe(404);
  });

  it("counts requests by route template, and shows each queue's depth and oldest job", async () => {
    expect(await (await fetch(`${app.url()}/api/v1/invoices/inv_Secret123456`)).text()).toBe("invoice inv_Secret123456");
    await enqueueJob(database.get().db, EMAIL_SEND_JOB, { emailId: "eml_waiting" }, { startAfter: new Date(Date.now() - 90_000) });
    // The request is counted when the server's response finishes, which the client can see before
    // the server's event loop has run that callback: a later scrape shows it (a few at most).
    const counted = /http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/invoices\/:id",status="200"\} [1-9]/;
    let response = await scrape(`Bearer ${TOKEN}`);
    let text = await response.text();
    for (let scrapes = 1; !counted.test(text) && scrapes < 20; scrapes++) {
      response = await scrape(`Bearer ${TOKEN}`);
      text = await response.text();
    }
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain");
    expect(text).toMatch(counted);
    expect(text).not.toContain("inv_Secret123456");
    expect(text).toMatch(new RegExp(`job_queue_depth\\{queue="${EMAIL_SEND_JOB.replace(".", "\\.")}"\\} 1`));
    const age = Number(text.match(new RegExp(`job_queue_oldest_age_seconds\\{queue="${EMAIL_SEND_JOB.replace(".", "\\.")}"\\} ([\\d.]+)`))?.[1]);
    expect(age).toBeGreaterThanOrEqual(90);
    expect(text).toMatch(/database_connections\{state="active"\} [1-9]/);
  });
});

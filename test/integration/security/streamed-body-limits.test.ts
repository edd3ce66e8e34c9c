// Security R2: a chunked JSON body was read whole before the 1 MB check: a 300 MB body was taken
// in before the 413, and the process grew by ~675 MB (API) and ~447 MB (Stripe webhook route).
// Now every body is counted while it streams, over real HTTP, with no Content-Length: the 413
// arrives once the limit is passed, the server stops reading and closes the connection.
import http from "node:http";
import type { Socket } from "node:net";
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { paymentAccounts } from "../../../db/schema";
import { newPublicId } from "~/domain/public-id";
import { encryptCredentials } from "~/platform/credentials.server";
import { MAX_JSON_BODY_BYTES } from "~/api/request.server";
import { WEBHOOK_BODY_LIMITS } from "~/platform/webhook-receiver.server";
import { MAX_FORM_BYTES } from "~/platform/forms/form-action.server";
import * as invoicesRoute from "~/routes/api.v1.invoices";
import * as stripeWebhookRoute from "~/routes/webhooks.stripe.$accountId";
import * as pageRoute from "~/routes/i.$token";
import { useTestDatabase } from "../../support/database";
import { testConfig } from "../../support/context";
import { routeBuild, useServerApp } from "../../support/remix-app";
import { payerFixture, type PayerFixture } from "../portal/payer-helpers";

const database = useTestDatabase();
const config = testConfig();
const app = useServerApp({
  build: routeBuild([
    ["root", undefined, "", { default: () => null }],
    ["routes/api.v1.invoices", "root", "api/v1/invoices", invoicesRoute],
    ["routes/webhooks.stripe.$accountId", "root", "webhooks/stripe/:accountId", stripeWebhookRoute],
    ["routes/i.$token", "root", "i/:token", pageRoute],
  ]),
  config: () => config,
  db: () => database.get().db,
});

/** What the sender would send: far beyond every limit. */
const TOTAL = 64 * 1024 * 1024;
/** What may sit in the two sockets' kernel buffers besides what the server read. */
const IN_FLIGHT = 16 * 1024 * 1024;

type Sent = { status: number | undefined; contentType: string | undefined; body: string; sent: number; serverRead: number };

/**
 * POSTs TOTAL bytes with Transfer-Encoding: chunked, as fast as the server takes them, and stops at
 * the answer; `serverRead` is what the server's socket read in all.
 */
function sendChunked(path: string, headers: Record<string, string>, chunk: Buffer): Promise<Sent> {
  let serverSocket: Socket | undefined;
  app.server().once("connection", (socket: Socket) => (serverSocket = socket));
  return new Promise((resolve) => {
    const result: Sent = { status: undefined, contentType: undefined, body: "", sent: 0, serverRead: 0 };
    let answered = false;
    const request = http.request(`${app.url()}${path}`, { method: "POST", agent: false, headers: { ...headers, "transfer-encoding": "chunked" } });
    const done = () => {
      request.destroy();
      const settle = () => resolve({ ...result, serverRead: serverSocket?.bytesRead ?? -1 });
      if (!serverSocket || serverSocket.destroyed) settle();
      else serverSocket.once("close", settle);
    };
    request.on("response", (response) => {
      answered = true;
      result.status = response.statusCode;
      result.contentType = response.headers["content-type"];
      response.setEncoding("utf8");
      response.on("data", (text: string) => (result.body += text));
      response.on("end", done);
      response.on("error", done);
    });
    request.on("error", () => {
      if (!answered) done();
    });
    const pump = () => {
      while (!answered && result.sent < TOTAL) {
        result.sent += chunk.length;
        if (!request.write(chunk)) return void request.once("drain", pump);
      }
      if (!answered) request.end();
    };
    pump();
  });
}

let fixture: PayerFixture;
let stripeAccountId: string;
beforeAll(async () => {
  const db = database.get().db;
  fixture = await payerFixture(db, config);
  stripeAccountId = newPublicId("pac");
  await db.insert(paymentAccounts).values({
    id: stripeAccountId,
    supplierId: fixture.supplier.id,
    provider: "stripe",
    credentialsCiphertext: encryptCredentials(config, { secretKey: `sk_test_${randomBytes(12).toString("hex")}`, webhookSecret: `whsec_${randomBytes(16).toString("base64url")}` }),
  });
});

/** The server read at most the limit and what the sockets hold: not the 64 MB sent its way. */
function expectCutOff(answer: Sent, limit: number) {
  console.info(`R2: limit ${limit} B, server read ${answer.serverRead} B, client sent ${answer.sent} of ${TOTAL} B`);
  expect(answer.serverRead).toBeGreaterThan(limit);
  expect(answer.serverRead).toBeLessThan(limit + IN_FLIGHT);
  expect(answer.sent).toBeLessThan(TOTAL);
}

describe("a chunked body without Content-Length is cut off at its limit while it streams", () => {
  it("API: POST /api/v1/invoices → 413 problem+json after ~1 MB, not after 64 MB", async () => {
    const answer = await sendChunked("/api/v1/invoices", { ...fixture.api, "content-type": "application/json" }, Buffer.alloc(64 * 1024, " "));
    expect(answer.status).toBe(413);
    expect(answer.contentType).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(answer.body)).toMatchObject({ status: 413, title: "Payload too large", detail: `The body may be at most ${MAX_JSON_BODY_BYTES} bytes.` });
    expectCutOff(answer, MAX_JSON_BODY_BYTES);
  });

  it("Stripe webhook of a real account → 413 after 512 KB", async () => {
    const answer = await sendChunked(`/webhooks/stripe/${stripeAccountId}`, { "content-type": "application/json", "stripe-signature": "t=1,v1=00" }, Buffer.alloc(64 * 1024, " "));
    expect(answer.status).toBe(413);
    expect(answer.body).toBe("Payload Too Large");
    expectCutOff(answer, WEBHOOK_BODY_LIMITS.stripe);
  });

  it("a payer's form post → a plain 413 page after the form's limit", async () => {
    const headers = { "content-type": "application/x-www-form-urlencoded", origin: config.publicBaseUrl.origin, "sec-fetch-site": "same-origin" };
    const answer = await sendChunked(`/i/${fixture.token}`, headers, Buffer.alloc(64 * 1024, "a"));
    expect(answer.status).toBe(413);
    expect(answer.contentType).toMatch(/^text\/plain/);
    expectCutOff(answer, MAX_FORM_BYTES);
  });

  it("a Content-Length over the limit → 413 at once, before any byte of the body is sent", async () => {
    const answer = await new Promise<{ status: number | undefined; body: string }>((resolve, reject) => {
      const headers = { ...fixture.api, "content-type": "application/json", "content-length": String(300 * 1024 * 1024) };
      const request = http.request(`${app.url()}/api/v1/invoices`, { method: "POST", agent: false, headers }, (response) => {
        let body = "";
        response.setEncoding("utf8").on("data", (text: string) => (body += text));
        response.on("end", () => resolve({ status: response.statusCode, body }));
      });
      request.on("error", reject);
      request.flushHeaders();
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ status: 413 });
  });

  it("a body within the limit still reaches the route whole", async () => {
    const response = await fetch(`${app.url()}/api/v1/invoices`, {
      method: "POST",
      headers: { ...fixture.api, "content-type": "application/json" },
      body: JSON.stringify({ padding: " ".repeat(MAX_JSON_BODY_BYTES - 100) }),
    });
    expect(response.status).toBe(422);
  });
});

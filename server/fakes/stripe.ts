// A local Stripe for the integration tests, the e2e run and the dev demo: exactly the endpoints
// we call (Checkout Sessions create and retrieve), with Stripe's Idempotency-Key semantics (same
// key and parameters → the same session, created once; other parameters → idempotency_error),
// and a hosted page whose "Pay" sends the signed webhooks, signed with the SDK's own helper, to
// the account's webhook URL before sending the browser back. No card fields: nothing to type.
import { randomBytes } from "node:crypto";
import type http from "node:http";
import Stripe from "stripe";
import { escapeHtml, FaultQueue, redirect, sendHtml, sendJson, startFakeServer, type InjectedFault } from "./shared";

export type FakeStripeAccount = { webhookUrl: string; webhookSecret: string };

export type FakeSession = {
  id: string;
  secretKey: string;
  mode: string;
  status: "open" | "complete" | "expired";
  paymentStatus: "unpaid" | "paid";
  amount: number;
  currency: string;
  name: string;
  method: "card" | "swish";
  clientReferenceId: string | null;
  metadata: Record<string, string>;
  intentMetadata: Record<string, string>;
  locale: string | null;
  expiresAt: number;
  created: number;
  successUrl: string;
  cancelUrl: string;
  paymentIntentId: string | null;
  chargeId: string | null;
  url: string;
};

/** Events a test can ask for, built from a session's state as Stripe would send them. */
export type FakeEventSpec =
  | { type: "checkout.session.completed" | "checkout.session.expired" | "payment_intent.succeeded" | "payment_intent.payment_failed" }
  | { type: "charge.refunded"; amountRefunded: number }
  | { type: "charge.dispute.created" }
  | { type: "charge.dispute.closed"; status: "won" | "lost" };

export type Delivery = { eventId: string; type: string; status: number };

export type FakeStripe = {
  url: string;
  port: number;
  close: () => Promise<void>;
  addAccount: (secretKey: string, account: FakeStripeAccount) => void;
  /** Sessions created, once per idempotency key (replays are not counted). */
  sessionsCreated: () => number;
  /** The next API call (or `times` calls) never answers, or answers 500 without creating anything. */
  failNext: (fault: InjectedFault) => void;
  /** Signs and POSTs an event to the account's webhook URL; answers the HTTP status. */
  sendEvent: (secretKey: string, event: Stripe.Event) => Promise<number>;
  /** An event about a session, its objects as Stripe would hold them at that moment. */
  buildEvent: (sessionId: string, spec: FakeEventSpec) => Stripe.Event;
  /** What the hosted page's "Pay" does, without a browser. */
  pay: (sessionId: string) => Promise<Delivery[]>;
  sessions: ReadonlyMap<string, FakeSession>;
  deliveries: readonly Delivery[];
};

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString("hex")}`;

/** Stripe's form encoding (`line_items[0][price_data][currency]=sek`) back into objects. */
export function parseStripeForm(body: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const parts = rawKey.split(/\[|\]\[|\]/).filter((part, index) => index === 0 || part !== "");
    let node: Record<string, unknown> = root;
    parts.forEach((part, index) => {
      if (index === parts.length - 1) node[part] = value;
      else node = (node[part] ??= {}) as Record<string, unknown>;
    });
  }
  return root;
}

function stripeError(response: http.ServerResponse, status: number, type: string, message: string) {
  sendJson(response, status, { error: { type, message } });
}

const text = (value: unknown) => (typeof value === "string" ? value : null);
const record = (value: unknown) => (value && typeof value === "object" ? (value as Record<string, unknown>) : {});
const stringRecord = (value: unknown) => Object.fromEntries(Object.entries(record(value)).filter((entry): entry is [string, string] => typeof entry[1] === "string"));

export async function startFakeStripe(options: { accounts?: Record<string, FakeStripeAccount>; port?: number } = {}): Promise<FakeStripe> {
  const accounts = new Map(Object.entries(options.accounts ?? {}));
  const sessions = new Map<string, FakeSession>();
  const idempotency = new Map<string, { body: string; sessionId: string }>();
  const deliveries: Delivery[] = [];
  const faults = new FaultQueue();
  let created = 0;
  let baseUrl = "";

  function sessionJson(session: FakeSession) {
    return {
      id: session.id,
      object: "checkout.session",
      mode: session.mode,
      status: session.status,
      payment_status: session.paymentStatus,
      amount_subtotal: session.amount,
      amount_total: session.amount,
      currency: session.currency,
      client_reference_id: session.clientReferenceId,
      metadata: session.metadata,
      payment_intent: session.paymentIntentId,
      allowed_payment_method_types: [session.method],
      payment_method_types: [session.method],
      locale: session.locale,
      expires_at: session.expiresAt,
      created: session.created,
      success_url: session.successUrl,
      cancel_url: session.cancelUrl,
      url: session.status === "open" ? session.url : null,
      livemode: false,
    };
  }

  function intentJson(session: FakeSession, outcome: "succeeded" | "failed") {
    return {
      id: session.paymentIntentId,
      object: "payment_intent",
      amount: session.amount,
      amount_received: outcome === "succeeded" ? session.amount : 0,
      currency: session.currency,
      metadata: session.intentMetadata,
      status: outcome === "succeeded" ? "succeeded" : "requires_payment_method",
      payment_method_types: [session.method],
      latest_charge: session.chargeId,
      last_payment_error:
        outcome === "failed" ? { type: "card_error", code: "card_declined", decline_code: "insufficient_funds", message: "Your card has insufficient funds." } : null,
      created: session.created,
      livemode: false,
    };
  }

  function chargeJson(session: FakeSession, amountRefunded: number) {
    return {
      id: session.chargeId,
      object: "charge",
      amount: session.amount,
      amount_captured: session.amount,
      amount_refunded: amountRefunded,
      refunded: amountRefunded >= session.amount,
      paid: true,
      status: "succeeded",
      currency: session.currency,
      // Stripe copies the PaymentIntent's metadata onto its charge at confirmation.
      metadata: session.intentMetadata,
      payment_intent: session.paymentIntentId,
      payment_method_details: { type: session.method },
      created: session.created,
      livemode: false,
    };
  }

  function disputeJson(session: FakeSession, status: string) {
    // A dispute carries no metadata of the payment: only the charge and PaymentIntent ids.
    return {
      id: `dp_${session.id.slice(3)}`,
      object: "dispute",
      amount: session.amount,
      currency: session.currency,
      charge: session.chargeId,
      payment_intent: session.paymentIntentId,
      metadata: {},
      reason: "fraudulent",
      status,
      created: session.created,
      livemode: false,
    };
  }

  function ensureIntent(session: FakeSession) {
    session.paymentIntentId ??= id("pi");
    session.chargeId ??= id("ch");
  }

  function buildEvent(sessionId: string, spec: FakeEventSpec): Stripe.Event {
    const session = sessions.get(sessionId);
    if (!session) throw new Error(`no session ${sessionId}`);
    ensureIntent(session);
    const object = (() => {
      switch (spec.type) {
        case "checkout.session.completed":
          return { ...sessionJson(session), status: "complete", payment_status: "paid", url: null };
        case "checkout.session.expired":
          return { ...sessionJson(session), status: "expired", payment_intent: null, url: null };
        case "payment_intent.succeeded":
          return intentJson(session, "succeeded");
        case "payment_intent.payment_failed":
          return intentJson(session, "failed");
        case "charge.refunded":
          return chargeJson(session, spec.amountRefunded);
        case "charge.dispute.created":
          return disputeJson(session, "needs_response");
        case "charge.dispute.closed":
          return disputeJson(session, spec.status);
      }
    })();
    return {
      id: id("evt"),
      object: "event",
      api_version: Stripe.API_VERSION,
      created: Math.floor(Date.now() / 1000),
      type: spec.type,
      data: { object },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
    } as unknown as Stripe.Event;
  }

  async function sendEvent(secretKey: string, event: Stripe.Event): Promise<number> {
    const account = accounts.get(secretKey);
    if (!account) throw new Error("no such account in the fake");
    const payload = JSON.stringify(event, null, 2);
    const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: account.webhookSecret });
    const response = await fetch(account.webhookUrl, {
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8", "stripe-signature": signature, "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)" },
      body: payload,
    });
    await response.arrayBuffer();
    deliveries.push({ eventId: event.id, type: event.type, status: response.status });
    return response.status;
  }

  async function deliverAll(session: FakeSession, specs: FakeEventSpec[]): Promise<Delivery[]> {
    const sent: Delivery[] = [];
    for (const spec of specs) {
      const event = buildEvent(session.id, spec);
      sent.push({ eventId: event.id, type: event.type, status: await sendEvent(session.secretKey, event) });
    }
    return sent;
  }

  async function pay(sessionId: string): Promise<Delivery[]> {
    const session = sessions.get(sessionId);
    if (!session || session.status !== "open") throw new Error(`session ${sessionId} is not open`);
    ensureIntent(session);
    session.status = "complete";
    session.paymentStatus = "paid";
    return deliverAll(session, [{ type: "payment_intent.succeeded" }, { type: "checkout.session.completed" }]);
  }

  function createSession(secretKey: string, params: Record<string, unknown>): FakeSession | string {
    const line = record(record(params.line_items)["0"]);
    const price = record(line.price_data);
    const amount = Number(text(price.unit_amount));
    const currency = text(price.currency);
    const successUrl = text(params.success_url);
    const cancelUrl = text(params.cancel_url);
    if (text(params.mode) !== "payment") return "mode must be payment";
    if (!Number.isSafeInteger(amount) || amount <= 0) return "line_items[0][price_data][unit_amount] must be a positive integer";
    if (!currency || currency !== currency.toLowerCase()) return "currency must be a lowercase ISO code";
    if (!successUrl || !cancelUrl) return "success_url and cancel_url are required";
    const methods = Object.values(record(params.allowed_payment_method_types));
    const method = methods.length === 1 && methods[0] === "swish" ? "swish" : "card";
    if (method === "swish" && currency !== "sek") return "swish supports only sek";
    const now = Math.floor(Date.now() / 1000);
    const expiresAt = Number(text(params.expires_at) ?? now + 24 * 3600);
    if (expiresAt < now + 30 * 60 - 5 || expiresAt > now + 24 * 3600) return "expires_at must be 30 minutes to 24 hours ahead";
    const sessionId = id("cs_test");
    return {
      id: sessionId,
      secretKey,
      mode: "payment",
      status: "open",
      paymentStatus: "unpaid",
      amount,
      currency,
      name: text(record(price.product_data).name) ?? "Payment",
      method,
      clientReferenceId: text(params.client_reference_id),
      metadata: stringRecord(params.metadata),
      intentMetadata: stringRecord(record(params.payment_intent_data).metadata),
      locale: text(params.locale),
      expiresAt,
      created: now,
      successUrl,
      cancelUrl,
      paymentIntentId: null,
      chargeId: null,
      url: `${baseUrl}/checkout/${sessionId}`,
    };
  }

  async function handleApi(request: http.IncomingMessage, body: string, response: http.ServerResponse, path: string) {
    const secretKey = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
    if (!secretKey || !accounts.has(secretKey)) return stripeError(response, 401, "invalid_request_error", "Invalid API Key provided.");
    const fault = faults.take();
    if (fault === "error500") return stripeError(response, 500, "api_error", "Injected failure.");
    const hang = fault === "timeout"; // the work is done, the answer never comes: the caller times out

    if (request.method === "POST" && path === "/v1/checkout/sessions") {
      const key = request.headers["idempotency-key"];
      const scoped = typeof key === "string" ? `${secretKey}|${key}` : null;
      const seen = scoped ? idempotency.get(scoped) : undefined;
      if (seen) {
        if (seen.body !== body) {
          return stripeError(response, 400, "idempotency_error", "Keys for idempotent requests can only be used with the same parameters they were first used with.");
        }
        if (hang) return;
        response.setHeader("idempotent-replayed", "true");
        return sendJson(response, 200, sessionJson(sessions.get(seen.sessionId)!));
      }
      const session = createSession(secretKey, parseStripeForm(body));
      if (typeof session === "string") return stripeError(response, 400, "invalid_request_error", session);
      sessions.set(session.id, session);
      created += 1;
      if (scoped) idempotency.set(scoped, { body, sessionId: session.id });
      if (hang) return;
      return sendJson(response, 200, sessionJson(session));
    }
    const match = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(path);
    if (request.method === "GET" && match) {
      const session = sessions.get(decodeURIComponent(match[1]!));
      if (!session || session.secretKey !== secretKey) return stripeError(response, 404, "invalid_request_error", "No such checkout.session");
      if (hang) return;
      return sendJson(response, 200, sessionJson(session));
    }
    return stripeError(response, 404, "invalid_request_error", `Unrecognized request URL (${request.method}: ${path}).`);
  }

  function hostedPage(session: FakeSession): string {
    const amount = `${(session.amount / 100).toFixed(2)} ${session.currency.toUpperCase()}`;
    const button = (action: string, label: string) =>
      `<form method="post" action="/checkout/${escapeHtml(session.id)}/${action}"><button type="submit">${label}</button></form>`;
    return (
      `<main><h1>${escapeHtml(session.name)}</h1><p>Test checkout (${escapeHtml(session.method)}): a local stand-in for Stripe Checkout. No money moves.</p>` +
      `<p data-testid="amount">${escapeHtml(amount)}</p>` +
      (session.status === "open" ? button("pay", "Pay") + button("decline", "Decline") + button("cancel", "Cancel") : `<p>This session is ${session.status}.</p>`) +
      `</main>`
    );
  }

  async function handlePage(request: http.IncomingMessage, response: http.ServerResponse, path: string) {
    const match = /^\/checkout\/([^/]+)(?:\/(pay|decline|cancel))?$/.exec(path);
    const session = match ? sessions.get(decodeURIComponent(match[1]!)) : undefined;
    if (!match || !session) return sendHtml(response, 404, "Not found", "<p>No such checkout session.</p>");
    const action = match[2];
    if (request.method === "GET" && !action) return sendHtml(response, 200, `Pay ${session.name}`, hostedPage(session));
    if (request.method !== "POST" || !action) return sendHtml(response, 405, "Method not allowed", "");
    if (session.status !== "open") return sendHtml(response, 409, "Closed", `<p>This session is ${session.status}.</p>`);
    if (action === "pay") {
      await pay(session.id);
      return redirect(response, session.successUrl);
    }
    if (action === "decline") await deliverAll(session, [{ type: "payment_intent.payment_failed" }]);
    return redirect(response, session.cancelUrl);
  }

  const server = await startFakeServer(async (request, body, response) => {
    const path = new URL(request.url ?? "/", "http://fake").pathname;
    if (path.startsWith("/v1/")) return handleApi(request, body, response, path);
    return handlePage(request, response, path);
  }, options.port);
  baseUrl = server.url;

  return {
    url: server.url,
    port: server.port,
    close: server.close,
    addAccount: (secretKey, account) => void accounts.set(secretKey, account),
    sessionsCreated: () => created,
    failNext: (fault) => faults.add(fault),
    sendEvent,
    buildEvent,
    pay,
    sessions,
    deliveries,
  };
}

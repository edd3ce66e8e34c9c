// A local stand-in for Adyen's Checkout API and hosted payment page, for the integration tests,
// the e2e run and the dev demo. It serves exactly what we call — POST /v72/paymentLinks with
// Idempotency-Key semantics like Adyen's (same key → the same link, created once) — and a plain
// HTML page per link whose "Pay" / "Decline" / "Cancel" buttons send the standard webhook Adyen
// would send, signed with the SDK's own HMAC helper and basic auth, then return the browser to the
// link's returnUrl. Test hooks: counts, faults on the next call, arbitrary signed notifications.
import { randomBytes, randomInt } from "node:crypto";
import type http from "node:http";
// The library is CommonJS: Node's ESM loader (the production build) sees only its default export.
import adyen, { type Types } from "@adyen/api-library";
import {
  FaultQueue, escapeHtml, redirect, sendHtml, sendJson, startFakeServer, type InjectedFault,
} from "./shared";

const { hmacValidator } = adyen;

export type FakeAdyenAccount = {
  /** Where this account's standard webhook goes: our /webhooks/adyen/<account id>. */
  webhookUrl: string;
  /** Hex, as in Adyen's Customer Area. */
  hmacKey: string;
  username: string;
  password: string;
  merchantAccount: string;
};

export type NotificationFields = {
  eventCode: string;
  pspReference?: string;
  originalReference?: string;
  merchantReference: string;
  amount: { value: number; currency: string };
  success?: boolean;
  paymentMethod?: string;
  reason?: string;
  eventDate?: string;
  merchantAccountCode?: string;
};

export type NotificationItem = {
  pspReference: string;
  originalReference?: string;
  merchantAccountCode: string;
  merchantReference: string;
  amount: { value: number; currency: string };
  eventCode: string;
  eventDate: string;
  success: "true" | "false";
  paymentMethod?: string;
  reason?: string;
  additionalData: Record<string, string>;
};

export type FakePaymentLink = {
  id: string;
  apiKey: string;
  idempotencyKey: string | null;
  request: Record<string, unknown> & { amount: { value: number; currency: string }; reference: string };
  response: Record<string, unknown>;
  status: "active" | "completed";
  /** Of the successful payment made on the page. */
  pspReference: string | null;
};

export type FakeDelivery = { url: string; eventCode: string; status: number; body: string };

export type FakeAdyen = {
  url: string;
  port: number;
  close: () => Promise<void>;
  addAccount: (apiKey: string, account: FakeAdyenAccount) => void;
  /** Payment links actually created (a replay with the same Idempotency-Key creates none). */
  linksCreated: () => number;
  links: () => FakePaymentLink[];
  /** POSTs to /paymentLinks answered, replays included. */
  linkRequests: () => number;
  /** The next API call(s) time out (the link is still created, like a lost answer) or answer 500. */
  failNext: (fault: InjectedFault) => void;
  /** Webhooks sent to accounts and how they were answered. */
  deliveries: () => FakeDelivery[];
  /** Signs and sends a notification to the account's webhook URL, as Adyen would. */
  sendNotification: (apiKey: string, fields: NotificationFields | NotificationFields[]) => Promise<FakeDelivery>;
};

const API_VERSION = "v72";
const validator = new hmacValidator();

/** A 16-digit pspReference, like Adyen's. */
export function newPspReference(): string {
  return String(randomInt(1, 10)) + Array.from({ length: 15 }, () => String(randomInt(0, 10))).join("");
}

/** One notification item with its `additionalData.hmacSignature`, computed by the SDK's helper. */
export function signedNotificationItem(account: Pick<FakeAdyenAccount, "hmacKey" | "merchantAccount">, fields: NotificationFields): NotificationItem {
  const item: NotificationItem = {
    pspReference: fields.pspReference ?? newPspReference(),
    ...(fields.originalReference ? { originalReference: fields.originalReference } : {}),
    merchantAccountCode: fields.merchantAccountCode ?? account.merchantAccount,
    merchantReference: fields.merchantReference,
    amount: fields.amount,
    eventCode: fields.eventCode,
    eventDate: fields.eventDate ?? new Date().toISOString(),
    success: fields.success === false ? "false" : "true",
    ...(fields.paymentMethod ? { paymentMethod: fields.paymentMethod } : {}),
    ...(fields.reason ? { reason: fields.reason } : {}),
    additionalData: {},
  };
  item.additionalData.hmacSignature = validator.calculateHmac(item as unknown as Types.notification.NotificationRequestItem, account.hmacKey);
  return item;
}

/** The standard webhook's JSON body. */
export function notificationBody(items: NotificationItem[], live = false): string {
  return JSON.stringify({ live: String(live), notificationItems: items.map((item) => ({ NotificationRequestItem: item })) });
}

export function basicAuthHeader(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, "utf8").toString("base64")}`;
}

function adyenError(response: http.ServerResponse, status: number, errorCode: string, message: string, errorType: string): void {
  sendJson(response, status, { status, errorCode, message, errorType });
}

export async function startFakeAdyen(options: { port?: number; accounts?: Record<string, FakeAdyenAccount> } = {}): Promise<FakeAdyen> {
  const accounts = new Map<string, FakeAdyenAccount>(Object.entries(options.accounts ?? {}));
  const links = new Map<string, FakePaymentLink>();
  const byIdempotencyKey = new Map<string, FakePaymentLink>();
  const faults = new FaultQueue();
  const deliveries: FakeDelivery[] = [];
  let linkRequests = 0;
  let baseUrl = "";

  async function deliver(account: FakeAdyenAccount, items: NotificationItem[]): Promise<FakeDelivery> {
    const body = notificationBody(items);
    let delivery: FakeDelivery;
    try {
      const answer = await fetch(account.webhookUrl, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: basicAuthHeader(account.username, account.password) },
        body,
        redirect: "manual",
      });
      delivery = { url: account.webhookUrl, eventCode: items[0]!.eventCode, status: answer.status, body: await answer.text() };
    } catch (error) {
      delivery = { url: account.webhookUrl, eventCode: items[0]!.eventCode, status: 0, body: (error as Error).message };
    }
    deliveries.push(delivery);
    return delivery;
  }

  function createLink(request: http.IncomingMessage, body: string, response: http.ServerResponse): void {
    linkRequests += 1;
    const apiKey = String(request.headers["x-api-key"] ?? "");
    const account = accounts.get(apiKey);
    if (!account) return adyenError(response, 401, "000", "HTTP Status Response - Unauthorized", "security");
    const idempotencyKey = typeof request.headers["idempotency-key"] === "string" ? request.headers["idempotency-key"] : null;
    const replay = idempotencyKey ? byIdempotencyKey.get(`${apiKey}\n${idempotencyKey}`) : undefined;
    const fault = faults.take();
    if (fault === "error500") return adyenError(response, 500, "905", "Internal error (fake)", "internal");
    if (replay) {
      if (fault === "timeout") return; // held open until close(): the caller's timeout ends it
      return sendJson(response, 200, replay.response);
    }

    let input: FakePaymentLink["request"];
    try {
      input = JSON.parse(body) as FakePaymentLink["request"];
    } catch {
      return adyenError(response, 400, "702", "Structure of PaymentLinkRequest contains the following unknown fields", "validation");
    }
    if (input.merchantAccount !== account.merchantAccount) {
      return adyenError(response, 403, "901", "Invalid Merchant Account", "security");
    }
    const amount = input.amount as { value?: unknown; currency?: unknown } | undefined;
    if (!amount || !Number.isSafeInteger(amount.value) || (amount.value as number) <= 0 || !/^[A-Z]{3}$/.test(String(amount.currency))) {
      return adyenError(response, 422, "137", "Invalid amount specified", "validation");
    }
    if (typeof input.reference !== "string" || input.reference.length === 0) {
      return adyenError(response, 422, "130", "Required field 'reference' is not provided.", "validation");
    }

    const id = `PL${randomBytes(8).toString("hex").toUpperCase()}`;
    const expiresAt = typeof input.expiresAt === "string" ? input.expiresAt : new Date(Date.now() + 24 * 3600_000).toISOString();
    const link: FakePaymentLink = {
      id,
      apiKey,
      idempotencyKey,
      request: input,
      response: { ...input, id, url: `${baseUrl}/pay/${id}`, expiresAt, status: "active" },
      status: "active",
      pspReference: null,
    };
    links.set(id, link);
    if (idempotencyKey) byIdempotencyKey.set(`${apiKey}\n${idempotencyKey}`, link);
    if (fault === "timeout") return; // created, but the answer never comes (a lost response)
    sendJson(response, 201, link.response);
  }

  function showPage(link: FakePaymentLink, response: http.ServerResponse): void {
    const { value, currency } = link.request.amount;
    const method = (link.request.allowedPaymentMethods as string[] | undefined)?.join(", ") ?? "scheme";
    const button = (action: string, label: string) =>
      `<form method="post" action="/pay/${escapeHtml(link.id)}"><input type="hidden" name="action" value="${action}"><button type="submit">${label}</button></form>`;
    const body =
      link.status === "completed"
        ? `<h1>Adyen (local fake)</h1><p>This payment link has been paid.</p>`
        : `<h1>Adyen (local fake)</h1>
<p>Pay <strong>${escapeHtml(String(value))} ${escapeHtml(currency)}</strong> (minor units) for ${escapeHtml(String(link.request.description ?? link.request.reference))} with ${escapeHtml(method)}.</p>
<p>No card details are asked for: this page only stands in for Adyen's hosted page.</p>
${button("pay", "Pay")}${button("decline", "Decline")}${button("cancel", "Cancel")}`;
    sendHtml(response, 200, "Adyen payment (fake)", body);
  }

  async function act(link: FakePaymentLink, action: string, response: http.ServerResponse): Promise<void> {
    const account = accounts.get(link.apiKey)!;
    const returnUrl = typeof link.request.returnUrl === "string" ? link.request.returnUrl : `${baseUrl}/pay/${link.id}`;
    if (link.status === "completed") return showPage(link, response);
    if (action === "cancel") return redirect(response, returnUrl);
    if (action !== "pay" && action !== "decline") return sendHtml(response, 400, "Bad request", "<p>Unknown action</p>");
    const swish = (link.request.allowedPaymentMethods as string[] | undefined)?.includes("swish") ?? false;
    const pspReference = newPspReference();
    const paid = action === "pay";
    if (paid) {
      link.status = "completed";
      link.pspReference = pspReference;
    }
    const item = signedNotificationItem(account, {
      eventCode: "AUTHORISATION",
      pspReference,
      merchantReference: link.request.reference,
      amount: link.request.amount,
      success: paid,
      paymentMethod: swish ? "swish" : "visa",
      ...(paid ? {} : { reason: "Refused" }),
    });
    // Sent before the redirect, so the page the payer returns to can already know the outcome.
    await deliver(account, [item]);
    redirect(response, returnUrl);
  }

  const server = await startFakeServer(async (request, body, response) => {
    const url = new URL(request.url ?? "/", "http://fake");
    const pay = /^\/pay\/(PL[0-9A-F]+)$/.exec(url.pathname);
    if (request.method === "POST" && url.pathname === `/${API_VERSION}/paymentLinks`) return createLink(request, body, response);
    if (pay) {
      const link = links.get(pay[1]!);
      if (!link) return sendHtml(response, 404, "Not found", "<p>No such payment link.</p>");
      if (request.method === "GET") return showPage(link, response);
      if (request.method === "POST") return act(link, new URLSearchParams(body).get("action") ?? "", response);
    }
    sendJson(response, 404, { status: 404, errorCode: "000", message: "Not found (fake Adyen)", errorType: "validation" });
  }, options.port);
  baseUrl = server.url;

  return {
    url: server.url,
    port: server.port,
    close: server.close,
    addAccount: (apiKey, account) => void accounts.set(apiKey, account),
    linksCreated: () => links.size,
    links: () => [...links.values()],
    linkRequests: () => linkRequests,
    failNext: (fault) => faults.add(fault),
    deliveries: () => [...deliveries],
    sendNotification: (apiKey, fields) => {
      const account = accounts.get(apiKey);
      if (!account) throw new Error(`fake Adyen: no account with API key ${apiKey.slice(0, 4)}…`);
      const list = Array.isArray(fields) ? fields : [fields];
      return deliver(account, list.map((entry) => signedNotificationItem(account, entry)));
    },
  };
}

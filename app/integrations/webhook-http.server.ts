// Sends one webhook POST to a supplier's URL (security.md J4). The URL is chosen by a tenant, so
// it must not become a way into our network (SSRF): the host is resolved here, every address is
// checked, and the socket connects to the checked address itself, so a second DNS answer
// (rebinding) cannot swap in 127.0.0.1. Redirects are never followed: a 3xx is a failure.
import { BlockList, isIP } from "node:net";
import { lookup as dnsLookup } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { refusedHostName } from "~/domain/webhook-host";

export type WebhookPostResult =
  | { ok: true; status: number }
  | { ok: false; kind: "status"; status: number; error: string }
  | { ok: false; kind: "refused" | "network" | "timeout"; error: string };

export type WebhookPost = {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** Only for development and tests, whose receivers listen on 127.0.0.1. */
  allowPrivateTargets: boolean;
};

// Loopback, private, link-local (cloud metadata at 169.254.169.254), CGNAT, multicast,
// unspecified, reserved and documentation ranges, and IPv6 forms that can carry an IPv4 address.
// Two lists, because a BlockList matches IPv4 addresses against IPv4-mapped IPv6 rules too.
const BLOCKED_V4 = new BlockList();
const BLOCKED_V6 = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16],
  ["172.16.0.0", 12], ["192.0.0.0", 24], ["192.0.2.0", 24], ["192.88.99.0", 24], ["192.168.0.0", 16],
  ["198.18.0.0", 15], ["198.51.100.0", 24], ["203.0.113.0", 24], ["224.0.0.0", 4], ["240.0.0.0", 4],
] as const) BLOCKED_V4.addSubnet(network, prefix, "ipv4");
for (const [network, prefix] of [
  ["::", 128], ["::1", 128], ["::ffff:0:0", 96], ["64:ff9b::", 96], ["64:ff9b:1::", 48], ["100::", 64],
  ["2001::", 32], ["2001:db8::", 32], ["2002::", 16], ["fc00::", 7], ["fe80::", 10], ["fec0::", 10], ["ff00::", 8],
] as const) BLOCKED_V6.addSubnet(network, prefix, "ipv6");

/** True for an address no webhook may reach: anything but a public unicast address. */
export function isBlockedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  return family === 4 ? BLOCKED_V4.check(address, "ipv4") : BLOCKED_V6.check(address, "ipv6");
}

type Target = { address: string; family: 4 | 6 };

async function resolveTarget(hostname: string, allowPrivate: boolean): Promise<Target | { refused: string }> {
  const literal = isIP(hostname);
  if (literal !== 0) {
    if (!allowPrivate && isBlockedAddress(hostname)) return { refused: `${hostname} is not a public address` };
    return { address: hostname, family: literal as 4 | 6 };
  }
  let addresses: { address: string; family: number }[];
  try {
    addresses = await dnsLookup(hostname, { all: true, verbatim: true });
  } catch (error) {
    return { refused: `cannot resolve ${hostname}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
  }
  // One private answer refuses the host: a name that mixes public and private addresses is
  // exactly what a rebinding attack looks like.
  const blocked = allowPrivate ? undefined : addresses.find((entry) => isBlockedAddress(entry.address));
  if (blocked) return { refused: `${hostname} resolves to ${blocked.address}, which is not a public address` };
  const first = addresses[0];
  if (!first) return { refused: `${hostname} has no address` };
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}

/** A lookup that answers only the checked address, in whichever form net.connect asks for. */
function pinnedLookup(target: Target): LookupFunction {
  return (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all) {
      (callback as unknown as (error: null, addresses: { address: string; family: number }[]) => void)(null, [target]);
    } else {
      callback(null, target.address, target.family);
    }
  };
}

export async function postWebhook(input: WebhookPost): Promise<WebhookPostResult> {
  let url: URL;
  try {
    url = new URL(input.url);
  } catch {
    return { ok: false, kind: "refused", error: "not a valid URL" };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, kind: "refused", error: "only http(s) URLs" };
  // Refused by name before any lookup: `localhost.` resolves like `localhost` (security J4).
  const refusedName = input.allowPrivateTargets ? null : refusedHostName(url.hostname);
  if (refusedName) return { ok: false, kind: "refused", error: refusedName };
  const hostname = url.hostname.replace(/^\[(.*)\]$/, "$1");

  const deadline = Date.now() + input.timeoutMs;
  const target = await withTimeout(resolveTarget(hostname, input.allowPrivateTargets), input.timeoutMs);
  if (target === "timeout") return { ok: false, kind: "timeout", error: `no DNS answer within ${input.timeoutMs} ms` };
  if ("refused" in target) return { ok: false, kind: "refused", error: target.refused };

  return new Promise((resolve) => {
    const send = url.protocol === "https:" ? https.request : http.request;
    const request = send(url, {
      method: "POST",
      headers: {
        ...input.headers,
        "content-type": "application/json",
        "content-length": String(Buffer.byteLength(input.body)),
        "user-agent": "PayerPortal-Webhooks/1",
      },
      lookup: pinnedLookup(target),
      agent: false,
    });
    const timer = setTimeout(() => {
      request.destroy();
      resolve({ ok: false, kind: "timeout", error: `no response within ${input.timeoutMs} ms` });
    }, Math.max(deadline - Date.now(), 1));
    request.on("response", (response) => {
      clearTimeout(timer);
      // Only the status matters; the body is not read, so a receiver cannot keep us busy.
      response.destroy();
      const status = response.statusCode ?? 0;
      if (status >= 200 && status < 300) return resolve({ ok: true, status });
      const note = status >= 300 && status < 400 ? " (redirects are not followed)" : "";
      resolve({ ok: false, kind: "status", status, error: `HTTP ${status}${note}` });
    });
    request.on("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ ok: false, kind: "network", error: error.code ? `${error.code}: ${error.message}` : error.message });
    });
    request.end(input.body);
  });
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | "timeout"> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

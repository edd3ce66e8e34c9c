// Webhook targets are chosen by a tenant (security J4): a host that can only mean our own machine or
// network is refused by its name, at registration and again at delivery, before any DNS lookup.

/** Names that resolve to this machine or a private network by convention (RFC 6761, mDNS, clouds). */
const LOCAL_NAMES = /^(localhost|.+\.localhost|.+\.local|.+\.internal|.+\.localdomain|.+\.home\.arpa)$/i;
const IPV4 = /^\d+\.\d+\.\d+\.\d+$/;

/** True for an IP literal as the WHATWG URL parser writes a hostname (`127.0.0.1`, `[::1]`). */
export const isIpLiteral = (hostname: string): boolean => hostname.startsWith("[") || IPV4.test(hostname);

/**
 * Why a host name may not receive webhooks, or null. Works on `URL.hostname`, where the parser has
 * already turned every IPv4 spelling (127.1, 0x7f.1, 2130706433) into dotted decimal and lower-cased
 * the name. A trailing dot (`localhost.`) is the same host as without it, so it is refused
 * outright rather than compared; a single label (`intranet`) is resolved through local search
 * domains. IP literals are left to the caller: registration refuses them all, delivery refuses
 * the private ones.
 */
export function refusedHostName(hostname: string): string | null {
  if (isIpLiteral(hostname)) return null;
  if (hostname.endsWith(".")) return "url must not end its host name with a dot";
  if (LOCAL_NAMES.test(hostname) || !hostname.includes(".")) return "url must name a public host, not a local name";
  return null;
}

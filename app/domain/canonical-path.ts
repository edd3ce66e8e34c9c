// One spelling of a request path (security R1). Express and Remix's router match paths
// case-insensitively and decode percent-escapes, so `/I/…`, `/%69/…` and `/API/…` reach the same
// routes as `/i/…` and `/api/…`. Every decision about a path (rate limits, log redaction, routing)
// is made on this form, so none of those spellings can side-step one of them.

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

/**
 * The canonical form of a URL path: unreserved characters percent-decoded (RFC 3986 §6.2.2.2),
 * the remaining escapes in upper case, dot segments resolved and repeated slashes collapsed as
 * the WHATWG URL parser and the router would, and the first segment (the route prefix: `i`, `c`,
 * `p`, `api`, `webhooks` …) in lower case. Tokens in later segments keep their case.
 */
export function canonicalPath(path: string): string {
  const decoded = path.replace(/%([0-9A-Fa-f]{2})/g, (escape, hex: string) => {
    const char = String.fromCharCode(parseInt(hex, 16));
    return UNRESERVED.test(char) ? char : escape.toUpperCase();
  });
  const absolute = decoded.startsWith("/") ? decoded : `/${decoded}`;
  const resolved = new URL(`http://canonical.invalid${absolute.replace(/[/\\]{2,}/g, "/")}`).pathname;
  return resolved.replace(/^\/([^/]*)/, (_match, first: string) => `/${first.toLowerCase()}`);
}

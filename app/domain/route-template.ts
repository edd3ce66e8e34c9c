// The route a request took, as a template (`/api/v1/invoices/:id`), for metrics: ids, tokens and
// addresses become placeholders so the number of label values stays small whatever is requested.

/** Our public ids (`inv_…`, `pac_…`), long random-looking segments, and email addresses. */
const ID_LIKE = /^([a-z]{2,6}_[A-Za-z0-9]{6,}|(?=.*\d)[A-Za-z0-9._~-]{16,}|[^/]*(@|%40)[^/]*)$/;

export function routeTemplate(path: string, status: number): string {
  if (status === 404) return "(unmatched)";
  if (path.startsWith("/build/")) return "/build/*";
  const segments = path.split("/");
  if (/^[icp]$/.test(segments[1] ?? "") && segments[2]) segments[2] = segments[1] === "p" ? ":code" : ":token";
  return segments.map((segment) => (ID_LIKE.test(segment) ? ":id" : segment)).join("/");
}

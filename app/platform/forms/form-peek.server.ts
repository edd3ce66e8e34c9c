// Reads a urlencoded form from a copy of the request, so that whoever handles the POST next still
// gets the whole body: for routes that dispatch several forms (pay by card, send a new link, the
// payer's actions). Null when the body is not such a form or is larger than the form could be.
export async function peekForm(request: Request, maxBytes: number): Promise<URLSearchParams | null> {
  const type = (request.headers.get("content-type") ?? "").toLowerCase();
  if (!type.startsWith("application/x-www-form-urlencoded") || !request.body) return null;
  const reader = request.clone().body!.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      // Not awaited: cancelling one copy of a teed body settles only once the other copy is done
      // too, which is whoever reads the POST next (awaiting it hung every form over the limit).
      reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

// Reading a request body within a byte limit (security R2): refused by its Content-Length before
// reading, and counted while it streams (a chunked body has no length), so no more than the limit
// is ever held, whatever the sender claims. The server's guard (server/body-limit.ts) cuts every
// body off at its path's limit too; routes read within their own, smaller ones.

/** The body's bytes, or null as soon as it passes `maxBytes` (the rest is not read). */
export async function readBodyWithin(request: Request, maxBytes: number): Promise<Uint8Array | null> {
  if (Number(request.headers.get("content-length") ?? 0) > maxBytes) return null;
  if (!request.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    size += read.value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(read.value);
  }
  return Buffer.concat(chunks);
}

/** Thrown into a body's stream when the server's guard cuts it off; the 413 has been sent already. */
export class BodyLimitExceeded extends Error {
  constructor(readonly limit: number) {
    super(`request body over ${limit} bytes`);
    this.name = "BodyLimitExceeded";
  }
}

/** By name: the production build bundles its own copy of the class, so `instanceof` would miss. */
export function isBodyLimitExceeded(error: unknown): boolean {
  return error instanceof Error && error.name === "BodyLimitExceeded";
}

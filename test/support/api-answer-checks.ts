// The answers a started test server (useServerApp) gives under /api/, checked against the OpenAPI
// document exactly like callRoute's: whichever client asked (fetch, http.request, a chunked
// upload), the bytes that left the server are read back — decompressed when the server
// compressed them — and the test that made the request fails afterwards naming the operation and
// what left the document (useServerApp's afterEach awaits `failures()`).
import type { IncomingMessage, ServerResponse } from "node:http";
import { brotliDecompressSync, gunzipSync, inflateSync } from "node:zlib";
import { expectDocumentedAnswer } from "./api-contract";

type Chunk = string | Uint8Array;

const DECODERS: Record<string, (body: Buffer) => Buffer> = { gzip: gunzipSync, br: brotliDecompressSync, deflate: inflateSync };
const BODYLESS = new Set([204, 205, 304]);

function bytesOf(chunk: unknown, encoding: unknown): Buffer | undefined {
  if (typeof chunk === "string") return Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
  if (chunk instanceof Uint8Array) return Buffer.from(chunk);
  return undefined;
}

function headersOf(response: ServerResponse): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(response.getHeaders())) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, String(one));
  }
  return headers;
}

/** The ways one finished answer leaves the document (empty when it keeps to it). */
async function problemsOf(method: string, url: string, response: ServerResponse, sent: Buffer): Promise<string[]> {
  const encoding = String(response.getHeader("content-encoding") ?? "").toLowerCase();
  const body = DECODERS[encoding] ? DECODERS[encoding](sent) : sent;
  const headers = headersOf(response);
  headers.delete("content-encoding");
  const bodyless = BODYLESS.has(response.statusCode) || method === "HEAD" || body.length === 0;
  const answer = new Response(bodyless ? null : new Uint8Array(body), { status: response.statusCode, headers });
  try {
    await expectDocumentedAnswer(method, new URL(url, "http://localhost"), answer);
    return [];
  } catch (error) {
    return [(error as Error).message];
  }
}

export function apiAnswerChecks() {
  let pending: Promise<string[]>[] = [];
  return {
    /** Called for every request before the app handles it; records what an /api/ answer sends. */
    watch(request: IncomingMessage, response: ServerResponse): void {
      const url = request.url ?? "/";
      if (!url.startsWith("/api/")) return;
      const sent: Buffer[] = [];
      const write = response.write.bind(response) as (...args: unknown[]) => boolean;
      const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse;
      response.write = ((chunk: Chunk, ...rest: unknown[]) => {
        const bytes = bytesOf(chunk, rest[0]);
        if (bytes) sent.push(bytes);
        return write(chunk, ...rest);
      }) as typeof response.write;
      response.end = ((chunk?: unknown, ...rest: unknown[]) => {
        const bytes = bytesOf(chunk, rest[0]);
        if (bytes) sent.push(bytes);
        return end(chunk, ...rest);
      }) as typeof response.end;
      pending.push(
        new Promise<string[]>((resolve) => {
          response.once("finish", () => resolve(problemsOf(request.method ?? "GET", url, response, Buffer.concat(sent))));
          // A connection the client dropped before the answer ended: nothing was received to check.
          response.once("close", () => resolve([]));
        }),
      );
    },
    /** What left the document since the last call, once every answer so far has finished. */
    async failures(): Promise<string[]> {
      const settled = await Promise.all(pending);
      pending = [];
      return settled.flat();
    },
  };
}

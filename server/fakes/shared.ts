// What the local provider fakes (stripe.ts, adyen.ts) share: a node:http server on a free
// loopback port, request bodies read whole, HTML escaping for their hosted pages, and the
// fault injection tests use ("the next call times out / answers 500").
import http from "node:http";
import type { AddressInfo } from "node:net";

export type FakeServer = { url: string; port: number; close: () => Promise<void> };

export type FakeHandler = (request: http.IncomingMessage, body: string, response: http.ServerResponse) => Promise<void> | void;

/** Listens on 127.0.0.1, port 0 (or the given one); a handler that throws answers 500. */
export async function startFakeServer(handler: FakeHandler, port = 0): Promise<FakeServer> {
  const server = http.createServer((request, response) => {
    readBody(request)
      .then((body) => handler(request, body, response))
      .catch((error: unknown) => {
        if (!response.headersSent) response.writeHead(500, { "content-type": "text/plain" });
        response.end(error instanceof Error ? error.message : "fake failed");
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        // Held-open (timed-out) requests end here too.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

export type InjectedFault = { kind: "timeout" | "error500"; times?: number };

/** Faults queued by a test, taken one per API call. */
export class FaultQueue {
  private queue: InjectedFault["kind"][] = [];

  add(fault: InjectedFault): void {
    for (let index = 0; index < (fault.times ?? 1); index += 1) this.queue.push(fault.kind);
  }

  take(): InjectedFault["kind"] | undefined {
    return this.queue.shift();
  }
}

export function sendJson(response: http.ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

/** A small HTML page (the hosted payment pages). */
export function sendHtml(response: http.ServerResponse, status: number, title: string, body: string): void {
  response
    .writeHead(status, { "content-type": "text/html; charset=utf-8" })
    .end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>${body}</body></html>`);
}

export function redirect(response: http.ServerResponse, location: string): void {
  response.writeHead(303, { location }).end();
}

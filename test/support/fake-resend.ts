// A local stand-in for Resend's POST /emails: records each request and answers from a script of
// replies (the last one repeats), so tests run the real `resend` SDK without the internet.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";

export type Captured = { method: string; url: string; headers: IncomingHttpHeaders; body: Record<string, unknown> };
export type Reply = { status: number; body: unknown };

/** Resend's POST /emails, answered from a script of replies (the last one repeats). */
export function fakeResend() {
  const requests: Captured[] = [];
  let replies: Reply[] = [];
  let server: Server;
  return {
    requests,
    reply(...next: Reply[]) {
      replies = next;
    },
    url: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async start() {
      server = createServer((req, res) => {
        let raw = "";
        req.on("data", (chunk: Buffer) => (raw += chunk.toString()));
        req.on("end", () => {
          requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: JSON.parse(raw || "{}") });
          const reply = replies.length > 1 ? replies.shift()! : replies[0] ?? { status: 200, body: { id: randomUUID() } };
          res.writeHead(reply.status, { "content-type": "application/json" });
          res.end(JSON.stringify(reply.body));
        });
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}


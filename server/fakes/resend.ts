// A local stand-in for Resend's email API, for the end-to-end tests: POST /emails keeps each
// message (one per Idempotency-Key, as Resend does) and GET /emails lists them, so a test reads
// what a payer received and follows its links. Never used in production.
import { randomUUID } from "node:crypto";
import { startFakeServer, type FakeServer } from "./shared";

export type SentEmail = { id: string; to: string[]; subject: string; html: string; text: string; attachments?: { filename: string }[] };

export async function startFakeResend(): Promise<FakeServer> {
  const sent: SentEmail[] = [];
  const byKey = new Map<string, string>();
  return startFakeServer((request, body, response) => {
    const reply = (status: number, value: unknown) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(value));
    };
    if (request.method === "GET" && request.url === "/emails") return reply(200, { object: "list", data: sent });
    if (request.method !== "POST" || request.url !== "/emails") return reply(404, { name: "not_found", message: "Not found" });
    const key = request.headers["idempotency-key"];
    const earlier = typeof key === "string" ? byKey.get(key) : undefined;
    if (earlier) return reply(200, { id: earlier });
    const email = { id: randomUUID(), ...(JSON.parse(body) as Omit<SentEmail, "id">) };
    sent.push(email);
    if (typeof key === "string") byKey.set(key, email.id);
    return reply(200, { id: email.id });
  });
}

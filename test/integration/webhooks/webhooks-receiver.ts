// A supplier's webhook endpoint for the tests: a real HTTP server on a loopback address that
// records every connection and request, and answers as the test says.
import http from "node:http";
import type { AddressInfo } from "node:net";

export type ReceivedRequest = { method: string; path: string; headers: Record<string, string>; body: string };
type Answer = { status: number; headers?: Record<string, string> } | "hang";

export type Receiver = {
  url: (path?: string) => string;
  port: number;
  requests: ReceivedRequest[];
  /** TCP connections accepted, whether or not a request followed. */
  connections: () => number;
  answer: (answer: Answer) => void;
  close: () => Promise<void>;
};

export async function startReceiver(host = "127.0.0.1"): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  let connections = 0;
  let answer: Answer = { status: 200 };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const headers = Object.fromEntries(
        Object.entries(request.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(", ") : value ?? ""]),
      );
      requests.push({ method: request.method ?? "", path: request.url ?? "", headers, body: Buffer.concat(chunks).toString("utf8") });
      if (answer === "hang") return; // never answers: the sender's timeout must end it
      response.writeHead(answer.status, answer.headers).end("ok");
    });
  });
  server.on("connection", () => (connections += 1));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: (path = "/hooks") => `http://${urlHost}:${port}${path}`,
    port,
    requests,
    connections: () => connections,
    answer: (next) => (answer = next),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

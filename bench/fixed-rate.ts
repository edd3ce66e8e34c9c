// An open-loop load generator: requests leave on a fixed schedule whether or not earlier ones
// have finished, and latency counts from the scheduled time (no coordinated omission).
// autocannon's `overallRate` sends each second's quota in a burst, which measures queueing instead.
import http from "node:http";
import { performance } from "node:perf_hooks";

export type FixedRateResult = { sent: number; ok: number; failed: number; p50: number; p99: number; max: number };

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function fixedRate(url: string, ratePerSecond: number, seconds: number): Promise<FixedRateResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const latencies: number[] = [];
  let failed = 0;
  const total = ratePerSecond * seconds;
  const interval = 1000 / ratePerSecond;
  const start = performance.now();
  const inFlight: Promise<void>[] = [];

  const send = (scheduled: number) =>
    new Promise<void>((resolve) => {
      const request = http.get(url, { agent, headers: { accept: "text/html" } }, (response) => {
        response.resume();
        response.on("end", () => {
          if (response.statusCode === 200) latencies.push(performance.now() - scheduled);
          else failed++;
          resolve();
        });
      });
      request.setTimeout(10_000, () => request.destroy(new Error("timeout")));
      request.on("error", () => {
        failed++;
        resolve();
      });
    });

  for (let i = 0; i < total; i++) {
    const scheduled = start + i * interval;
    const wait = scheduled - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait)); // pacing, not synchronisation
    inFlight.push(send(scheduled));
  }
  await Promise.all(inFlight);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    sent: total,
    ok: latencies.length,
    failed,
    p50: round(percentile(latencies, 50)),
    p99: round(percentile(latencies, 99)),
    max: round(latencies.at(-1) ?? NaN),
  };
}

// Several real processes of the production server on one PostgreSQL database, as several hosts
// behind a load balancer would run them: N web processes (`server/index.ts`, one process each,
// its own port, no in-process worker) and M workers (`server/worker.ts`). Each can be killed
// (SIGKILL) and started again. Needs the production build (`npm run build`).
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync } from "node:fs";
import { constants as osConstants } from "node:os";
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import Stripe from "stripe";
import { expect } from "vitest";
import { databaseUrl, freePort } from "../../db/embedded";
import { runMigrations } from "../../db/migrate";
import "../../server/jobs"; // registers every job before the queue migrates
import { connect } from "../../db/client";
import { loadConfig } from "~/platform/config.server";
import { seedDemo, type Demo } from "../../db/seed";

export type Instance = {
  role: "web" | "worker";
  index: number;
  url: string;
  child: ChildProcess;
  /** Exit statuses of the copies not killed by the test: code, or 128 + signal number as a shell says. */
  exits: number[];
  /** How each copy ended (code or signal), killed by the test or not, and the tail of its output. */
  ends: { code: number | null; signal: NodeJS.Signals | null; killedByTest: boolean; tail: string }[];
  /** The last lines this copy wrote to stdout and stderr (also in LOG_DIR). */
  tail: () => string;
};

export type Instances = {
  webs: Instance[];
  workers: Instance[];
  databaseUrl: string;
  /** What every process shares (keys, URLs): a test's own connection loads its config from it. */
  env: Record<string, string>;
  demo: Demo;
  kill: (instance: Instance) => Promise<void>;
  restart: (instance: Instance) => Promise<void>;
  stop: () => Promise<void>;
};

/** A payer presses "Pay by card" on an invoice's page at this web process: the id of the checkout session it opens. */
export async function startCardCheckout(instances: Instances, web: Instance, invoiceUrl: string): Promise<string> {
  const pay = await fetch(`${web.url}${new URL(invoiceUrl).pathname}`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: instances.env.PUBLIC_BASE_URL! },
    body: new URLSearchParams({ intent: "pay-card", method: "card" }),
  });
  const sessionId = /\/checkout\/([^/?#]+)/.exec(pay.headers.get("location") ?? "")?.[1];
  expect(sessionId, `pay-card answered ${pay.status}`).toBeTruthy();
  return sessionId!;
}

/** A Stripe event (its JSON) sent to this web process's webhook for the demo's account, signed as Stripe signs it. */
export function postStripeEvent(instances: Instances, web: Instance, payload: string): Promise<Response> {
  return fetch(`${web.url}/webhooks/stripe/${instances.demo.stripe!.accountId}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "stripe-signature": Stripe.webhooks.generateTestHeaderString({ payload, secret: instances.demo.stripe!.webhookSecret }),
    },
    body: payload,
  });
}

const LOG_DIR = ".data/scale-logs";
const TAIL_LINES = 60;

/** Every process that ended on its own, with its exit code or signal and its last output: for a failing assertion's message. */
export function describeEnds(instances: Pick<Instances, "webs" | "workers">): string {
  return [...instances.webs, ...instances.workers]
    .flatMap((instance) =>
      instance.ends
        .filter((end) => !end.killedByTest)
        .map((end) => `${instance.role} ${instance.index} ended with ${end.signal ?? `code ${end.code}`}; its last output:\n${end.tail}`),
    )
    .join("\n\n");
}

async function waitUntil(check: () => Promise<boolean>, what: string, child: ChildProcess, ms = 420_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${what}: the process exited with ${child.signalCode ?? child.exitCode}; see ${LOG_DIR}`);
    }
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100)); // polling another process
  }
  throw new Error(`${what} was not ready in ${ms / 1000} s; see ${LOG_DIR}`);
}

export async function startInstances(options: {
  name: string;
  /** The PostgreSQL server (a database is created on it and dropped at the end). */
  serverUrl: string;
  webs: number;
  workers: number;
  env?: Record<string, string>;
}): Promise<Instances> {
  if (!existsSync("build/index.js")) throw new Error("No production build: run `npm run build` first.");
  mkdirSync(LOG_DIR, { recursive: true });
  const name = `pp_${options.name}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(databaseUrl(options.serverUrl, "postgres"), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = databaseUrl(options.serverUrl, name);
  await runMigrations(url);

  const ports = await Promise.all(Array.from({ length: options.webs }, () => freePort()));
  // One public address for all of them, as behind a load balancer: links and form origins use it.
  const env: Record<string, string> = {
    // "test", not "production": production refuses webhooks to 127.0.0.1 (the local receivers
    // here), and everything else this test looks at behaves the same.
    NODE_ENV: "test",
    HOST: "127.0.0.1",
    PUBLIC_BASE_URL: `http://127.0.0.1:${ports[0]}`,
    DATABASE_URL: url,
    LINK_SIGNING_KEYS: `scale1:${randomBytes(32).toString("base64url")}`,
    CREDENTIALS_KEYS: `k1:${randomBytes(32).toString("base64")}`,
    LOG_LEVEL: "warn",
    WEB_CONCURRENCY: "1",
    WORKER_CONCURRENCY: "1",
    WORKER: "off",
    SHUTDOWN_GRACE_MS: "2000",
    WEBHOOK_ALLOW_PRIVATE_TARGETS: "true",
    ...options.env,
  };
  const database = connect(url, { max: 2 });
  const demo = await seedDemo({ config: loadConfig(env), db: database.db });
  await database.close();

  const killing = new Set<ChildProcess>();
  const spawnInstance = (instance: Omit<Instance, "child" | "tail"> & { child?: ChildProcess; tail?: () => string }, port?: number) => {
    const entry = instance.role === "web" ? "server/index.ts" : "server/worker.ts";
    const child = spawn(process.execPath, ["--import", "tsx", entry], {
      env: { ...process.env, ...env, ...(port ? { PORT: String(port) } : { LOG_LEVEL: "info" }), ...(process.env.SCALE_DEBUG ? { LOG_LEVEL: "info" } : {}) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const log = createWriteStream(`${LOG_DIR}/${options.name}-${instance.role}${instance.index}.log`, { flags: "a" });
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    // The output is also kept in memory: a process that dies says why in the test's own failure.
    const lines: string[] = [];
    const keep = (chunk: Buffer) => {
      lines.push(...chunk.toString().split("\n").filter(Boolean).map((line) => line.slice(0, 2000)));
      lines.splice(0, Math.max(0, lines.length - TAIL_LINES));
    };
    child.stdout!.on("data", keep);
    child.stderr!.on("data", keep);
    const tail = () => lines.join("\n");
    // "close", not "exit": by then the pipes are drained, so the tail holds the last words.
    child.on("close", (code, signal) => {
      const killedByTest = killing.delete(child);
      instance.ends.push({ code, signal, killedByTest, tail: tail() });
      if (!killedByTest) instance.exits.push(code ?? 128 + (signal ? osConstants.signals[signal] : 0));
    });
    instance.child = child;
    instance.tail = tail;
    return instance as Instance;
  };
  const ready = async (instance: Instance) => {
    if (instance.role === "web") {
      await waitUntil(() => fetch(`${instance.url}/readyz`).then((r) => r.ok, () => false), `web ${instance.index}`, instance.child);
    } else {
      // A worker says so once pg-boss has started (pino's JSON line "worker running").
      let said = false;
      instance.child.stdout!.on("data", (chunk: Buffer) => (said ||= chunk.toString().includes("worker running")));
      await waitUntil(async () => said, `worker ${instance.index}`, instance.child);
    }
  };

  const webs = ports.map((port, index) => spawnInstance({ role: "web", index, url: `http://127.0.0.1:${port}`, exits: [], ends: [] }, port));
  const workers = Array.from({ length: options.workers }, (_, index) =>
    spawnInstance({ role: "worker", index, url: "", exits: [], ends: [] }),
  );
  try {
    await Promise.all([...webs, ...workers].map(ready));
  } catch (error) {
    // Nothing outlives a failed start: no process keeps running after the test.
    for (const instance of [...webs, ...workers]) {
      if (instance.child.exitCode !== null || instance.child.signalCode !== null) {
        console.error(`${instance.role} ${instance.index} ended with ${instance.child.signalCode ?? instance.child.exitCode}:\n${instance.tail()}`);
      }
      instance.child.kill("SIGKILL");
    }
    await admin.unsafe(`drop database if exists ${name} with (force)`).catch(() => {});
    await admin.end();
    throw error;
  }

  const kill = async (instance: Instance) => {
    if (instance.child.exitCode !== null || instance.child.signalCode !== null) return;
    const exited = new Promise((resolve) => instance.child.once("close", resolve));
    killing.add(instance.child);
    instance.child.kill("SIGKILL");
    await exited;
  };
  return {
    webs,
    workers,
    databaseUrl: url,
    env,
    demo,
    kill,
    restart: async (instance) => {
      await kill(instance);
      spawnInstance(instance, instance.role === "web" ? Number(new URL(instance.url).port) : undefined);
      await ready(instance);
    },
    stop: async () => {
      const all = [...webs, ...workers];
      await Promise.all(
        all.map(async (instance) => {
          if (instance.child.exitCode !== null || instance.child.signalCode !== null) return;
          const exited = new Promise((resolve) => instance.child.once("close", resolve));
          killing.add(instance.child);
          instance.child.kill("SIGTERM");
          await exited;
        }),
      );
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

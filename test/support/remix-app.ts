// The app's Express server on a free port, serving a Remix build of just the route modules a test
// names (nested as `npx remix routes` nests them), with its log captured: for tests that need the
// real middleware (headers, rate limits, log redaction) and Remix's router around a route.
import { Writable } from "node:stream";
import type { AddressInfo } from "node:net";
import { createServer, type Server } from "node:http";
import { afterAll, afterEach, beforeAll } from "vitest";
import pino from "pino";
import type { ServerBuild } from "@remix-run/node";
import { createServerApp } from "../../server/app";
import type { Config } from "~/platform/config.server";
import type { Db } from "../../db/client";
import type { LimitStoreFactory } from "~/platform/rate-limits/db/limit-stores.server";
import { apiAnswerChecks } from "./api-answer-checks";

export type RouteEntry = [id: string, parentId: string | undefined, path: string, module: object];

/** Without the real entry module, documents are not rendered: only resource routes and thrown responses work. */
const NO_DOCUMENTS = { default: () => new Response("documents are not rendered in this test", { status: 500 }) };

export function routeBuild(table: RouteEntry[], entry: object = NO_DOCUMENTS): ServerBuild {
  const manifest = ([id, parentId, path, module]: RouteEntry) => ({
    id, parentId, path, module: `/build/${id}.js`, imports: [],
    hasAction: "action" in module, hasLoader: "loader" in module, hasClientAction: false, hasClientLoader: false,
    hasErrorBoundary: "ErrorBoundary" in module,
  });
  return {
    mode: "production",
    entry: { module: entry },
    routes: Object.fromEntries(table.map(([id, parentId, path, module]) => [id, { id, parentId, path, module }])),
    assets: {
      entry: { module: "/build/entry.client.js", imports: [] },
      routes: Object.fromEntries(table.map((row) => [row[0], manifest(row)])),
      url: "/build/manifest.js",
      version: "test",
    },
    publicPath: "/build/",
    assetsBuildDirectory: "public/build",
    future: { v3_fetcherPersist: true, v3_relativeSplatPath: true, v3_throwAbortReason: true, v3_lazyRouteDiscovery: true, v3_singleFetch: true },
    isSpaMode: false,
  } as unknown as ServerBuild;
}

/**
 * Starts the server before the suite's tests and stops it after; `url()` is its base, `lines` its
 * log, `server()` the listening server. Rate limits count in the test's database unless
 * `limitStores` keeps them to this server. Every answer under /api/ is checked against the OpenAPI
 * document (api-answer-checks): a test whose request got an undocumented status, header or field
 * fails — unless `apiContract: false`, for a build whose /api/ route is a stand-in, not the API.
 */
export function useServerApp(options: {
  build: ServerBuild; config: () => Config; db: () => Db; limitStores?: LimitStoreFactory; apiContract?: false;
}) {
  const lines: string[] = [];
  const checks = apiAnswerChecks();
  let server: Server;
  let base = "";
  beforeAll(async () => {
    const log = pino({ level: "info" }, new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString()), done()) }));
    const app = createServerApp({ config: options.config(), db: options.db(), log, isDatabaseReady: async () => true }, options.build, options.limitStores);
    server = createServer((request, response) => {
      if (options.apiContract !== false) checks.watch(request, response);
      app(request, response);
    }).listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    const failures = await checks.failures();
    if (failures.length > 0) throw new Error(failures.join("\n"));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: () => base, lines, server: () => server };
}

// The Express application: security headers, compression, request ids and logs, health
// probes, static assets and the Remix handler. Built as a function so tests can start it.
import express from "express";
import compression from "compression";
import { randomUUID } from "node:crypto";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import type { AppServices } from "~/platform/context";
import { redactPath } from "~/platform/logger.server";
import { canonicalPath } from "~/domain/canonical-path";
import { securityHeaders } from "./security-headers";
import { bodyLimits, ignoreCutOffBodies } from "./body-limit";
import { processMetricsRoute } from "./metrics";
import { httpRequestDuration } from "~/platform/metrics/counters.server";
import { routeTemplate } from "~/domain/route-template";
import { rateLimits } from "./rate-limit";
import { postgresLimitStores, type LimitStoreFactory } from "~/platform/rate-limits/db/limit-stores.server";
import { isCrossSite } from "~/features/portal/payer-actions.server";
import { hostedPaymentPageOrigins } from "~/integrations/hosted-pages";
import { answeringOutagesWith503, RETRY_AFTER_SECONDS } from "~/platform/outage.server";

const REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;

export function createServerApp(
  services: AppServices,
  build: ServerBuild | (() => Promise<ServerBuild>),
  limitStores: LimitStoreFactory = postgresLimitStores(services.db),
) {
  const { config, log } = services;
  const app = express();
  app.disable("x-powered-by");
  // Only the configured number of proxy hops is trusted; a spoofed X-Forwarded-For is ignored.
  app.set("trust proxy", config.trustProxyHops);

  // Security R1: the path is rewritten to its one canonical spelling before anything looks at it,
  // so rate limits, log redaction, Express's routes and Remix's router all see the same path.
  app.use((req, res, next) => {
    let canonical: string;
    try {
      canonical = canonicalPath(req.path);
    } catch {
      res.status(400).type("text/plain").send("Bad request path.");
      return;
    }
    if (canonical !== req.path) {
      const query = req.url.indexOf("?");
      req.url = query === -1 ? canonical : `${canonical}${req.url.slice(query)}`;
      req.originalUrl = req.url; // what Remix builds its Request from
    }
    next();
  });

  app.use((req, res, next) => {
    const incoming = req.get("x-request-id");
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = requestId;
    res.setHeader("X-Request-Id", requestId);
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      httpRequestDuration.observe({ method: req.method, route: routeTemplate(req.path, res.statusCode), status: res.statusCode }, seconds);
      log.info(
        {
          requestId,
          method: req.method,
          path: redactPath(req.path),
          status: res.statusCode,
          ms: seconds * 1000,
          ip: req.ip,
        },
        "request",
      );
    });
    next();
  });

  app.get("/healthz", (_req, res) => {
    res.setHeader("Cache-Control", "no-store");
    res.status(200).json({ status: "ok" });
  });
  // Ready = the database answers and so does the job queue's schema (a load balancer stops
  // sending traffic to a process whose requests could only fail); the reason says which is down.
  app.get("/readyz", async (_req, res) => {
    res.setHeader("Cache-Control", "no-store");
    const reason = !(await services.isDatabaseReady())
      ? "database unavailable"
      : services.isJobQueueReady && !(await services.isJobQueueReady())
        ? "job queue unavailable"
        : undefined;
    if (reason === undefined) return void res.status(200).json({ status: "ready" });
    res.setHeader("Retry-After", String(RETRY_AFTER_SECONDS));
    res.status(503).json({ status: "not ready", reason });
  });
  app.get("/metrics", processMetricsRoute(config, log, () => services.db.$client));

  app.use(compression());
  app.use(securityHeaders({ hsts: true, formTargets: hostedPaymentPageOrigins(config) }));
  // Security R2: before anything that may answer without reading the body, and before Remix.
  app.use(bodyLimits());
  app.use(rateLimits(config.rateLimits, limitStores));

  // Fingerprinted build assets never change; everything else in public/ may.
  app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y", index: false }));
  // Only paths that look like files reach the disk: a stat per portal request cost ~3 %.
  app.get(/^\/[\w.-]+\.(ico|png|svg|txt|webmanifest)$/, express.static("public", { maxAge: "1h", index: false }));

  // Pages' forms (security L4): a cross-site POST is refused here with 403. A same-origin form on
  // a no-referrer page arrives with `Origin: null`, which Remix's own check would turn into a 500,
  // so the Origin header is dropped once it has been checked. The API (bearer keys, no cookies)
  // is not a CSRF target and may be called from anywhere; nor are the payment providers'
  // webhooks, which prove themselves with signatures.
  app.use((req, res, next) => {
    if (req.method === "GET" || req.method === "HEAD" || req.path.startsWith("/api/") || req.path.startsWith("/webhooks/")) {
      return next();
    }
    if (isCrossSite((name) => req.get(name), config.publicBaseUrl.origin)) {
      res.status(403).set("Cache-Control", "no-store").type("text/plain").send("Cross-site form submissions are not accepted.");
      return;
    }
    delete req.headers.origin;
    next();
  });

  // A database outage answers 503 + Retry-After from every loader and action, not a 500.
  build = typeof build === "function" ? guardedLoads(build) : answeringOutagesWith503(build);
  const handler = (routes: ServerBuild | (() => Promise<ServerBuild>)) =>
    createRequestHandler({
      build: routes,
      mode: config.isProduction ? "production" : "development",
      getLoadContext: (req, res) => ({
        app: services,
        request: {
          requestId: res.locals.requestId as string,
          ip: req.ip ?? "",
          userAgent: req.get("user-agent") ?? "",
          cspNonce: res.locals.cspNonce as string,
        },
      }),
    });
  // Remix flattens and ranks every route on every request; the payer's pages and the API, the
  // hottest paths, are matched against only their own routes (with all of them the portal page
  // spent ~16 % of its CPU there, POST /api/v1/invoices ~6 %).
  // Campaign pages (/c/) are rate-limited per IP like /i/ and /p/ (rateLimits above, L8).
  for (const prefix of ["i", "c", "api"]) {
    const only = (routes: ServerBuild) => routesUnder(routes, `${prefix}/`);
    app.all(`/${prefix}/*`, handler(typeof build === "function" ? async () => only(await build()) : only(build)));
  }
  app.all("*", handler(build));
  app.use(ignoreCutOffBodies);
  return app;
}

/** A development build, reloaded on change: each new one is wrapped once. */
function guardedLoads(load: () => Promise<ServerBuild>): () => Promise<ServerBuild> {
  const wrapped = new WeakMap<ServerBuild, ServerBuild>();
  return async () => {
    const build = await load();
    let guarded = wrapped.get(build);
    if (!guarded) wrapped.set(build, (guarded = answeringOutagesWith503(build)));
    return guarded;
  };
}

/** The build with just the root and the routes under a path (nested ones too): nothing else can match such a path. */
function routesUnder(build: ServerBuild, path: string): ServerBuild {
  const underPortal = (id: string | undefined): boolean => {
    const route = id === undefined ? undefined : build.routes[id];
    if (!route) return false;
    return route.path?.startsWith(path) === true || underPortal(route.parentId);
  };
  const keep = (id: string) => id === "root" || underPortal(id);
  const routes = Object.fromEntries(Object.entries(build.routes).filter(([id]) => keep(id)));
  // React renders from the assets manifest's routes, so it must list the same ones.
  const manifestRoutes = Object.fromEntries(Object.entries(build.assets.routes).filter(([id]) => keep(id)));
  return { ...build, routes, assets: { ...build.assets, routes: manifestRoutes } };
}

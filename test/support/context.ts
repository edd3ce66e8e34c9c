// Calls route modules the way Remix does, with a real database in the load context.
import type { AppLoadContext, ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import pino from "pino";
import { loadConfig, type Config } from "~/platform/config.server";
import type { Database } from "../../db/client";
import { expectDocumentedAnswer } from "./api-contract";

export const TEST_LINK_KEYS = "test1:0123456789abcdef0123456789abcdef-test-key";
export const TEST_CREDENTIALS_KEYS = "test1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
export const TEST_BASE_URL = "https://pay.example.test";

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: "test",
    PUBLIC_BASE_URL: TEST_BASE_URL,
    LINK_SIGNING_KEYS: TEST_LINK_KEYS,
    CREDENTIALS_KEYS: TEST_CREDENTIALS_KEYS,
    ...env,
  });
}

export function testContext(database: Database, config: Config = testConfig()): AppLoadContext {
  return {
    app: {
      config,
      db: database.db,
      log: pino({ level: "silent" }),
      isDatabaseReady: async () => true,
    },
    request: { requestId: "test-request", ip: "203.0.113.7", userAgent: "vitest", cspNonce: "nonce" },
  };
}

type RouteFn = (args: LoaderFunctionArgs | ActionFunctionArgs) => unknown;

/**
 * Invokes a loader or action and returns what the client would get: a returned or thrown
 * Response as is, plain data wrapped as JSON. An answer under /api/ must keep to the OpenAPI
 * document (api-contract.ts), so every API test is a contract test too.
 */
export async function callRoute(
  fn: RouteFn,
  context: AppLoadContext,
  init: {
    method?: string;
    path: string;
    params?: Record<string, string>;
    headers?: Record<string, string>;
    json?: unknown;
    body?: BodyInit;
  },
): Promise<Response> {
  const headers = new Headers(init.headers);
  let body = init.body;
  if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  const request = new Request(new URL(init.path, TEST_BASE_URL), { method: init.method ?? "GET", headers, body });
  const answer = await answerOf(fn, { request, params: init.params ?? {}, context });
  await expectDocumentedAnswer(request.method, request.url, answer);
  return answer;
}

async function answerOf(fn: RouteFn, args: LoaderFunctionArgs): Promise<Response> {
  try {
    const result = await fn(args);
    if (result instanceof Response) return result;
    return new Response(JSON.stringify(result), { headers: { "content-type": "application/json" } });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

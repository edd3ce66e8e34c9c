// Security R2: every request body is cut off at its path's byte limit while it streams, before any
// route or parser sees more than the limit. A Content-Length over the limit is answered 413 at
// once; a chunked body (no length) is counted as the socket delivers it, and the moment it passes
// the limit the rest is dropped, 413 is answered, and the connection is closed. The limits are the
// routes' own (which they check too, when called without this server): counted here first, a body
// never trips a route's check halfway, which would cancel the stream and drop the connection
// before any answer.
import type { ErrorRequestHandler, Request, RequestHandler, Response } from "express";
import { MAX_JSON_BODY_BYTES } from "~/api/request.server";
import { MAX_BANK_FILE_BYTES } from "~/features/bank-files/bank-file-import.server";
import { MAX_FORM_BYTES } from "~/platform/forms/form-action.server";
import { BodyLimitExceeded } from "~/platform/request-body.server";
import { WEBHOOK_BODY_LIMITS } from "~/platform/webhook-receiver.server";

const MB = 1024 * 1024;

type BodyLimit = {
  bytes: number;
  /**
   * The route answers a declared length over the limit itself, without reading the body: the
   * payer's form then shows the error next to its file field. Streamed bytes still count here.
   */
  routeAnswersDeclaredLength?: boolean;
};

/** The first match decides; a path is the canonical one (R1). Anything else: a JSON body's limit. */
const LIMITS: { method: string; path: RegExp; limit: BodyLimit }[] = [
  { method: "POST", path: /^\/api\/v1\/bank-files$/, limit: { bytes: MAX_BANK_FILE_BYTES } },
  // The CSV import's own limit (app/routes/api.v1.invoices.import.ts).
  { method: "POST", path: /^\/api\/v1\/invoices\/import$/, limit: { bytes: 5 * MB } },
  // An invoice's own PDF, once it can be uploaded.
  { method: "PUT", path: /^\/api\/v1\/invoices\/[^/]+\/document$/, limit: { bytes: 10 * MB } },
  { method: "POST", path: /^\/webhooks\/stripe\//, limit: { bytes: WEBHOOK_BODY_LIMITS.stripe } },
  { method: "POST", path: /^\/webhooks\/adyen\//, limit: { bytes: WEBHOOK_BODY_LIMITS.adyen } },
  { method: "POST", path: /^\/webhooks\/resend$/, limit: { bytes: WEBHOOK_BODY_LIMITS.resend } },
  { method: "POST", path: /^\/[ic]\//, limit: { bytes: MAX_FORM_BYTES, routeAnswersDeclaredLength: true } },
];

export function bodyLimitFor(method: string, path: string): BodyLimit {
  return LIMITS.find((entry) => entry.method === method && entry.path.test(path))?.limit ?? { bytes: MAX_JSON_BODY_BYTES };
}

/** The API's problem+json, a plain page (or webhook answer) everywhere else. */
function refuse(req: Request, res: Response, limit: number) {
  res.status(413).set({ "Cache-Control": "no-store", Connection: "close" });
  if (req.path.startsWith("/api/")) {
    res.type("application/problem+json").send(
      JSON.stringify({ type: "about:blank", title: "Payload too large", status: 413, detail: `The body may be at most ${limit} bytes.` }),
    );
  } else {
    res.type("text/plain").send("Payload Too Large");
  }
}

export function bodyLimits(limitFor: (method: string, path: string) => BodyLimit = bodyLimitFor): RequestHandler {
  return (req, res, next) => {
    const declared = req.get("content-length");
    if (declared === undefined && req.get("transfer-encoding") === undefined) return next(); // no body
    const { bytes: limit, routeAnswersDeclaredLength } = limitFor(req.method, req.path);
    if (Number(declared ?? 0) > limit && !routeAnswersDeclaredLength) return refuse(req, res, limit);

    // Counted where Node's HTTP parser hands each piece of the body to the request stream, so it
    // holds whoever reads the body (Remix, a route, or nobody: Node drains unread bodies).
    let seen = 0;
    let cut = false;
    const push = req.push.bind(req);
    req.push = (chunk: Buffer | null, encoding?: BufferEncoding) => {
      if (cut) return false;
      if (chunk !== null) seen += chunk.length;
      if (seen <= limit) return push(chunk, encoding);
      cut = true;
      res.locals.bodyCutOff = true;
      if (!res.headersSent) refuse(req, res, limit);
      // The reader's stream fails (never ends early: a truncated body must not be taken for a
      // whole one) once the answer is out; destroying it closes the connection.
      const fail = () => req.destroy(new BodyLimitExceeded(limit));
      if (res.writableFinished) fail();
      else res.once("finish", fail).once("close", fail);
      return false;
    };
    next();
  };
}

/** A route still reading a body that was cut off fails; the 413 has been answered already. */
export const ignoreCutOffBodies: ErrorRequestHandler = (error, _req, res, next) => {
  if (res.locals.bodyCutOff === true) return;
  next(error);
};

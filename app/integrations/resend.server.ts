// Resend, through its own SDK. Answers a result union instead of throwing, and says whether a
// failure is worth retrying: the caller (the email.send job) decides what to do with it.
import { Resend } from "resend";
import { oneLine } from "~/domain/text";

export type ResendSettings = { apiKey: string; baseUrl: string };

export type OutgoingEmail = {
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  replyTo?: string | null;
  /** Resend tags: ASCII letters, digits, `_` and `-` only. */
  tags?: { name: string; value: string }[];
  /** Files such as the invoice copy (a reminder's PDF); the SDK sends the bytes as base64. */
  attachments?: { filename: string; content: Buffer }[];
};

export type ResendResult =
  | { ok: true; providerId: string }
  | { ok: false; retryable: boolean; code: string; message: string; statusCode: number | null };

// The request itself is wrong (or reuses an idempotency key for another message): sending it
// again would fail the same way. Everything else (5xx, 429, network, quota, keys) may pass later.
const PERMANENT = new Set([
  "validation_error",
  "invalid_parameter",
  "missing_required_field",
  "invalid_idempotency_key",
  "invalid_idempotent_request",
  "invalid_attachment",
  "not_found",
  "method_not_allowed",
]);

const clients = new Map<string, Resend>();

function client(settings: ResendSettings): Resend {
  const cacheKey = `${settings.baseUrl}\n${settings.apiKey}`;
  let resend = clients.get(cacheKey);
  if (!resend) {
    // baseUrl always passed: otherwise the SDK would read RESEND_BASE_URL from the environment itself.
    resend = new Resend(settings.apiKey, { baseUrl: settings.baseUrl });
    clients.set(cacheKey, resend);
  }
  return resend;
}

/**
 * Sends one email. `idempotencyKey` becomes Resend's `Idempotency-Key` header: a retry after a
 * lost answer (or a crash before we stored the result) returns the first send instead of a
 * second email (security J3). Resend keeps keys for 24 hours.
 */
export async function sendWithResend(
  settings: ResendSettings,
  email: OutgoingEmail,
  options: { idempotencyKey: string; timeoutMs?: number },
): Promise<ResendResult> {
  try {
    const { data, error } = await client(settings).emails.send(
      {
        from: email.from,
        to: [email.to],
        subject: oneLine(email.subject), // one header line, even for a row stored before D5
        html: email.html,
        text: email.text,
        ...(email.replyTo ? { replyTo: email.replyTo } : {}),
        ...(email.tags?.length ? { tags: email.tags } : {}),
        ...(email.attachments?.length
          ? { attachments: email.attachments.map((file) => ({ filename: file.filename, content: file.content })) }
          : {}),
      },
      { idempotencyKey: options.idempotencyKey, signal: AbortSignal.timeout(options.timeoutMs ?? 15_000) },
    );
    if (error) {
      const code = String(error.name ?? "application_error");
      return { ok: false, retryable: !PERMANENT.has(code), code, message: error.message ?? code, statusCode: error.statusCode ?? null };
    }
    if (!data?.id) return { ok: false, retryable: true, code: "no_id", message: "Resend answered without an email id", statusCode: null };
    return { ok: true, providerId: data.id };
  } catch (error) {
    // The SDK turns network failures into results, but an aborted request surfaces as a throw.
    return { ok: false, retryable: true, code: "network_error", message: (error as Error).message, statusCode: null };
  }
}

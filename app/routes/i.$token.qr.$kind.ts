// The payer's QR images, /i/<token>/qr/<swish|uqr|epc>.<svg|png>: the token stays in the path (as on
// the page itself, redacted from logs, rate-limited), never in a query string, and it names exactly
// one invoice, so no other supplier's data is reachable. Every failure is the page's same bare 404.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { openLinkedInvoice } from "~/features/links/linked-invoice.server";
import { isQrKind, paymentInstructionsForToken, qrPayload } from "~/features/payments/payment-instructions.server";
import { parseQrImageOptions, qrResponse } from "~/features/payments/qr.server";
import { linkNotFound } from "~/platform/forms/form-action.server";

const IMAGE = /^([a-z]+)\.(svg|png)$/;

export async function loader(args: LoaderFunctionArgs) {
  const { request, params, context } = args;
  const match = IMAGE.exec(params.kind ?? "");
  const kind = match?.[1] ?? "";
  if (!match || !isQrKind(kind)) throw linkNotFound();
  const options = parseQrImageOptions(new URL(request.url).searchParams);
  if (!options.ok) throw new Response(null, { status: 400, headers: { "Cache-Control": "private, no-store" } });
  const { instructions } = await openLinkedInvoice(args, "link rejected for a QR image", (token) =>
    paymentInstructionsForToken(context.app.db, context.app.config, token),
  );
  const payload = qrPayload(instructions, kind);
  if (payload === null) throw linkNotFound();
  return qrResponse(payload, match[2] as "svg" | "png", options.value);
}

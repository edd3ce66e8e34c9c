// The QR image of an invoice's pay link: /api/v1/invoices/<id>/pay-link/qr.<svg|png> (?size= pixels,
// ?margin= modules, as for the payment QR codes). Another supplier's invoice answers like an unknown one.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApiKey } from "~/api/auth.server";
import { methodNotAllowed, notFound, problem, validationProblem } from "~/api/problem.server";
import { getPayLink, PAY_LINK_REFUSED } from "~/services/pay-links.server";
import { parseQrImageOptions, qrResponse } from "~/services/qr.server";

const IMAGE = /^qr\.(svg|png)$/;

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const caller = await requireApiKey(request, context);
  const format = IMAGE.exec(params.image ?? "")?.[1] as "svg" | "png" | undefined;
  if (!format) return notFound("Image");
  const options = parseQrImageOptions(new URL(request.url).searchParams);
  if (!options.ok) return validationProblem(options.errors, "The image parameters are invalid.");
  const outcome = await getPayLink(context.app.db, context.app.config, { supplierId: caller.supplierId, invoiceId: params.id ?? "" });
  if (outcome.kind === "not_found") return notFound("Invoice");
  if (outcome.kind !== "ok") return problem(409, "No pay link", PAY_LINK_REFUSED[outcome.kind]);
  return qrResponse(outcome.payLink.url, format, options.value);
}

export function action() {
  return methodNotAllowed(["GET"]);
}

// The QR image of an invoice's pay link: /api/v1/invoices/<id>/pay-link/qr.<svg|png> (?size= pixels,
// ?margin= modules, as for the payment QR codes). Another supplier's invoice answers like an unknown one.
import { apiRoute } from "~/api/route.server";
import { notFound, problem, validationProblem } from "~/api/problem.server";
import { getPayLink, PAY_LINK_REFUSED } from "~/features/links/pay-links.server";
import { parseQrImageOptions, qrResponse } from "~/features/payments/qr.server";

const IMAGE = /^qr\.(svg|png)$/;

export const { loader, action } = apiRoute({
  GET: async ({ app, caller, params, query }) => {
    const format = IMAGE.exec(params.image ?? "")?.[1] as "svg" | "png" | undefined;
    if (!format) return notFound("Image");
    const options = parseQrImageOptions(query);
    if (!options.ok) return validationProblem(options.errors, "The image parameters are invalid.");
    const outcome = await getPayLink(app.db, app.config, { supplierId: caller.supplierId, invoiceId: params.id ?? "" });
    if (outcome.kind === "not_found") return notFound("Invoice");
    if (outcome.kind !== "ok") return problem(409, "No pay link", PAY_LINK_REFUSED[outcome.kind]);
    return qrResponse(outcome.payLink.url, format, options.value);
  },
});

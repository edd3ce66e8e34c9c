// The receipt of one payment of the key's supplier as a PDF: /api/v1/payments/<id>/receipt.pdf?lang=sv|en
// (default: the customer's language, else the supplier's). The same document the payer downloads
// from the page. Another supplier's payment, and one that did not arrive, answer like an unknown one.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApiKey } from "~/api/auth.server";
import { invoicePdfQuerySchema } from "~/api/invoice-schemas";
import { methodNotAllowed, notFound, validationProblem } from "~/api/problem.server";
import { invoicePdfResponse } from "~/services/invoice-pdf.server";
import { receiptPdfForSupplier } from "~/services/receipt-pdf.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const caller = await requireApiKey(request, context);
  const query = invoicePdfQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) {
    const errors = query.error.issues.flatMap((issue) =>
      issue.code === "unrecognized_keys"
        ? issue.keys.map((key) => ({ field: key, message: "unknown parameter" }))
        : [{ field: issue.path.join("."), message: issue.message }],
    );
    return validationProblem(errors, "The query parameters are invalid.");
  }
  const pdf = await receiptPdfForSupplier(context.app.db, {
    supplierId: caller.supplierId,
    paymentId: params.id ?? "",
    ...(query.data.lang ? { locale: query.data.lang } : {}),
  });
  return pdf ? invoicePdfResponse(pdf) : notFound("Payment");
}

export function action() {
  return methodNotAllowed(["GET"]);
}

// A copy of one invoice of the key's supplier as a PDF: /api/v1/invoices/<id>/pdf?lang=sv|en
// (default: the customer's language, else the supplier's). The same document the payer downloads
// and reminders carry. Another supplier's invoice answers exactly like an unknown one.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApiKey } from "~/api/auth.server";
import { invoicePdfQuerySchema } from "~/api/invoice-schemas";
import { methodNotAllowed, notFound, validationProblem } from "~/api/problem.server";
import { invoicePdfForSupplier, invoicePdfResponse } from "~/services/invoice-pdf.server";

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
  const pdf = await invoicePdfForSupplier(context.app.db, {
    supplierId: caller.supplierId,
    invoiceId: params.id ?? "",
    ...(query.data.lang ? { locale: query.data.lang } : {}),
  });
  return pdf ? invoicePdfResponse(pdf) : notFound("Invoice");
}

export function action() {
  return methodNotAllowed(["GET"]);
}

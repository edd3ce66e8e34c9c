// A supplier with an API key, the starting point of most integration tests. Two ways in, as the
// tests need: straight into the tables (nothing else written), or through the operator's use case
// (settings validated as the API reads them, `supplier.created` and `api_key.created` on the
// timeline), for tests that read the supplier's events or settings back.
import type { Db } from "../../db/client";
import { createApiKey } from "~/api/db/api-keys.server";
import { createSupplier, type Supplier, type SupplierChanges } from "~/features/suppliers/db/suppliers.server";
import { createSupplierWithApiKey, OPERATOR } from "~/features/suppliers/suppliers.server";

export type NewSupplierOptions =
  | {
      name?: string;
      audited?: false;
      /** Further columns: bankgiro, timeZone, language… */
      columns?: Omit<SupplierChanges, "name">;
    }
  | {
      name?: string;
      audited: true;
      /** Settings as the API and the CLI take them (`org_number`, `brand_color`…). */
      settings?: Record<string, unknown>;
    };

export type NewSupplier = {
  supplier: Supplier;
  supplierId: string;
  apiKeyId: string;
  /** The API key itself, and the headers that send it. */
  key: string;
  headers: { authorization: string };
};

export const DEFAULT_SUPPLIER_NAME = "Leverantör AB";

export async function newSupplier(db: Db, options: NewSupplierOptions = {}): Promise<NewSupplier> {
  const name = options.name ?? DEFAULT_SUPPLIER_NAME;
  if (options.audited) {
    const result = await createSupplierWithApiKey(db, { name, ...options.settings }, OPERATOR);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    return issued(result.supplier, result.apiKey);
  }
  const supplier = await createSupplier(db, { ...options.columns, name });
  return issued(supplier, await createApiKey(db, supplier.id));
}

function issued(supplier: Supplier, apiKey: { id: string; key: string }): NewSupplier {
  return {
    supplier,
    supplierId: supplier.id,
    apiKeyId: apiKey.id,
    key: apiKey.key,
    headers: { authorization: `Bearer ${apiKey.key}` },
  };
}

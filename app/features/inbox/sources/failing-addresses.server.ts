// Billing addresses that bounced or complained (features/emails: suppressions, from Resend's
// events). The source id is the address; once the suppression is lifted the item shows so.
import { suppressionsByAddresses } from "../db/source-rows.server";
import type { InboxSource } from "./source";

export const failingAddressSource: InboxSource = {
  kinds: ["failing_address"],
  async describe(db, supplierId, addresses) {
    const rows = new Map((await suppressionsByAddresses(db, supplierId, addresses)).map((row) => [row.address, row]));
    return new Map(
      addresses.map((address) => {
        const row = rows.get(address);
        return [address, { type: "failing_address", address, reason: row?.reason ?? null, detail: row?.detail ?? null, lifted: !row }];
      }),
    );
  },
};

// A use case's refusal on a console page reads in the clerk's language: a Swedish clerk sending an
// invoice whose customer has no billing contact reads why in Swedish; an English one in English.
import { describe, expect, it } from "vitest";
import * as pageRoute from "~/routes/app.invoices.$id";
import { updateUser } from "~/features/console/db/users.server";
import { useTestDatabase } from "../../support/database";
import { testContext, testConfig } from "../../support/context";
import { createInvoiceWithLink, createSupplierWithCustomer } from "../../support/fixtures";
import { newConsoleUser, postForm, signedInCookie } from "../../support/console";

const database = useTestDatabase();
const db = () => database.get().db;
const context = () => testContext(database.get());

describe("refusals in the clerk's language", () => {
  it("a Swedish clerk reads the send refusal in Swedish, an English one in English", async () => {
    const owner = await createSupplierWithCustomer(db());
    const { invoice } = await createInvoiceWithLink(db(), testConfig(), owner);
    const detailFor = async (language: "sv" | "en") => {
      const clerk = await newConsoleUser(db(), owner.supplier.id, "member");
      await updateUser(db(), clerk.user.id, { language }, new Date());
      const response = await postForm(pageRoute, context(), `/app/invoices/${invoice.id}`, { intent: "send" }, {
        cookie: await signedInCookie(db(), clerk.user.id, owner.supplier.id), params: { id: invoice.id },
      });
      expect(response.status).toBe(422);
      return ((await response.json()) as { problem: { detail: string } }).problem.detail;
    };
    expect(await detailFor("sv")).toBe("Kunden har ingen fakturakontakt med e-postadress: lägg till en först.");
    expect(await detailFor("en")).toBe("The customer has no billing contact with an email address: add one first.");
  });
});

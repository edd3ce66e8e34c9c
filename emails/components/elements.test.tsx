import { describe, expect, it } from "vitest";
import { render } from "@react-email/render";
import { Fact, Facts } from "./elements";

describe("Facts", () => {
  it("renders the same lines as one Fact per row, in order, labelled in the language, skipping rows without a value", async () => {
    const facts = await render(
      <Facts
        locale="en"
        rows={[
          ["email.label.invoice", "2026-1001"],
          ["email.label.delivery", null],
          ["email.label.lines", ""],
          ["email.label.reason", <strong key="reason">Damaged</strong>],
        ]}
      />,
    );
    const separate = await render(
      <>
        <Fact label="Invoice" value="2026-1001" />
        <Fact label="Reason" value={<strong>Damaged</strong>} />
      </>,
    );
    expect(facts).toBe(separate);
    expect(await render(<Facts locale="sv" rows={[["email.label.invoice", "2026-1001"]]} />, { plainText: true })).toContain("Faktura: 2026-1001");
  });
});

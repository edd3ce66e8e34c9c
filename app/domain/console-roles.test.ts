import { describe, expect, it } from "vitest";
import { can, CONSOLE_ROLES, isConsoleRole, PERMISSIONS, type Permission } from "./console-roles";

describe("console roles (security C7)", () => {
  it.each([
    ["owner", "team.manage", true],
    ["owner", "keys.manage", true],
    ["admin", "team.manage", false],
    ["admin", "keys.manage", false],
    ["admin", "payments.accounts", false],
    ["admin", "settings.edit", true],
    ["member", "invoices.work", true],
    ["member", "customers.edit", true],
    ["member", "settings.read", false],
    ["sales", "customers.read", true],
    ["sales", "invoices.read", true],
    ["sales", "team.read", true],
  ] as const)("%s may %s: %s", (role, permission, allowed) => {
    expect(can(role, permission)).toBe(allowed);
  });

  it("sales changes nothing: it holds only read permissions and its own account", () => {
    const salesMay = (Object.keys(PERMISSIONS) as Permission[]).filter((permission) => can("sales", permission));
    expect(salesMay.every((permission) => permission.endsWith(".read") || permission === "console.use")).toBe(true);
  });

  it("the owner may do everything", () => {
    for (const permission of Object.keys(PERMISSIONS) as Permission[]) expect(can("owner", permission)).toBe(true);
  });

  it("knows exactly the four roles", () => {
    expect(CONSOLE_ROLES.filter(isConsoleRole)).toHaveLength(4);
    expect(isConsoleRole("root")).toBe(false);
  });
});

// Console users (`npm run cli -- user:create`): the first owner of a supplier gets a one-time
// sign-in link printed here (valid 7 days, once); owners invite everyone else from the console.
import { CONSOLE_ROLES, isConsoleRole } from "~/domain/console-roles";
import { createUserWithLink } from "~/features/console/users.server";
import { cliConfig, CliError, EXIT, fail, jsonOption, noSupplier, print, type Command } from "./support";

export const USER_COMMANDS: Record<string, Command> = {
  "user:create": {
    args: [],
    options: { supplier: { type: "string" }, email: { type: "string" }, role: { type: "string" }, ...jsonOption },
    usage: `user:create --supplier <supplier_id> --email <address> --role ${CONSOLE_ROLES.join("|")} [--json]   (prints a one-time sign-in link)`,
    check: (values) => {
      if (typeof values.supplier !== "string" || typeof values.email !== "string") throw new CliError("user:create needs --supplier and --email", EXIT.usage);
      if (!isConsoleRole(values.role)) throw new CliError(`user:create needs --role ${CONSOLE_ROLES.join("|")}`, EXIT.usage);
    },
    run: async (db, values) => {
      const supplierId = values.supplier as string;
      const result = await createUserWithLink(db, cliConfig(), {
        supplierId, email: values.email as string, role: values.role as (typeof CONSOLE_ROLES)[number], now: new Date(),
      });
      if (!result.ok) return result.reason === "no_supplier" ? noSupplier(supplierId) : fail(`--email: not a valid email address`);
      if (values.json) return print({ user_id: result.userId, sign_in_url: result.url });
      console.log(`User ${result.userId} is ${values.role as string} at ${supplierId}.`);
      console.log(`One-time sign-in link (valid 7 days, works once; it leads to choosing a password):\n${result.url}`);
      return EXIT.ok;
    },
  },
};

// Switching the console to another supplier the user works for. The role changes with it, so the
// session is replaced (security C4: rotated at every privilege change); any other id is a 404.
import type { ActionFunctionArgs } from "@remix-run/node";
import { consoleRoute, field } from "~/features/console/console-route.server";
import { switchSupplier } from "~/features/console/switch-supplier.server";
import { withSession } from "~/features/console/sign-in-page.server";

const route = consoleRoute({
  permission: "console.use",
  allowWithoutTotp: true,
  intents: {
    switch: {
      permission: "console.use",
      run: async (call, form) => {
        const token = await switchSupplier(call.app.db, call, field(form, "supplier_id"));
        if (!token) throw new Response(null, { status: 404 });
        return withSession(call.app.config, token, "/app");
      },
    },
  },
});

export const action = (args: ActionFunctionArgs) => route.action(args);

// Signing out ends the session's row, not just the cookie (security C4): a copy of the cookie
// is worthless afterwards. POST only; a GET (a prefetch, a scanner) signs nobody out.
import type { ActionFunctionArgs } from "@remix-run/node";
import { publicPage, refuseCrossSite, signOut } from "~/features/console/sign-in-page.server";

export async function action({ request, context }: ActionFunctionArgs) {
  refuseCrossSite(request, context);
  return signOut(request, context, publicPage(request, context).now, "/app/sign-in");
}

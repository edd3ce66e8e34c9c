// A minimal Remix page with one database round trip: the baseline of `npm run bench:portal`.
// It exists only when BENCH_ROUTES=true.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";

export async function loader({ context }: LoaderFunctionArgs) {
  if (!context.app.config.benchRoutes) throw new Response(null, { status: 404 });
  return { ready: await context.app.isDatabaseReady(), locale: "en" as const };
}

export default function BareRoute() {
  const { ready } = useLoaderData<typeof loader>();
  return (
    <main className="page">
      <h1>Bare route</h1>
      <p>{ready ? "database ready" : "database unavailable"}</p>
    </main>
  );
}

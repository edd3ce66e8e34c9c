// `npm run dev` (inside server/run.ts, so DATABASE_URL is set and migrated): start a local test
// Stripe (unless STRIPE_API_URL names one), seed the demo data, print how to use it, then hand
// over to `remix dev`, which rebuilds and restarts the server.
import { spawn } from "node:child_process";
import { loadConfigOrExit, openServices } from "./boot";
import { startFakeStripe } from "./fakes/stripe";
import { seedDemo, printDemo } from "../db/seed";

// The demo pays by card offline: the fake's hosted page stands in for Stripe Checkout.
const fakeStripe = process.env.STRIPE_API_URL ? null : await startFakeStripe();
if (fakeStripe) process.env.STRIPE_API_URL = fakeStripe.url;

const config = loadConfigOrExit();
const services = openServices(config);
const demo = await seedDemo(services);
await services.database.close();
if (fakeStripe && demo.stripe) {
  fakeStripe.addAccount(demo.stripe.secretKey, { webhookUrl: demo.stripe.webhookUrl, webhookSecret: demo.stripe.webhookSecret });
}
printDemo(demo, config);

const child = spawn(
  process.execPath,
  ["node_modules/@remix-run/dev/dist/cli.js", "dev", "-c", `${process.execPath} --import tsx server/index.ts`],
  { stdio: "inherit", env: process.env },
);
const forward = (signal: NodeJS.Signals) => child.kill(signal);
process.on("SIGINT", forward);
process.on("SIGTERM", forward);
child.on("exit", async (code) => {
  await fakeStripe?.close();
  process.exit(code ?? 0);
});

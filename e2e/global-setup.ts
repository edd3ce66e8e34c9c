// Starts the production build on a fresh database with the demo data, like a new user would
// see it after `npm run dev` (with its local test Stripe), and stops everything afterwards.
import { startFakeStripe } from "../server/fakes/stripe";
import { startProductionServer } from "../scripts/production-server";

export const SERVER_LOG = ".data/e2e-server.log";

export default async function globalSetup() {
  const stripe = await startFakeStripe();
  const server = await startProductionServer({ name: "e2e", logFile: SERVER_LOG, env: { STRIPE_API_URL: stripe.url } });
  const account = server.demo.stripe;
  if (!account) throw new Error("the demo seed made no Stripe account although STRIPE_API_URL was set");
  stripe.addAccount(account.secretKey, { webhookUrl: account.webhookUrl, webhookSecret: account.webhookSecret });
  process.env.E2E_BASE_URL = server.baseUrl;
  process.env.E2E_DATABASE_URL = server.databaseUrl;
  process.env.E2E_DEMO = JSON.stringify(server.demo);
  return async () => {
    await server.stop();
    await stripe.close();
  };
}

// Starts the production build on a fresh database with the demo data, like a new user would
// see it after `npm run dev` (with its local test Stripe, and a local Resend for its emails), and
// stops everything afterwards.
import { startFakeResend } from "../server/fakes/resend";
import { startFakeStripe } from "../server/fakes/stripe";
import { startProductionServer } from "../scripts/production-server";

export const SERVER_LOG = ".data/e2e-server.log";

export default async function globalSetup() {
  const stripe = await startFakeStripe();
  // Emails go out through the real Resend SDK to a local fake, where the tests read what payers got.
  const resend = await startFakeResend();
  const server = await startProductionServer({
    name: "e2e",
    logFile: SERVER_LOG,
    env: { STRIPE_API_URL: stripe.url, RESEND_API_KEY: "re_e2e_fake", RESEND_BASE_URL: resend.url, EMAIL_FROM: "Payer Portal <noreply@pay.example.test>" },
  });
  const account = server.demo.stripe;
  if (!account) throw new Error("the demo seed made no Stripe account although STRIPE_API_URL was set");
  stripe.addAccount(account.secretKey, { webhookUrl: account.webhookUrl, webhookSecret: account.webhookSecret });
  process.env.E2E_BASE_URL = server.baseUrl;
  process.env.E2E_DATABASE_URL = server.databaseUrl;
  process.env.E2E_DEMO = JSON.stringify(server.demo);
  process.env.E2E_RESEND_URL = resend.url;
  return async () => {
    await server.stop();
    await stripe.close();
    await resend.close();
  };
}

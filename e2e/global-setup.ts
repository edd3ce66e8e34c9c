// Starts the production build on a fresh database with the demo data, like a new user would
// see it after `npm run dev`, and stops everything afterwards.
import { startProductionServer } from "../scripts/production-server";

export const SERVER_LOG = ".data/e2e-server.log";

export default async function globalSetup() {
  const server = await startProductionServer({ name: "e2e", logFile: SERVER_LOG });
  process.env.E2E_BASE_URL = server.baseUrl;
  process.env.E2E_DATABASE_URL = server.databaseUrl;
  process.env.E2E_DEMO = JSON.stringify(server.demo);
  return server.stop;
}

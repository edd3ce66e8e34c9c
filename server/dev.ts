// `npm run dev` (inside server/run.ts, so DATABASE_URL is set and migrated): seed the demo
// data, print how to use it, then hand over to `remix dev`, which rebuilds and restarts the server.
import { spawn } from "node:child_process";
import { loadConfigOrExit, openServices } from "./boot";
import { seedDemo, printDemo } from "../db/seed";

const config = loadConfigOrExit();
const services = openServices(config);
const demo = await seedDemo(services);
await services.database.close();
printDemo(demo, config);

const child = spawn(
  process.execPath,
  ["node_modules/@remix-run/dev/dist/cli.js", "dev", "-c", `${process.execPath} --import tsx server/index.ts`],
  { stdio: "inherit", env: process.env },
);
const forward = (signal: NodeJS.Signals) => child.kill(signal);
process.on("SIGINT", forward);
process.on("SIGTERM", forward);
child.on("exit", (code) => process.exit(code ?? 0));

import { existsSync } from "node:fs";
import { chromium } from "@playwright/test";

export const CHROMIUM_HELP = `No Chromium found for the browser tests.
Install Debian's Chromium (as root):  apt-get update && apt-get install -y chromium
or point CHROMIUM_PATH at a Chromium/Chrome binary.
(Playwright's own download, \`npx playwright install\`, does not work on machines without internet.)`;

/** CHROMIUM_PATH, then Debian's /usr/bin/chromium, then Playwright's own browser if installed. */
export function findChromium(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"];
  for (const candidate of candidates) if (candidate && existsSync(candidate)) return candidate;
  const bundled = chromium.executablePath();
  return existsSync(bundled) ? bundled : undefined;
}

/** Flags for a root user on an offline machine (see stack notes). */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-sync",
  "--disable-quic",
];

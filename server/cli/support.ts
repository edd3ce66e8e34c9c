// What every group of CLI commands shares: exit codes, the command shape, output helpers, the
// progress bar, field errors and the server's configuration. server/cli/index.ts runs the commands.
import type { ParseArgsConfig } from "node:util";
import type { Db } from "../../db/client";
import type { FieldError } from "~/api/problem.server";
import { ConfigError, loadConfig, type Config } from "~/platform/config.server";
import { readOrCreateDevSecrets } from "../dev-secrets";

export const EXIT = { ok: 0, failed: 1, usage: 64, config: 78 } as const;

export class CliError extends Error {
  constructor(message: string, readonly exitCode: number) {
    super(message);
  }
}

export type Options = NonNullable<ParseArgsConfig["options"]>;
export type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;
export type Command = {
  args: string[];
  options: Options;
  usage: string;
  /** Usage checks that need no database. */
  check?: (values: Values) => void;
  run: (db: Db, values: Values, args: string[]) => Promise<number>;
};

export const jsonOption = { json: { type: "boolean" as const } };

export function print(value: unknown): number {
  console.log(JSON.stringify(value));
  return EXIT.ok;
}

export function fail(message: string): number {
  console.error(`error: ${message}`);
  return EXIT.failed;
}

export const noSupplier = (supplierId: string) => fail(`No supplier with id ${supplierId}`);

/**
 * Progress on stderr (stdout stays the report): a bar redrawn in place on a terminal, a plain
 * line every 10 % otherwise (CI logs), and nothing below `minTotal` (small files finish at once).
 */
export function progressReporter(unit = "invoices", minTotal?: { tty: number; log: number }) {
  const tty = process.stderr.isTTY;
  const threshold = minTotal ?? { tty: 50, log: 1000 };
  let drawn = 0;
  let lastStep = 0;
  return {
    update: (done: number, total: number) => {
      if (total < (tty ? threshold.tty : threshold.log)) return;
      if (!tty) {
        const step = Math.floor((done * 10) / total);
        if (step > lastStep) console.error(`… ${done}/${total} ${unit} (${step * 10} %)`);
        lastStep = step;
        return;
      }
      const now = Date.now();
      if (done < total && now - drawn < 100) return;
      drawn = now;
      const width = 30;
      const filled = Math.round((done / total) * width);
      process.stderr.write(`\r[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total} ${unit}`);
    },
    done: () => {
      if (tty && drawn > 0) process.stderr.write("\n");
    },
  };
}

/**
 * The server's configuration, for commands that encrypt credentials or build public URLs: the
 * same variables (and, in development, the same generated keys under DATA_DIR) as the server.
 */
export function cliConfig(): Config {
  const env = process.env;
  const needsGenerated = env.NODE_ENV !== "production" && (!env.CREDENTIALS_KEYS || !env.LINK_SIGNING_KEYS);
  try {
    return loadConfig(env, needsGenerated ? readOrCreateDevSecrets(env.DATA_DIR ?? ".data") : {});
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message, EXIT.config);
    throw error;
  }
}

/** Each field error on its own line, `field` named as the operator knows it, and that nothing changed. */
export function invalid(errors: FieldError[], nameOf: (field: string) => string = (field) => field): number {
  for (const error of errors) console.error(`error: ${nameOf(error.field)}: ${error.message}`);
  console.error("Nothing was changed.");
  return EXIT.failed;
}

// The operator CLI's commands: one module per group (suppliers and their API keys, console users,
// webhook endpoints, payment accounts, invoice import and PDFs, reminders, bank files and their unapplied payments, campaigns),
// each through the same services and validation as the API. `runCli` finds the command, checks its
// flags and runs it on the database, answering the exit code: 0 ok, 1 invalid or not found, 64
// usage, 78 config. `index.ts` is the process around it; tests call it in the test process.
import { parseArgs } from "node:util";
import { connect } from "../../db/client";
import { ensureDatabase, runMigrations } from "../../db/migrate";
import "../jobs"; // registers every job before the queue migrates, drains or runs them
import { BANK_FILE_COMMANDS } from "./bank-files";
import { CAMPAIGN_COMMANDS } from "./campaigns";
import { describe, resolveDatabase } from "./database";
import { INVOICE_COMMANDS, INVOICE_PDF_COMMANDS } from "./invoices";
import { PAYMENT_ACCOUNT_COMMANDS } from "./payment-accounts";
import { REMINDER_COMMANDS } from "./reminders";
import { SUPPLIER_COMMANDS } from "./suppliers";
import { CliError, EXIT, type Command, type Values } from "./support";
import { USER_COMMANDS } from "./users";
import { WEBHOOK_COMMANDS } from "./webhooks";
import { UNAPPLIED_PAYMENT_COMMANDS } from "./unapplied-payments";

/** In the order the usage text lists them. */
const COMMANDS: Record<string, Command> = {
  ...SUPPLIER_COMMANDS,
  ...USER_COMMANDS,
  ...WEBHOOK_COMMANDS,
  ...PAYMENT_ACCOUNT_COMMANDS,
  ...INVOICE_COMMANDS,
  ...INVOICE_PDF_COMMANDS,
  ...REMINDER_COMMANDS,
  ...BANK_FILE_COMMANDS,
  ...UNAPPLIED_PAYMENT_COMMANDS,
  ...CAMPAIGN_COMMANDS,
};

const USAGE = [
  "Usage: npm run cli -- <command> [options]",
  "",
  "Commands:",
  ...Object.values(COMMANDS).map((command) => `  ${command.usage}`),
  "  help",
  "",
  "Uses DATABASE_URL; without it, the embedded PostgreSQL of `npm run dev` (DATA_DIR/pg).",
  "Exit codes: 0 ok, 1 invalid input or not found, 64 usage error, 78 configuration error.",
].join("\n");

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === "help" || name === "--help" || name === "-h") {
    console.log(USAGE);
    return EXIT.ok;
  }
  const command = name === undefined ? undefined : COMMANDS[name];
  if (!command) {
    console.error(name === undefined ? "error: no command given" : `error: unknown command "${name}"`);
    console.error(USAGE);
    return EXIT.usage;
  }
  let values: Values;
  let args: string[];
  try {
    ({ values, positionals: args } = parseArgs({ args: rest, options: command.options, strict: true, allowPositionals: true }));
  } catch (error) {
    throw new CliError(`${(error as Error).message.split("\n")[0]}\nusage: ${command.usage}`, EXIT.usage);
  }
  if (args.length !== command.args.length) {
    const expected = command.args.length === 0 ? "no arguments" : command.args.map((arg) => `<${arg}>`).join(" ");
    throw new CliError(`${name} takes ${expected}, got ${args.length}\nusage: ${command.usage}`, EXIT.usage);
  }
  command.check?.(values);

  const { url, embedded } = await resolveDatabase();
  try {
    try {
      await ensureDatabase(url);
      await runMigrations(url);
    } catch (error) {
      throw new CliError(`Cannot use the database at ${describe(url)}: ${(error as Error).message}`, EXIT.config);
    }
    const database = connect(url, { max: 2 });
    try {
      return await command.run(database.db, values, args);
    } finally {
      await database.close();
    }
  } finally {
    await embedded?.stop();
  }
}

/** Runs one command line (without `node` and the script), printing as the CLI does; the exit code. */
export async function runCli(argv: string[]): Promise<number> {
  try {
    return await main(argv);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    console.error(`error: ${error.message}`);
    return error.exitCode;
  }
}

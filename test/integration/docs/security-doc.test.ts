// docs/security.md stays true as code and tests move: every rule a comment cites is in it, and every
// test it names as proof still exists under that name in that file.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const DOC = readFileSync(path.join(ROOT, "docs/security.md"), "utf8");
const SOURCE_DIRS = ["app", "server", "db", "emails", "test", "e2e"];

/** The codes the document defines: a `### L1 — …` heading or a `| C1 |` table row. */
const defined = new Set([...DOC.matchAll(/^(?:### |\| )([LPJDCR]\d+)\b/gm)].map((match) => match[1]));

/** `- \`path\` › "test name"; "another"` lines, with the quoted names and `backticked` blocks they list. */
function proofs(): { file: string; name: string }[] {
  const listed: { file: string; name: string }[] = [];
  for (const line of DOC.split("\n")) {
    const match = /^- `([^`]+)` › (.*)$/.exec(line);
    if (!match) continue;
    const [, file, rest] = match as unknown as [string, string, string];
    for (const quoted of rest.matchAll(/"([^"]+)"/g)) listed.push({ file, name: quoted[1]! });
    const unquoted = rest.replace(/"[^"]+"/g, "").replace(/\([^)]*\)/g, "");
    for (const ticked of unquoted.matchAll(/`([^`]+)`/g)) listed.push({ file, name: ticked[1]! });
  }
  return listed;
}

function sourceFiles(): string[] {
  return SOURCE_DIRS.flatMap((dir) =>
    readdirSync(path.join(ROOT, dir), { recursive: true, encoding: "utf8" })
      .filter((file) => /\.(ts|tsx)$/.test(file) && !file.includes("node_modules"))
      .map((file) => path.join(dir, file)),
  );
}

/** Rule codes in comments: after `//`, or on a line of a block comment. */
function citedCodes(): Map<string, string> {
  const cited = new Map<string, string>();
  for (const file of sourceFiles()) {
    readFileSync(path.join(ROOT, file), "utf8").split("\n").forEach((line, index) => {
      const comment = /^\s*(?:\/\*|\*)(.*)$/.exec(line)?.[1] ?? /\/\/(.*)$/.exec(line)?.[1];
      for (const code of comment?.match(/\b[LPJDCR]\d+\b/g) ?? []) cited.set(code, `${file}:${index + 1}`);
    });
  }
  return cited;
}

describe("docs/security.md", () => {
  it("defines every rule code a comment cites", () => {
    const missing = [...citedCodes()].filter(([code]) => !defined.has(code)).map(([code, where]) => `${code} (${where})`);
    expect(missing).toEqual([]);
  });

  it("names as proof only tests that exist, under those names", () => {
    const listed = proofs();
    expect(listed.length).toBeGreaterThan(100);
    const stale = listed.filter(({ file, name }) => {
      try {
        return !readFileSync(path.join(ROOT, file), "utf8").includes(name);
      } catch {
        return true;
      }
    });
    expect(stale).toEqual([]);
  });
});

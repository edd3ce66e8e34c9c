// `npx tsx bench/profile-summary.ts <file.cpuprofile> [top]`: a V8 CPU profile (node --cpu-prof,
// or BENCH_PROFILE=1 on a benchmark) as text: the functions with the most self time, and the
// same time summed by package / source file, so "what bounds it" can be read without a GUI.
import { readFileSync } from "node:fs";

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] };
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error("usage: tsx bench/profile-summary.ts <file.cpuprofile> [top]");
  process.exit(64);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfUs = new Map<number, number>();
profile.samples.forEach((id, index) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
const total = [...selfUs.values()].reduce((sum, us) => sum + us, 0);

/** Where a frame comes from: the package under node_modules, node's own code, or our file. */
function origin(url: string): string {
  if (url === "") return "(native / V8)";
  const module = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (module) return module[1]!;
  if (url.startsWith("node:")) return url;
  return url.replace(/^file:\/\/.*?\/(app|build|server|db|bench)\//, "$1/");
}

const functions = new Map<string, number>();
const origins = new Map<string, number>();
for (const [id, us] of selfUs) {
  const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
  const name = `${functionName || "(anonymous)"} ${origin(url)}:${lineNumber + 1}`;
  functions.set(name, (functions.get(name) ?? 0) + us);
  origins.set(origin(url), (origins.get(origin(url)) ?? 0) + us);
}
const table = (map: Map<string, number>) =>
  [...map].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, us]) => ({ "self ms": Math.round(us / 1000), "%": ((us / total) * 100).toFixed(1), name }));
console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled`);
console.log("\nby function (self time)");
console.table(table(functions));
console.log("\nby package / file (self time)");
console.table(table(origins));

// The longest stretches without an idle sample: what held the event loop (a /healthz waited that long).
const idleIds = new Set(profile.nodes.filter((node) => node.callFrame.functionName === "(idle)").map((node) => node.id));
type Stretch = { startMs: number; ms: number; frames: Map<string, number> };
const stretches: Stretch[] = [];
let current: Stretch | undefined;
let clock = 0;
/** The innermost frame of ours (app/, server/, build/) on a sample's stack, else its top frame. */
const parents = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
function ownFrame(id: number): string {
  const top = byId.get(id)!.callFrame;
  for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
    const { functionName, url } = byId.get(at)!.callFrame;
    if (/\/(app|server|build)\//.test(url) && !url.includes("node_modules")) return `${functionName || "(anonymous)"} ${origin(url)} (top: ${top.functionName || "(anonymous)"} ${origin(top.url)})`;
  }
  return `${top.functionName || "(anonymous)"} ${origin(top.url)}`;
}
profile.samples.forEach((id, index) => {
  clock += profile.timeDeltas[index] ?? 0;
  if (idleIds.has(id)) {
    if (current) stretches.push(current);
    current = undefined;
    return;
  }
  current ??= { startMs: clock / 1000, ms: 0, frames: new Map() };
  const delta = (profile.timeDeltas[index + 1] ?? 0) / 1000;
  current.ms += delta;
  const frame = ownFrame(id);
  current.frames.set(frame, (current.frames.get(frame) ?? 0) + delta);
});
console.log("\nlongest busy stretches (no idle sample): when, how long, the frames of ours they were spent in");
for (const stretch of stretches.sort((a, b) => b.ms - a.ms).slice(0, Number(process.env.STRETCHES ?? 5))) {
  console.log(`at ${(stretch.startMs / 1000).toFixed(1)} s: ${stretch.ms.toFixed(0)} ms`);
  for (const [frame, ms] of [...stretch.frames].sort((a, b) => b[1] - a[1]).slice(0, 6)) console.log(`    ${ms.toFixed(0)} ms  ${frame}`);
}

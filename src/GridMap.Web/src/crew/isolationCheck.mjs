// Runs the TypeScript isolation port (isolation.ts) against plans the C# engine computed on the same network:
//   node src/crew/isolationCheck.mjs FIXTURE.json
// FIXTURE: { "topology": <gridmap-topology/1>, "cases": [{ "pipe", "inoperable": [valve ids], "along"?: metres, "plan": <engine plan> }] }
// Engine plans give each list as "count:FNV-1a" of its ids joined by commas (consumers as graph ids: "17" is the
// supply side of compound 17, "17:return" its return side); this script digests its own lists the same way.
// Prints a JSON summary; exit code 1 when any plan differs. Used by tests/GridMap.Api.Tests (NetworkApiTests).
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, basename } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const here = dirname(fileURLToPath(import.meta.url));
// --engine FILE: another isolation.ts (an A/B against an earlier version in the same run).
const engineArg = process.argv.indexOf('--engine');
const enginePath = engineArg > 0 ? process.argv[engineArg + 1] : join(here, 'isolation.ts');
// The engine and the modules it imports from beside it ('./isolationGraph'), each transpiled to NAME.mjs in a temporary
// folder with its relative imports pointed at those files (type-only imports vanish in the transpiling).
const dir = mkdtempSync(join(tmpdir(), 'gridmap-isolation-'));
const done = new Set();
function transpile(path) {
  const name = basename(path, '.ts');
  if (done.has(name)) return;
  done.add(name);
  const js = ts.transpileModule(readFileSync(path, 'utf8'), { compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 } }).outputText;
  const siblings = [];
  const out = js.replace(/(from\s+['"])\.\/([\w.-]+)(['"])/g, (_, pre, dep, post) => { siblings.push(dep); return `${pre}./${dep}.mjs${post}`; });
  writeFileSync(join(dir, `${name}.mjs`), out);
  for (const dep of siblings) transpile(join(dirname(path), `${dep}.ts`));
}
transpile(enginePath);
const { OfflinePlanner } = await import(pathToFileURL(join(dir, `${basename(enginePath, '.ts')}.mjs`)).href);
rmSync(dir, { recursive: true, force: true });

const fixture = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const t0 = performance.now();
const planner = new OfflinePlanner(fixture.topology);
const buildMs = performance.now() - t0;
const t = fixture.topology;
const consumerId = (c) => `${t.consumers.compound[c]}${t.consumers.return[c] ? ':return' : ''}`;
function digest(ids) {
  const text = ids.join(',');
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return `${ids.length}:${h.toString(16).padStart(8, '0')}`;
}
// --rounds N: re-plan the broken-valve cases N more times after the checked pass (timing only; a warm engine, as on a
// phone that re-plans a few times at one burst). CPU per re-plan is process CPU time (user + system) / re-plans.
const roundsArg = process.argv.indexOf('--rounds');
const rounds = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 0;
const fields = ['segment_pipes', 'valves_to_close', 'valves_to_close_min', 'valves_already_closed', 'cut_off_pipes'];
const mismatches = [];
const times = [];
const replanTimes = [];
for (const c of fixture.cases) {
  const s = performance.now();
  const p = planner.enginePlan(c.pipe, c.inoperable, c.along ?? undefined);
  (c.inoperable.length ? replanTimes : times).push(performance.now() - s);
  const diffs = [];
  for (const f of fields) if (digest(p[f]) !== c.plan[f]) diffs.push(f);
  if (digest(p.affected_consumers.map(consumerId)) !== c.plan.affected_consumers) diffs.push('affected_consumers');
  if (p.affected_households !== c.plan.affected_households) diffs.push('affected_households');
  if (p.beyond_package) diffs.push('beyond_package');
  if (diffs.length) mismatches.push({ pipe: c.pipe, inoperable: c.inoperable, along: c.along, fields: diffs });
}
const firstReplan = [...replanTimes].sort((a, b) => a - b);
const replanCases = fixture.cases.filter((c) => c.inoperable.length > 0);
let cpuMicros = 0;
let cpuCount = 0;
for (let r = 0; r < rounds; r++) {
  for (const c of replanCases) {
    const cpu0 = process.cpuUsage();
    const s = performance.now();
    planner.enginePlan(c.pipe, c.inoperable, c.along ?? undefined);
    replanTimes.push(performance.now() - s);
    const d = process.cpuUsage(cpu0);
    cpuMicros += d.user + d.system;
    cpuCount++;
  }
}
times.sort((a, b) => a - b);
replanTimes.sort((a, b) => a - b);
const summary = {
  cases: fixture.cases.length,
  with_inoperable: fixture.cases.filter((c) => c.inoperable.length > 0).length,
  at_position: fixture.cases.filter((c) => c.along != null).length,
  mismatches: mismatches.length,
  first_mismatches: mismatches.slice(0, 10),
  index_build_ms: Math.round(buildMs),
  median_plan_ms: times.length ? Math.round(times[times.length >> 1] * 100) / 100 : 0,
  median_replan_ms: replanTimes.length ? Math.round(replanTimes[replanTimes.length >> 1] * 100) / 100 : 0,
  p95_replan_ms: replanTimes.length ? Math.round(replanTimes[Math.floor(replanTimes.length * 0.95)] * 100) / 100 : 0,
  first_pass_median_replan_ms: firstReplan.length ? Math.round(firstReplan[firstReplan.length >> 1] * 100) / 100 : 0,
  rounds,
  cpu_per_replan_ms: cpuCount ? Math.round((cpuMicros / cpuCount / 1000) * 100) / 100 : null,
};
console.log(JSON.stringify(summary));
process.exit(mismatches.length ? 1 : 0);

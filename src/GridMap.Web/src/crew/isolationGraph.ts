// The topology package (gridmap-topology/1) and the lookups and building blocks the offline isolation planner
// (isolation.ts) builds its segment index from: union-find, compressed rows, label merging, the id → index maps.
// Like isolation.ts, free of DOM and OpenLayers imports: node runs both (isolationCheck.mjs).

export interface Topology {
  format: 'gridmap-topology/1';
  version: number;
  snap_tolerance_m: number;
  node_count: number;
  pipes: { id: number[]; closed: number[]; device: number[] };
  /** kind: 0 reportable piece, 1 zero-length stub piece, 2 valve, 3 station (from = primary side). */
  /** length: piece length where a pipe has several reportable pieces (else 0); end: where a piece ends along its pipe (m). */
  edges: { kind: number[]; from: number[]; to: number[]; pipe: number[]; ref: number[]; length: number[]; end: number[] };
  valves: { id: number[]; closed: number[]; operable: number[]; edge: number[]; lon: number[]; lat: number[] };
  sources: { id: string[]; node: number[] };
  consumers: { compound: number[]; return: number[]; node: number[]; households: number[] };
  compounds: { id: number[]; name: string[]; households: number[] };
  /** Present on an area package (AreaTopology on the server): nodes from detailed_nodes on each stand for a supply
   * zone outside the package. A segment holding one of them is beyond what the package can plan. */
  area?: { bbox: number[]; detailed_nodes: number; pipes_in_area: number; rings: number; city_pipes: number; partial_pipes: number[] };
}

export const PIECE = 0;
export const STUB = 1;
export const VALVE = 2;
export const STATION = 3;

export class UnionFind {
  private readonly parent: Int32Array;
  private readonly rank: Uint8Array;
  constructor(n: number) {
    this.parent = new Int32Array(n);
    this.rank = new Uint8Array(n);
    for (let i = 0; i < n; i++) this.parent[i] = i;
  }
  find(x: number): number {
    const p = this.parent;
    while (p[x] !== x) {
      p[x] = p[p[x]];
      x = p[x];
    }
    return x;
  }
  union(a: number, b: number): void {
    a = this.find(a);
    b = this.find(b);
    if (a === b) return;
    if (this.rank[a] < this.rank[b]) [a, b] = [b, a];
    this.parent[b] = a;
    if (this.rank[a] === this.rank[b]) this.rank[a]++;
  }
  /** Labels 0..count-1 in order of each class's lowest node. */
  labels(): { label: Int32Array; count: number } {
    const n = this.parent.length;
    const label = new Int32Array(n);
    const rootLabel = new Int32Array(n).fill(-1);
    let count = 0;
    for (let i = 0; i < n; i++) {
      const r = this.find(i);
      if (rootLabel[r] < 0) rootLabel[r] = count++;
      label[i] = rootLabel[r];
    }
    return { label, count };
  }
}

/** Compressed lists: items of key k are items[start[k] .. start[k+1]). */
export interface Csr {
  start: Int32Array;
  items: Int32Array;
}

export function csr(count: number, keys: number[], items: number[]): Csr {
  const start = new Int32Array(count + 1);
  for (const k of keys) start[k + 1]++;
  for (let i = 0; i < count; i++) start[i + 1] += start[i];
  const out = new Int32Array(items.length);
  const fill = start.slice();
  for (let i = 0; i < keys.length; i++) out[fill[keys[i]]++] = items[i];
  return { start, items: out };
}

/**
 * Merges base labels pairwise (`pairs`: a0, b0, a1, b1, …) by a union-find over the touched labels only (a few per
 * broken valve), so a re-plan costs nothing proportional to the graph here: `rep` is `identity` copied (one memcpy) with
 * each merged label pointing at the smallest label of its set; `members` lists each merged set (sorted) under that
 * representative, and `hasMembers` flags those representatives (a typed-array test instead of a Map lookup per unit in
 * the supply walk).
 */
export function mergeLabels(pairs: number[], identity: Int32Array): { rep: Int32Array; members: Map<number, number[]>; hasMembers: Uint8Array; merged: number } {
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    let r = x;
    for (let p = parent.get(r); p !== undefined && p !== r; p = parent.get(r)) r = p;
    while (x !== r) {
      const next = parent.get(x)!;
      parent.set(x, r);
      x = next;
    }
    return r;
  };
  for (let i = 0; i < pairs.length; i += 2) {
    const a = find(pairs[i]);
    const b = find(pairs[i + 1]);
    if (!parent.has(a)) parent.set(a, a);
    if (!parent.has(b)) parent.set(b, b);
    if (a !== b) parent.set(Math.max(a, b), Math.min(a, b));
  }
  const byRoot = new Map<number, number[]>();
  for (const x of parent.keys()) {
    const r = find(x);
    let list = byRoot.get(r);
    if (!list) byRoot.set(r, (list = []));
    list.push(x);
  }
  const rep = identity.slice();
  const members = new Map<number, number[]>();
  const hasMembers = new Uint8Array(identity.length);
  let merged = 0;
  for (const list of byRoot.values()) {
    if (list.length < 2) continue;
    list.sort((a, b) => a - b);
    const smallest = list[0];
    for (const x of list) rep[x] = smallest;
    members.set(smallest, list);
    hasMembers[smallest] = 1;
    merged += list.length - 1;
  }
  return { rep, members, hasMembers, merged };
}

export const identityOf = (n: number): Int32Array => {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
};

/** Lookups that do not depend on the valve conditions: build once per topology. */
export class TopologyIndex {
  readonly pipeIndexById = new Map<number, number>();
  readonly valveIndexById = new Map<number, number>();
  readonly compoundById = new Map<number, { name: string; households: number }>();
  /** Edges of each pipe, in order along it. */
  readonly pipeEdges: number[][];
  /** Area package: pipes only partly in it (never listed as cut off). */
  readonly partialPipes: ReadonlySet<number>;

  constructor(readonly t: Topology) {
    if (t.format !== 'gridmap-topology/1') throw new Error(`未知的拓扑格式 ${String(t.format)}`);
    t.pipes.id.forEach((id, i) => this.pipeIndexById.set(id, i));
    t.valves.id.forEach((id, i) => this.valveIndexById.set(id, i));
    t.compounds.id.forEach((id, i) => this.compoundById.set(id, { name: t.compounds.name[i], households: t.compounds.households[i] }));
    this.partialPipes = new Set(t.area?.partial_pipes ?? []);
    this.pipeEdges = t.pipes.id.map(() => []);
    const e = t.edges;
    for (let k = 0; k < e.kind.length; k++) if (e.pipe[k] >= 0) this.pipeEdges[e.pipe[k]].push(k);
  }

  private queue = new Int32Array(0);
  /** A reusable queue for the supply walk (plans run one at a time; nothing of it outlives a plan). */
  scratchQueue(n: number): Int32Array {
    if (this.queue.length < n) this.queue = new Int32Array(n);
    return this.queue;
  }

  pipeIndex(id: number): number {
    const i = this.pipeIndexById.get(id);
    if (i === undefined) throw new Error(`离线数据中没有管段 ${id}`);
    return i;
  }

  valveIndex(id: number): number {
    const i = this.valveIndexById.get(id);
    if (i === undefined) throw new Error(`离线数据中没有阀门 ${id}`);
    return i;
  }
}

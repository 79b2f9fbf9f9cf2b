// Offline isolation plans: a port of the engine's SegmentIndex + IsolationTracer (src/GridMap.Domain/Network)
// over the topology package the server exports (/api/network/topology, format gridmap-topology/1).
// It must give EXACTLY the engine's plans: tests/GridMap.Api.Tests runs it with node against plans the C# engine
// computed on the same graph (every pipe, with and without broken valves). Keep this file and isolationGraph.ts (the
// topology package, union-find, compressed rows) free of DOM and OpenLayers imports so node can run them.
//
// The rules (from SegmentIndex / IsolationTracer):
// 1. A valve bounds segments when it is on a pipe and operable (not broken, not marked broken) or normally closed.
//    An open inoperable valve conducts like a pipe.
// 2. Segments: components of nodes joined by every pipe piece (open or closed) and every conducting valve.
//    Stations never join their sides.
// 3. Supply units: components joined by open pieces and conducting valves. Unit graph: open bounding valves link
//    both ways, stations link primary → secondary only. Units reachable from a source unit are supplied.
// 4. Isolating pipe P: R = the segment of P's longest reportable piece (first on ties); with a known burst position
//    (IsolateAt) R = the segment of the first non-stub piece of P ending at or after it. Boundary = bounding valves
//    of R with the other side outside R: closed ones are "already closed", open ones "to close". Walk the unit
//    graph from source units outside R without entering R; "to close (min)" = valves whose far side was reached.
//    Cut off = units supplied before, outside R, not reached: their open reportable pieces' pipes are cut-off
//    pipes, their consumers (and consumers in R) are affected. Every list is sorted by input index.

import { csr, identityOf, mergeLabels, PIECE, STATION, STUB, TopologyIndex, UnionFind, VALVE, type Csr, type Topology } from './isolationGraph';

export type { Topology } from './isolationGraph';

/** The engine's plan (IsolationPlan), with database ids; lists in input order. */
export interface EnginePlan {
  pipe: number;
  segment_pipes: number[];
  valves_to_close: number[];
  valves_to_close_min: number[];
  valves_already_closed: number[];
  cut_off_pipes: number[];
  /** Consumer indices (a compound appears once per flow). */
  affected_consumers: number[];
  /** Sum over affected consumers, as the engine counts it (a compound cut on both flows counts twice). */
  affected_households: number;
  /** Area package only: the isolated segment reaches past the package's detailed part (broken valves at its edge);
   * the lists are then not the server's. */
  beyond_package: boolean;
}

/** SegmentIndex for one set of extra inoperable valves (indices). */
export class SegmentIndex {
  readonly nodeSegment: Int32Array;
  readonly nodeUnit: Int32Array;
  readonly unitSegment: Int32Array;
  readonly valveBounds: Uint8Array;
  readonly unitSupplied: Uint8Array;
  readonly sourceUnits: number[];
  readonly unitAdj: Csr;
  readonly segPieces: Csr;
  readonly segValves: Csr;
  readonly unitPieces: Csr;
  readonly unitConsumers: Csr;
  readonly segConsumers: Csr;
  readonly segmentCount: number;
  readonly unitCount: number;
  /** Size of the label ranges (base labels; a derived index leaves merged labels unused). */
  readonly segmentSlots: number;
  readonly unitSlots: number;
  /** The extra inoperable valves (indices) this index was made for. */
  private extra: Set<number>;
  /** The valve each unit-graph link crosses (-1 for a station), parallel to unitAdj.items. */
  readonly unitAdjValve: Int32Array;

  constructor(
    readonly ix: TopologyIndex,
    extraInoperable: ReadonlySet<number> = new Set(),
  ) {
    const t = ix.t;
    const e = t.edges;
    const nodes = t.node_count;
    const edges = e.kind.length;
    const nv = t.valves.id.length;

    this.valveBounds = new Uint8Array(nv);
    for (let v = 0; v < nv; v++) {
      const operable = t.valves.operable[v] === 1 && !extraInoperable.has(v);
      this.valveBounds[v] = t.valves.edge[v] >= 0 && (operable || t.valves.closed[v] === 1) ? 1 : 0;
    }

    const seg = new UnionFind(nodes);
    const unit = new UnionFind(nodes);
    for (let k = 0; k < edges; k++) {
      const kind = e.kind[k];
      if (kind === PIECE || kind === STUB) {
        seg.union(e.from[k], e.to[k]);
        if (t.pipes.closed[e.pipe[k]] === 0) unit.union(e.from[k], e.to[k]);
      } else if (kind === VALVE && !this.valveBounds[e.ref[k]]) {
        seg.union(e.from[k], e.to[k]);
        unit.union(e.from[k], e.to[k]);
      }
    }
    const s = seg.labels();
    const u = unit.labels();
    this.nodeSegment = s.label;
    this.nodeUnit = u.label;
    this.segmentCount = this.segmentSlots = s.count;
    this.unitCount = this.unitSlots = u.count;
    this.extra = new Set(extraInoperable);
    this.segRep = identityOf(s.count);
    this.unitRep = identityOf(u.count);
    this.unitSegment = new Int32Array(u.count);
    for (let n = 0; n < nodes; n++) this.unitSegment[this.nodeUnit[n]] = this.nodeSegment[n];

    // Unit graph.
    const la: number[] = [];
    const lb: number[] = [];
    const lv: number[] = [];
    for (let k = 0; k < edges; k++) {
      if (e.kind[k] === VALVE) {
        const v = e.ref[k];
        if (this.valveBounds[v] && t.valves.closed[v] === 0) {
          la.push(this.nodeUnit[e.from[k]], this.nodeUnit[e.to[k]]);
          lb.push(this.nodeUnit[e.to[k]], this.nodeUnit[e.from[k]]);
          lv.push(v, v);
        }
      } else if (e.kind[k] === STATION) {
        la.push(this.nodeUnit[e.from[k]]);
        lb.push(this.nodeUnit[e.to[k]]);
        lv.push(-1);
      }
    }
    this.unitAdj = csr(u.count, la, lb);
    this.unitAdjValve = csr(u.count, la, lv).items;

    // Baseline supply.
    const srcUnits: number[] = [];
    const seenSrc = new Set<number>();
    for (const n of t.sources.node) {
      if (n < 0) continue;
      const unitOf = this.nodeUnit[n];
      if (!seenSrc.has(unitOf)) {
        seenSrc.add(unitOf);
        srcUnits.push(unitOf);
      }
    }
    this.sourceUnits = srcUnits;
    this.unitSupplied = new Uint8Array(u.count);
    const queue: number[] = [];
    for (const x of srcUnits) {
      this.unitSupplied[x] = 1;
      queue.push(x);
    }
    for (let head = 0; head < queue.length; head++) {
      const x = queue[head];
      for (let k = this.unitAdj.start[x]; k < this.unitAdj.start[x + 1]; k++) {
        const w = this.unitAdj.items[k];
        if (this.unitSupplied[w]) continue;
        this.unitSupplied[w] = 1;
        queue.push(w);
      }
    }

    // Membership lists.
    const spK: number[] = [], spI: number[] = [];
    const upK: number[] = [], upI: number[] = [];
    const svK: number[] = [], svI: number[] = [];
    for (let k = 0; k < edges; k++) {
      const kind = e.kind[k];
      if (kind === PIECE) {
        spK.push(this.nodeSegment[e.from[k]]);
        spI.push(k);
        if (t.pipes.closed[e.pipe[k]] === 0) {
          upK.push(this.nodeUnit[e.from[k]]);
          upI.push(k);
        }
      } else if (kind === VALVE && this.valveBounds[e.ref[k]]) {
        const a = this.nodeSegment[e.from[k]];
        const b = this.nodeSegment[e.to[k]];
        if (a === b) continue;
        svK.push(a, b);
        svI.push(e.ref[k], e.ref[k]);
      }
    }
    this.segPieces = csr(s.count, spK, spI);
    this.segValves = csr(s.count, svK, svI);
    this.unitPieces = csr(u.count, upK, upI);
    const ucK: number[] = [], ucI: number[] = [], scK: number[] = [];
    t.consumers.node.forEach((n, c) => {
      if (n < 0) return;
      ucK.push(this.nodeUnit[n]);
      ucI.push(c);
      scK.push(this.unitSegment[this.nodeUnit[n]]);
    });
    this.unitConsumers = csr(u.count, ucK, ucI);
    this.segConsumers = csr(s.count, scK, ucI);
  }

  /** Per base label the representative of its merged set (its smallest label): the identity on a built index, set by
   * withInoperable on a derived one. */
  private segRep: Int32Array;
  private unitRep: Int32Array;
  /** Derived index (withInoperable): the built index it derives from; the members of each merged set, and which
   * representatives have members. Undefined on a built index. */
  private root?: SegmentIndex;
  private segMembers?: Map<number, number[]>;
  private unitMembers?: Map<number, number[]>;
  private unitHasMembers?: Uint8Array;

  /** Segment (representative label) of a node. */
  seg(node: number): number {
    return this.segRep[this.nodeSegment[node]];
  }
  /** Supply unit (representative label) of a node. */
  unit(node: number): number {
    return this.unitRep[this.nodeUnit[node]];
  }
  /** Representative of a base unit label, and the segment of a base unit. */
  unitOf(baseUnit: number): number {
    return this.unitRep[baseUnit];
  }
  segOfUnit(baseUnit: number): number {
    return this.segRep[this.unitSegment[baseUnit]];
  }
  /** Base labels of a representative (itself when alone). */
  segLabels(rep: number): number[] {
    return this.segMembers?.get(rep) ?? [rep];
  }
  unitLabels(rep: number): number[] {
    return this.unitMembers?.get(rep) ?? [rep];
  }

  /**
   * This index with valves (indices) `inoperable` also treated as broken, derived incrementally (SegmentIndex.WithInoperable
   * in the engine): the segments and supply units on both sides of each open valve that stops bounding are merged by
   * union-find over segments and units. Nothing of the graph's size is copied: the derived index keeps the base labels
   * and lists and adds each base label's representative (the smallest label of its merged set) and the members of the
   * merged sets. Plans equal those of `new SegmentIndex(ix, all broken valves)`. Returns this index when no valve of
   * the set stops bounding.
   */
  withInoperable(inoperable: Iterable<number>): SegmentIndex {
    const t = this.ix.t;
    const e = t.edges;
    const root = this.root ?? this;
    const all = new Set<number>(this.extra);
    let grows = false;
    for (const v of inoperable) {
      if (this.valveBounds[v] && t.valves.closed[v] === 0) grows = true;
      all.add(v);
    }
    if (!grows) return this;
    const merging = [...all].filter((v) => root.valveBounds[v] && t.valves.closed[v] === 0);
    const d = Object.create(SegmentIndex.prototype) as { -readonly [K in keyof SegmentIndex]: SegmentIndex[K] } & { root: SegmentIndex; segRep: Int32Array; unitRep: Int32Array; segMembers: Map<number, number[]>; unitMembers: Map<number, number[]>; unitHasMembers: Uint8Array; extra: Set<number> };
    Object.assign(d, root);
    d.root = root;
    d.extra = all;
    d.valveBounds = root.valveBounds.slice();
    const segPairs: number[] = [];
    const unitPairs: number[] = [];
    for (const v of merging) {
      d.valveBounds[v] = 0;
      const k = t.valves.edge[v];
      segPairs.push(root.nodeSegment[e.from[k]], root.nodeSegment[e.to[k]]);
      unitPairs.push(root.nodeUnit[e.from[k]], root.nodeUnit[e.to[k]]);
    }
    const segs = mergeLabels(segPairs, root.segRep);
    const units = mergeLabels(unitPairs, root.unitRep);
    d.segRep = segs.rep;
    d.unitRep = units.rep;
    d.segMembers = segs.members;
    d.unitMembers = units.members;
    d.unitHasMembers = units.hasMembers;
    d.segmentCount = root.segmentCount - segs.merged;
    d.unitCount = root.unitCount - units.merged;
    d.sourceUnits = [...new Set(root.sourceUnits.map((u) => d.unitRep[u]))];
    return d as unknown as SegmentIndex;
  }

  /** Area package: true when segment R holds a zone node (a part of the network outside the package). */
  beyondPackage(R: number): boolean {
    const d = this.ix.t.area?.detailed_nodes;
    if (d === undefined) return false;
    for (let n = d; n < this.nodeSegment.length; n++) if (this.seg(n) === R) return true;
    return false;
  }

  /** The segment of the pipe's longest reportable piece (the first on ties). */
  homeSegmentOfPipe(pipe: number): number {
    const t = this.ix.t;
    if (t.pipes.device[pipe] === 1) throw new Error(`${t.pipes.id[pipe]} 是换热站设备，不是管段`);
    let best = -1;
    let bestLength = -1;
    for (const k of this.ix.pipeEdges[pipe]) {
      if (t.edges.kind[k] !== PIECE) continue;
      const length = t.edges.length[k];
      if (length > bestLength) {
        best = k;
        bestLength = length;
      }
    }
    return this.seg(t.edges.from[best]);
  }

  /** The segment holding position `along` (metres from the pipe's first vertex): GridMap.Domain's NetworkGraph.PieceAt. */
  segmentAt(pipe: number, along: number): number {
    const t = this.ix.t;
    if (t.pipes.device[pipe] === 1) throw new Error(`${t.pipes.id[pipe]} 是换热站设备，不是管段`);
    const edges = this.ix.pipeEdges[pipe];
    let best = edges[0];
    for (const k of edges) {
      if (t.edges.kind[k] !== PIECE) continue;
      best = k;
      if (along <= t.edges.end[k]) break;
    }
    return this.seg(t.edges.from[best]);
  }

  /** The plan for isolating pipe index `pipe` (IsolationTracer.Isolate: its home segment). */
  isolate(pipe: number): EnginePlan {
    return this.isolateSegment(pipe, this.homeSegmentOfPipe(pipe));
  }

  /** The plan for a burst `along` metres from the pipe's first vertex (IsolationTracer.IsolateAt). */
  isolateAt(pipe: number, along: number): EnginePlan {
    return this.isolateSegment(pipe, this.segmentAt(pipe, along));
  }

  /** IsolationTracer.IsolateSegments for one segment R, reported for pipe index `pipe`. */
  isolateSegment(pipe: number, R: number): EnginePlan {
    const t = this.ix.t;
    const e = t.edges;
    const inR = (segment: number) => segment === R;

    // R is a representative label: each base segment it merges contributes its lists.
    const segmentPipes = new Set<number>();
    for (const m of this.segLabels(R))
      for (let k = this.segPieces.start[m]; k < this.segPieces.start[m + 1]; k++) segmentPipes.add(e.pipe[this.segPieces.items[k]]);

    const toClose: number[] = [];
    const alreadyClosed: number[] = [];
    const seenValve = new Set<number>();
    for (const m of this.segLabels(R))
      for (let k = this.segValves.start[m]; k < this.segValves.start[m + 1]; k++) {
        const v = this.segValves.items[k];
        if (seenValve.has(v) || !this.valveBounds[v]) continue;
        seenValve.add(v);
        const edge = t.valves.edge[v];
        if (inR(this.seg(e.from[edge])) && inR(this.seg(e.to[edge]))) continue;
        if (t.valves.closed[v] === 1) alreadyClosed.push(v);
        else toClose.push(v);
      }

    // Supply with R removed, over units (representatives); a merged unit expands through the links of each of its base
    // units, except through the valves that now conduct. Typed arrays and locals only: this walk reaches most of the
    // city's units on every plan.
    const unitRep = this.unitRep;
    const segRep = this.segRep;
    const unitSegment = this.unitSegment;
    const reached = new Uint8Array(this.unitSlots);
    const queue = this.ix.scratchQueue(this.unitSlots);
    let tail = 0;
    for (const x of this.sourceUnits) {
      if (segRep[unitSegment[x]] === R || reached[x]) continue;
      reached[x] = 1;
      queue[tail++] = x;
    }
    const adjStart = this.unitAdj.start;
    const adjItems = this.unitAdj.items;
    const adjValve = this.unitAdjValve;
    const bounds = this.valveBounds;
    const members = this.unitMembers;
    const hasMembers = this.unitHasMembers;
    for (let head = 0; head < tail; head++) {
      const x = queue[head];
      const mem = hasMembers !== undefined && hasMembers[x] === 1 ? members!.get(x)! : null;
      for (let i = 0, n = mem ? mem.length : 1; i < n; i++) {
        const m = mem ? mem[i] : x;
        for (let k = adjStart[m], end = adjStart[m + 1]; k < end; k++) {
          const valve = adjValve[k];
          if (valve >= 0 && bounds[valve] === 0) continue;
          const w = unitRep[adjItems[k]];
          if (reached[w] === 1 || segRep[unitSegment[w]] === R) continue;
          reached[w] = 1;
          queue[tail++] = w;
        }
      }
    }

    const toCloseMin: number[] = [];
    for (const v of toClose) {
      const edge = t.valves.edge[v];
      const far = inR(this.seg(e.from[edge])) ? e.to[edge] : e.from[edge];
      if (reached[this.unit(far)]) toCloseMin.push(v);
    }

    // Cut off: supplied before, outside R, not reached now (over base units: their lists are the base's).
    const cutPipes = new Set<number>();
    const consumers = new Set<number>();
    const supplied = this.unitSupplied;
    const piecesStart = this.unitPieces.start;
    const consumersStart = this.unitConsumers.start;
    for (let x = 0, n = this.unitSlots; x < n; x++) {
      if (supplied[x] === 0 || reached[unitRep[x]] === 1 || segRep[unitSegment[x]] === R) continue;
      for (let k = piecesStart[x]; k < piecesStart[x + 1]; k++) cutPipes.add(e.pipe[this.unitPieces.items[k]]);
      for (let k = consumersStart[x]; k < consumersStart[x + 1]; k++) consumers.add(this.unitConsumers.items[k]);
    }
    for (const m of this.segLabels(R))
      for (let k = this.segConsumers.start[m]; k < this.segConsumers.start[m + 1]; k++) consumers.add(this.segConsumers.items[k]);

    const asc = (a: number, b: number) => a - b;
    const consumerList = [...consumers].sort(asc);
    let households = 0;
    for (const c of consumerList) households += t.consumers.households[c];
    return {
      pipe: t.pipes.id[pipe],
      segment_pipes: [...segmentPipes].sort(asc).map((p) => t.pipes.id[p]),
      valves_to_close: toClose.sort(asc).map((v) => t.valves.id[v]),
      valves_to_close_min: toCloseMin.sort(asc).map((v) => t.valves.id[v]),
      valves_already_closed: alreadyClosed.sort(asc).map((v) => t.valves.id[v]),
      cut_off_pipes: [...cutPipes].filter((p) => !this.ix.partialPipes.has(p)).sort(asc).map((p) => t.pipes.id[p]),
      affected_consumers: consumerList,
      affected_households: households,
      beyond_package: this.beyondPackage(R),
    };
  }
}

/** A valve the crew closes: required ones first, then nearest the crew or the burst (as the server's CrewPlan). */
export interface ValveStep {
  order: number;
  id: number;
  lon: number;
  lat: number;
  distance_m: number;
  required: boolean;
}

/** The crew-facing plan, the same shape as GET /api/network/isolate. */
export interface CrewPlan {
  pipe: number;
  version: number;
  burst: [number, number];
  inoperable: number[];
  segment_pipes: number[];
  valves_to_close: ValveStep[];
  valves_to_close_min: number[];
  valves_already_closed: number[];
  cut_off_pipes: number[];
  affected_compounds: { id: number; name: string; households: number }[];
  affected_households: number;
  /** Area package only: the plan reaches past the package (see EnginePlan.beyond_package). */
  beyond_package: boolean;
}

/** Metres between two WGS84 points; the caller may pass a projected distance (EPSG:4547, as the server uses). */
export type Distance = (lon1: number, lat1: number, lon2: number, lat2: number) => number;

export const haversine: Distance = (lon1, lat1, lon2, lat2) => {
  const r = 6371008.8;
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * r * Math.asin(Math.min(1, Math.sqrt(a)));
};

/**
 * The offline planner: one TopologyIndex, the SegmentIndex for the normal state kept, and one per set of broken
 * valves derived from it on demand (withInoperable: ~ a few milliseconds on 100,000 pipes, as the server's).
 */
export class OfflinePlanner {
  readonly ix: TopologyIndex;
  private readonly normal: SegmentIndex;

  constructor(topology: Topology) {
    this.ix = new TopologyIndex(topology);
    this.normal = new SegmentIndex(this.ix);
  }

  /** The engine's plan for a pipe id with extra inoperable valve ids; with `along` (metres) for a burst at that position. */
  enginePlan(pipeId: number, inoperable: number[] = [], along?: number): EnginePlan {
    const pipe = this.ix.pipeIndex(pipeId);
    const index = inoperable.length === 0 ? this.normal : this.normal.withInoperable(inoperable.map((id) => this.ix.valveIndex(id)));
    return along === undefined ? index.isolate(pipe) : index.isolateAt(pipe, along);
  }

  /**
   * The crew plan: valves required first, then by distance from the crew (`crew`, lon/lat) or else the burst point,
   * compounds instead of per-flow consumers. `along` (metres from the pipe's first vertex to the burst) isolates the segment holding the burst, as
   * the server does when given a position; without it the pipe's home segment.
   */
  plan(pipeId: number, burst: [number, number], inoperable: number[] = [], distance: Distance = haversine, along?: number, crew?: [number, number]): CrewPlan {
    const t = this.ix.t;
    const p = this.enginePlan(pipeId, inoperable, along);
    const min = new Set(p.valves_to_close_min);
    const steps = p.valves_to_close
      .map((id) => {
        const v = this.ix.valveIndex(id);
        const from = crew ?? burst;
        return {
          id, lon: t.valves.lon[v], lat: t.valves.lat[v], d: distance(burst[0], burst[1], t.valves.lon[v], t.valves.lat[v]),
          walk: crew ? distance(from[0], from[1], t.valves.lon[v], t.valves.lat[v]) : 0, req: min.has(id) ? 0 : 1,
        };
      })
      // Required first, then nearest the crew (or the burst), as the server's CrewIsolation.WalkingOrder.
      .sort((a, b) => a.req - b.req || (crew ? a.walk - b.walk : a.d - b.d) || a.id - b.id)
      .map((v, i) => ({ order: i + 1, id: v.id, lon: v.lon, lat: v.lat, distance_m: Math.round(v.d * 10) / 10, required: min.has(v.id) }));
    const compoundIds = [...new Set(p.affected_consumers.map((c) => t.consumers.compound[c]))].sort((a, b) => a - b);
    const compounds = compoundIds.map((id) => {
      const c = this.ix.compoundById.get(id);
      return { id, name: c?.name ?? `小区 ${id}`, households: c?.households ?? 0 };
    });
    return {
      pipe: pipeId,
      version: t.version,
      burst,
      inoperable: [...new Set(inoperable)].sort((a, b) => a - b),
      segment_pipes: p.segment_pipes,
      valves_to_close: steps,
      valves_to_close_min: p.valves_to_close_min,
      valves_already_closed: p.valves_already_closed,
      cut_off_pipes: p.cut_off_pipes,
      affected_compounds: compounds,
      affected_households: compounds.reduce((s, c) => s + c.households, 0),
      beyond_package: p.beyond_package,
    };
  }
}

#!/usr/bin/python3
"""networkx reference for `scripts/bench network` (run with Debian's /usr/bin/python3 + python3-networkx).

Reads the synthetic network the C# benchmark wrote (TSV: P pipes with end points, V valves with their pipe and
distance along it, S sources, C consumers), then does what GridMap's engine does, the networkx way:

  build    snap pipe ends within the tolerance (grid hash), cut pipes at valves (a valve = two nodes joined by a
           zero-length valve edge), one nx.MultiGraph of pieces and valve edges.
  index    segments = nx.connected_components after removing the bounding valves (operable, or normally
           closed); supply units = components over open pieces + conducting valves; the unit graph (quotient)
           joined by open bounding valves; baseline supply = units reachable from the source units.
  isolate  for a pipe: R = the segment of its longest piece; boundary valves of R; reach from the sources in the
           unit graph with R's units filtered out (nx.subgraph_view + nx.descendants); valves_to_close_min =
           valves whose far side is reached; cut off = supplied before, outside R, not reached.

Isolations are timed one by one on a deterministic sample of pipes (every k-th pipe) and their results written
out, so the C# benchmark can check that both implementations agree.

usage: networkx_network.py NETWORK.tsv SNAP SAMPLE_EVERY OUT.json
"""
import json
import math
import sys
import time

import networkx as nx


def main():
    tsv, snap, every, out = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    pipes, valves, sources, consumers = [], [], [], []
    with open(tsv) as f:
        for line in f:
            t = line.rstrip("\n").split("\t")
            if t[0] == "P":
                pipes.append((t[1], float(t[2]), float(t[3]), float(t[4]), float(t[5]), t[6]))
            elif t[0] == "V":
                valves.append((t[1], t[2], float(t[3]), t[4], t[5] == "1"))
            elif t[0] == "S":
                sources.append((t[1], float(t[2]), float(t[3])))
            elif t[0] == "C":
                consumers.append((t[1], float(t[2]), float(t[3]), int(t[4])))

    # ---- build -------------------------------------------------------------------------------------------
    t0 = time.perf_counter()
    cell = snap if snap > 0 else 1e-9
    grid = {}
    coords = []

    def join(x, y):
        cx, cy = math.floor(x / cell), math.floor(y / cell)
        best, best_d = -1, math.inf
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for n in grid.get((cx + dx, cy + dy), ()):
                    d = math.hypot(coords[n][0] - x, coords[n][1] - y)
                    if d <= snap and d < best_d:
                        best, best_d = n, d
        if best >= 0:
            return best
        n = len(coords)
        coords.append((x, y))
        grid.setdefault((cx, cy), []).append(n)
        return n

    G = nx.MultiGraph()
    pipe_index = {}
    ends = []
    for i, (pid, x1, y1, x2, y2, status) in enumerate(pipes):
        pipe_index[pid] = i
        ends.append((join(x1, y1), join(x2, y2), math.hypot(x2 - x1, y2 - y1)))
    splits = {}
    for v, (vid, pid, along, state, operable) in enumerate(valves):
        i = pipe_index[pid]
        length = ends[i][2]
        along = 0.0 if along <= snap else length if along >= length - snap else along
        splits.setdefault(i, []).append((along, v))
    next_node = len(coords)
    pieces = []  # (pipe, u, w, length)
    valve_edge = {}
    for i, (a, b, length) in enumerate(ends):
        current, last = a, 0.0
        for along, v in sorted(splits.get(i, ()), key=lambda s: (s[0], s[1])):
            va, vb = next_node, next_node + 1
            next_node += 2
            pieces.append((i, current, va, along - last))
            valve_edge[v] = (va, vb)
            current, last = vb, along
        pieces.append((i, current, b, length - last))
    G.add_nodes_from(range(next_node))
    for k, (i, u, w, length) in enumerate(pieces):
        G.add_edge(u, w, key=("p", k), pipe=i, length=length)
    for v, (u, w) in valve_edge.items():
        G.add_edge(u, w, key=("v", v), valve=v)
    source_nodes = [join(x, y) for _, x, y in sources]
    consumer_nodes = [join(x, y) for _, x, y, _ in consumers]
    build_s = time.perf_counter() - t0

    # ---- index -------------------------------------------------------------------------------------------
    t0 = time.perf_counter()
    bounds = [operable or state == "closed" for (_, _, _, state, operable) in valves]
    pipe_open = [p[5] == "open" for p in pipes]

    def seg_edge(u, w, k):
        return k[0] == "p" or not bounds[k[1]]

    def unit_edge(u, w, k):
        return pipe_open[pieces[k[1]][0]] if k[0] == "p" else not bounds[k[1]]

    seg_of = {}
    for s, comp in enumerate(nx.connected_components(nx.subgraph_view(G, filter_edge=seg_edge))):
        for n in comp:
            seg_of[n] = s
    unit_of = {}
    for u, comp in enumerate(nx.connected_components(nx.subgraph_view(G, filter_edge=unit_edge))):
        for n in comp:
            unit_of[n] = u
    unit_seg = {unit_of[n]: seg_of[n] for n in G.nodes}
    UG = nx.Graph()
    UG.add_nodes_from(set(unit_of.values()))
    for v, (a, b) in valve_edge.items():
        if bounds[v] and valves[v][3] == "open":
            UG.add_edge(unit_of[a], unit_of[b])
    source_units = {unit_of[n] for n in source_nodes}
    supplied = set(source_units)
    for s in source_units:
        supplied |= nx.descendants(UG, s)
    seg_valves = {}
    for v, (a, b) in valve_edge.items():
        if bounds[v] and seg_of[a] != seg_of[b]:
            seg_valves.setdefault(seg_of[a], []).append(v)
            seg_valves.setdefault(seg_of[b], []).append(v)
    unit_pipes = {}
    for (i, u, w, length) in pieces:
        if pipe_open[i] and (length > 0 or ends[i][2] <= 0):
            unit_pipes.setdefault(unit_of[u], set()).add(i)
    unit_consumers = {}
    for c, n in enumerate(consumer_nodes):
        unit_consumers.setdefault(unit_of[n], []).append(c)
    home = {}
    best_len = {}
    for (i, u, w, length) in pieces:
        if (length > 0 or ends[i][2] <= 0) and length > best_len.get(i, -1.0):
            best_len[i] = length
            home[i] = seg_of[u]
    index_s = time.perf_counter() - t0

    # ---- isolate a sample ---------------------------------------------------------------------------------
    def isolate(i):
        r = home[i]
        to_close, closed = [], []
        for v in seg_valves.get(r, ()):
            a, b = valve_edge[v]
            if seg_of[a] == r and seg_of[b] == r:
                continue
            (closed if valves[v][3] == "closed" else to_close).append(v)
        view = nx.subgraph_view(UG, filter_node=lambda u: unit_seg[u] != r)
        reached = set()
        for s in source_units:
            if unit_seg[s] != r and s not in reached:
                reached.add(s)
                reached |= nx.descendants(view, s)
        minimal = []
        for v in to_close:
            a, b = valve_edge[v]
            far = b if seg_of[a] == r else a
            if unit_of[far] in reached:
                minimal.append(v)
        cut_pipes, affected = set(), set()
        for u in supplied:
            if u in reached or unit_seg[u] == r:
                continue
            cut_pipes |= unit_pipes.get(u, set())
            affected.update(unit_consumers.get(u, ()))
        for c, n in enumerate(consumer_nodes):
            if seg_of[n] == r:
                affected.add(c)
        return {
            "pipe": pipes[i][0],
            "valves_to_close": sorted(valves[v][0] for v in to_close),
            "valves_to_close_min": sorted(valves[v][0] for v in minimal),
            "valves_already_closed": sorted(valves[v][0] for v in closed),
            "cut_off_pipes": len(cut_pipes),
            "affected_households": sum(consumers[c][3] for c in affected),
        }

    times, results = [], []
    for i in range(0, len(pipes), every):
        t0 = time.perf_counter()
        results.append(isolate(i))
        times.append(time.perf_counter() - t0)

    with open(out, "w") as f:
        json.dump({
            "networkx": nx.__version__,
            "nodes": G.number_of_nodes(),
            "edges": G.number_of_edges(),
            "segments": len(set(seg_of.values())),
            "build_s": build_s,
            "index_s": index_s,
            "isolation_s": times,
            "results": results,
        }, f)


if __name__ == "__main__":
    main()

import { graphlib, layout } from '@dagrejs/dagre';
import type { FlowGraph, GraphEdge, GraphNode } from './flow-graph';

/** Width of a line of text in pixels, in the graph's font (bold for titles). */
export type MeasureText = (text: string, bold: boolean) => number;

export interface Point {
  x: number;
  y: number;
}

/** A node with its box: `x`, `y` are its top-left corner. */
export interface PlacedNode extends GraphNode {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** An edge with the points of its route and, when labelled, the label's centre. */
export interface PlacedEdge extends GraphEdge {
  points: Point[];
  labelAt?: Point;
  labelWidth?: number;
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

/** Sizes of the drawing, shared with the SVG view. */
export const GRAPH_METRICS = {
  fontSize: 13,
  lineHeight: 18,
  padX: 12,
  padY: 8,
  minWidth: 96,
  labelFontSize: 11,
  labelPad: 4,
  margin: 12,
} as const;

/**
 * Places a flow graph top to bottom with dagre (the layered layout of
 * Graphviz's `dot`): node sizes come from their text, edge labels get room
 * of their own so they never sit on a box.
 */
export function layoutGraph(graph: FlowGraph, measure: MeasureText): GraphLayout {
  const m = GRAPH_METRICS;
  const g = new graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 28, ranksep: 44, edgesep: 16, marginx: m.margin, marginy: m.margin });
  g.setDefaultEdgeLabel(() => ({}));

  for (const node of graph.nodes) {
    const widest = Math.max(...node.lines.map((line, i) => measure(line, i === 0)));
    g.setNode(node.id, {
      width: Math.ceil(Math.max(m.minWidth, widest + 2 * m.padX)),
      height: node.lines.length * m.lineHeight + 2 * m.padY,
    });
  }
  for (const edge of graph.edges) {
    const labelWidth = edge.label
      ? Math.ceil(measure(edge.label, false) * (m.labelFontSize / m.fontSize))
      : 0;
    g.setEdge(
      edge.from,
      edge.to,
      edge.label
        ? { width: labelWidth + 2 * m.labelPad, height: m.labelFontSize + 2 * m.labelPad, labelpos: 'c' }
        : {},
      edge.id,
    );
  }
  layout(g);

  const nodes = graph.nodes.map((node): PlacedNode => {
    const placed = g.node(node.id) as { x: number; y: number; width: number; height: number };
    return {
      ...node,
      x: placed.x - placed.width / 2,
      y: placed.y - placed.height / 2,
      width: placed.width,
      height: placed.height,
    };
  });
  const edges = graph.edges.map((edge): PlacedEdge => {
    const placed = g.edge(edge.from, edge.to, edge.id) as {
      points?: Point[];
      x?: number;
      y?: number;
      width?: number;
    };
    return {
      ...edge,
      points: placed.points ?? [],
      ...(edge.label && placed.x !== undefined && placed.y !== undefined
        ? { labelAt: { x: placed.x, y: placed.y }, labelWidth: placed.width ?? 0 }
        : {}),
    };
  });
  const size = g.graph() as { width?: number; height?: number };
  return { width: Math.ceil(size.width ?? 0), height: Math.ceil(size.height ?? 0), nodes, edges };
}

/**
 * An SVG path through the points as a uniform B-spline (the `basis` curve of
 * d3-shape): it starts and ends on the first and last points and bends
 * smoothly between, as dagre's routes are meant to be drawn.
 */
export function splinePath(points: readonly Point[]): string {
  if (points.length === 0) return '';
  if (points.length < 3) return `M${points.map((p) => `${r(p.x)},${r(p.y)}`).join('L')}`;
  const p = points;
  const at = (i: number) => p[i]!;
  let d = `M${r(p[0]!.x)},${r(p[0]!.y)}`;
  // The first segment runs straight to one sixth of the way, as d3's basis curve does.
  d += `L${r((5 * p[0]!.x + p[1]!.x) / 6)},${r((5 * p[0]!.y + p[1]!.y) / 6)}`;
  for (let i = 1; i < p.length - 1; i++) {
    const a = at(i - 1);
    const b = at(i);
    const c = at(i + 1);
    d +=
      `C${r((2 * a.x + b.x) / 3)},${r((2 * a.y + b.y) / 3)} ` +
      `${r((a.x + 2 * b.x) / 3)},${r((a.y + 2 * b.y) / 3)} ` +
      `${r((a.x + 4 * b.x + c.x) / 6)},${r((a.y + 4 * b.y + c.y) / 6)}`;
  }
  const n = p.length;
  const a = p[n - 2]!;
  const b = p[n - 1]!;
  d +=
    `C${r((2 * a.x + b.x) / 3)},${r((2 * a.y + b.y) / 3)} ${r((a.x + 2 * b.x) / 3)},${r((a.y + 2 * b.y) / 3)} ` +
    `${r((a.x + 5 * b.x) / 6)},${r((a.y + 5 * b.y) / 6)}L${r(b.x)},${r(b.y)}`;
  return d;
}

function r(value: number): string {
  return String(Math.round(value * 10) / 10);
}

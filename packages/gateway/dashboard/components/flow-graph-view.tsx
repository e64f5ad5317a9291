import { useMemo } from 'preact/hooks';
import type { Diagnostic, FlowDefinition } from '../api/types';
import { diagnosticsByNode, flowGraph } from '../model/flow-graph';
import { GRAPH_METRICS, layoutGraph, type MeasureText, splinePath } from '../model/layout';

/** The graph's font; `.graph text` in app.css uses the same family, so measured widths match the drawing. */
const FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

let canvas: CanvasRenderingContext2D | null | undefined;

/** Measures with the browser's own text metrics, falling back to an average glyph width. */
const measure: MeasureText = (text, bold) => {
  canvas ??= document.createElement('canvas').getContext('2d');
  if (!canvas) return text.length * GRAPH_METRICS.fontSize * 0.6;
  canvas.font = `${bold ? '600 ' : ''}${GRAPH_METRICS.fontSize}px ${FONT_FAMILY}`;
  return canvas.measureText(text).width;
};

const EDGE_KINDS = ['needs', 'fallback', 'compensate', 'on-failure'] as const;

/**
 * A flow drawn as SVG from a dagre layout. Nodes with diagnostics are
 * outlined and marked "!", with the messages in their tooltip (the list
 * beside the graph has them as text). The drawing scrolls inside its own
 * focusable box, so a wide flow never widens the page.
 */
export function FlowGraphView({
  flow,
  diagnostics = [],
}: {
  flow: FlowDefinition;
  diagnostics?: readonly Diagnostic[];
}) {
  const graph = useMemo(() => flowGraph(flow), [flow]);
  const placed = useMemo(() => layoutGraph(graph, measure), [graph]);
  const problems = useMemo(() => diagnosticsByNode(graph, diagnostics), [graph, diagnostics]);
  const m = GRAPH_METRICS;
  const titleId = `graph-title-${flow.id}`;

  return (
    <div class="graph-scroll">
      <svg
        class="graph"
        width={placed.width}
        height={placed.height}
        viewBox={`0 0 ${placed.width} ${placed.height}`}
        role="img"
        aria-labelledby={titleId}
      >
        <title id={titleId}>
          {`Flow ${flow.id}: ${graph.nodes.length} boxes, ${graph.edges.length} arrows. The steps are listed as text below.`}
        </title>
        <defs>
          {EDGE_KINDS.map((kind) => (
            <marker
              key={kind}
              id={`arrow-${kind}`}
              class={`arrow edge-${kind}`}
              viewBox="0 0 10 10"
              refX="9"
              refY="5"
              markerWidth="7"
              markerHeight="7"
              orient="auto-start-reverse"
            >
              <path d="M0,0L10,5L0,10z" />
            </marker>
          ))}
        </defs>
        {placed.edges.map((edge) => (
          <path
            key={edge.id}
            class={`edge edge-${edge.kind}`}
            d={splinePath(edge.points)}
            marker-end={`url(#arrow-${edge.kind})`}
          />
        ))}
        {placed.edges.map((edge) =>
          edge.label && edge.labelAt ? (
            <g key={`${edge.id}-label`} class={`edge-label label-${edge.kind}`}>
              <rect
                x={edge.labelAt.x - (edge.labelWidth ?? 0) / 2}
                y={edge.labelAt.y - m.labelFontSize / 2 - m.labelPad}
                width={edge.labelWidth ?? 0}
                height={m.labelFontSize + 2 * m.labelPad}
                rx="3"
              />
              <text x={edge.labelAt.x} y={edge.labelAt.y} text-anchor="middle" dominant-baseline="central">
                {edge.label}
              </text>
            </g>
          ) : null,
        )}
        {placed.nodes.map((node) => {
          const issues = problems.get(node.id);
          const round = node.kind === 'trigger' || node.kind === 'failed';
          return (
            <g
              key={node.id}
              class={`node node-${node.kind}${issues ? ' invalid' : ''}`}
              transform={`translate(${node.x},${node.y})`}
              data-node={node.id}
              data-pointer={node.pointer}
            >
              {issues ? <title>{issues.map((d) => `${d.code}: ${d.message}`).join('\n')}</title> : null}
              {node.kind === 'foreach' ? (
                <rect class="stack" x="4" y="4" width={node.width} height={node.height} rx="6" />
              ) : null}
              <rect width={node.width} height={node.height} rx={round ? node.height / 2 : 6} />
              <text>
                {node.lines.map((line, i) => (
                  <tspan
                    key={i}
                    class={i === 0 ? 'title' : undefined}
                    x={node.width / 2}
                    y={m.padY + m.lineHeight * i + m.lineHeight / 2}
                    text-anchor="middle"
                    dominant-baseline="central"
                  >
                    {line}
                  </tspan>
                ))}
              </text>
              {issues ? (
                <g class="issue-mark" transform={`translate(${node.width - 2},2)`}>
                  <circle r="9" />
                  <text text-anchor="middle" dominant-baseline="central">
                    !
                  </text>
                </g>
              ) : null}
            </g>
          );
        })}
      </svg>
    </div>
  );
}

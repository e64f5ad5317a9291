/**
 * Which of our modules may import which: run with `pnpm deps:check`, and by
 * test/architecture/dependencies.test.ts. Two kinds of rules:
 * - no import cycle inside any package (type-only imports count: a cycle of
 *   types is still two files that cannot be understood one without the other);
 * - the folders of packages/runtime/src form layers (RUNTIME_LAYERS), and a
 *   folder imports only the folders below it (issue #15).
 * A violation that is known and waits for a redesign is listed in
 * KNOWN_VIOLATIONS below, with its reason; any other fails the check.
 */

/** The source folders checked: every package of the workspace. */
export const CHECKED_PATHS = ['packages/*/src', 'connectors/*/src', 'connectors/shared'];

const RUNTIME = 'packages/runtime/src';

/**
 * The layers of packages/runtime/src, bottom first. A folder may import the
 * folders of the layers below its own; the folders of its own layer only when
 * the layer says `peers: true`. The package's two entry points sit above them
 * all: `index.ts` (its public exports) and `_internal/` (`@baton/runtime/internal`,
 * what Baton's own packages share besides).
 */
const RUNTIME_LAYERS = [
  // The load-time problem report (Diagnostic, its codes and message helpers).
  { folders: ['diagnostics'] },
  // The vocabulary: run and step records, tasks, engine events, ids.
  { folders: ['model'] },
  // The logger interface the engine and the backends write to.
  { folders: ['log'] },
  // Flow analytics: what an ended run adds to its flow's counters, the histogram, the report. Pure.
  { folders: ['analytics'] },
  // The flow language and its documents; connector loading.
  { folders: ['json', 'flow', 'config', 'expressions', 'connectors'], peers: true },
  // Where runs, tasks, breakers and schedules are kept: embedded or Redis; a flow made ready to run
  // (needs resolved, templates compiled, policies filled in). Neither needs the other.
  { folders: ['backend', 'compile'] },
  // The scheduling rules: one pure function from (flow, run, what happened) to a decision.
  { folders: ['plan'] },
  // The OpenTelemetry spans of recording, queueing and calling, for the executor and the engine.
  { folders: ['trace'] },
  // Applies the planner's decisions through a backend and calls the connectors.
  { folders: ['execute'] },
  // Static checks of a hub's config and flows; the engine that runs flows on a backend. Neither needs the other.
  { folders: ['validate', 'engine'] },
  // Loads a hub (config, connectors, flows) and wires an engine to it.
  { folders: ['hub'] },
  // Leaves used only by the exports: the Mermaid graph, the JSON schemas.
  { folders: ['graph', 'schemas'] },
];

/** Test support shared by tests of several folders: no production file imports it. */
const TEST_SUPPORT = '__fixtures__';

/** The folder of the internal entry point: like `index.ts`, above every layer. */
const INTERNAL_ENTRY = '_internal';

const TEST_FILE = '\\.test\\.ts$';
const TEST_SUPPORT_FILE = `(/${TEST_SUPPORT}/|/_test-[^/]+\\.ts$)`;

function layerRules() {
  const listed = RUNTIME_LAYERS.flatMap((layer) => layer.folders);
  const rules = RUNTIME_LAYERS.flatMap((layer, index) => {
    const below = RUNTIME_LAYERS.slice(0, index).flatMap((l) => l.folders);
    return layer.folders.flatMap((folder) => {
      const allowed = [folder, ...below, ...(layer.peers ? layer.folders : []), TEST_SUPPORT];
      const forbidden = listed.filter((f) => !allowed.includes(f));
      if (forbidden.length === 0) return [];
      const others = allowed.filter((f) => f !== folder && f !== TEST_SUPPORT);
      return {
        name: `runtime-layer-${folder}`,
        comment: others.length
          ? `${RUNTIME}/${folder}/ imports only ${others.join(', ')}: the layers below it${layer.peers ? ' and its peers' : ''}.`
          : `${RUNTIME}/${folder}/ imports no other folder.`,
        severity: 'error',
        from: { path: `^${RUNTIME}/${folder}/` },
        to: { path: `^${RUNTIME}/(${forbidden.join('|')})/` },
      };
    });
  });
  rules.push(
    {
      name: 'runtime-layer-unlisted',
      comment: `Every folder of ${RUNTIME} has a place in RUNTIME_LAYERS (.dependency-cruiser.mjs): add a new one there.`,
      severity: 'error',
      from: {},
      to: {
        path: `^${RUNTIME}/[^/]+/`,
        pathNot: `^${RUNTIME}/(${[...listed, TEST_SUPPORT, INTERNAL_ENTRY].join('|')})/`,
      },
    },
    {
      name: 'runtime-no-index-import',
      comment: `${RUNTIME}/index.ts and ${INTERNAL_ENTRY}/ are the package's entry points: nothing inside the package imports them but the test of their export lists.`,
      severity: 'error',
      from: { path: `^${RUNTIME}/`, pathNot: `^${RUNTIME}/exports\\.test\\.ts$` },
      to: { path: `^${RUNTIME}/(index\\.ts$|${INTERNAL_ENTRY}/)` },
    },
    {
      name: 'test-support-only-in-tests',
      comment:
        'Test support (`__fixtures__/`, `_test-*.ts`) is imported by tests and other test support only.',
      severity: 'error',
      from: { path: '^(packages|connectors)/', pathNot: [TEST_FILE, TEST_SUPPORT_FILE] },
      to: { path: TEST_SUPPORT_FILE },
    },
  );
  return rules;
}

/**
 * Violations known and let stand, each with its reason. None today: the last
 * (a cycle between the step and the item tasks) went with the engine's
 * redesign into plan/ and execute/ (#15). A new violation is fixed, not listed.
 */
export const KNOWN_VIOLATIONS = [];

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-circular',
      comment:
        'No import cycle inside a package: two files in a cycle cannot be read, tested or changed one at a time.',
      severity: 'error',
      from: { path: '^(packages|connectors)/' },
      to: { circular: true },
    },
    ...layerRules(),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['(^|/)node_modules/', '(^|/)dist/', '\\.d\\.ts$'] },
    // Type-only imports are imports too: a backend that needs the engine's types depends on the engine.
    tsPreCompilationDeps: true,
    // Our packages resolve each other to their TypeScript sources, as tsc and vitest do.
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['@baton/source', 'import', 'node', 'default'],
      extensions: ['.ts', '.mts', '.js', '.mjs', '.json'],
      mainFields: ['module', 'main', 'types'],
    },
    knownViolations: KNOWN_VIOLATIONS,
  },
};

/**
 * How the dashboard's browser code is bundled, shared by the package build
 * (tsup.config.ts, into `dist/dashboard/`) and by the gateway when it runs
 * from its TypeScript sources (tests, development), which bundles the same
 * entry in memory. One place, so both serve the same thing.
 */
export const DASHBOARD_BUNDLE = {
  /** Relative to the package folder; `app` names the outputs `app.js` and `app.css`. */
  entry: { app: 'dashboard/main.tsx' },
  /** Where the package build writes it, relative to the package folder. */
  outDir: 'dist/dashboard',
  /** Evergreen browsers of the last few years: native ESM, optional chaining, private fields. */
  target: ['chrome109', 'edge109', 'firefox115', 'safari16'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  tsconfig: 'dashboard/tsconfig.json',
} as const;

/** The files the gateway serves under `/dashboard/assets/`. */
export const DASHBOARD_FILES = ['app.js', 'app.css'] as const;

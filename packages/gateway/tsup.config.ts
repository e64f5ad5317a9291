import { defineConfig } from 'tsup';
import { defineBatonBuild } from '../../tsup.base';
import { DASHBOARD_BUNDLE } from './dashboard/bundle-options';

export default [
  defineBatonBuild({
    extra: {
      // Only the from-source dashboard path imports esbuild; the build serves the prebuilt bundle.
      external: ['esbuild'],
      // The dashboard bundle is written by the second config; leave it to that one.
      clean: ['!dashboard/**'],
    },
  }),
  defineConfig({
    name: 'dashboard',
    entry: DASHBOARD_BUNDLE.entry,
    outDir: DASHBOARD_BUNDLE.outDir,
    format: ['esm'],
    platform: 'browser',
    target: [...DASHBOARD_BUNDLE.target],
    tsconfig: DASHBOARD_BUNDLE.tsconfig,
    // Everything the browser needs is in the bundle: preact, dagre and the parser are not runtime dependencies.
    noExternal: [/.*/],
    splitting: false,
    minify: true,
    sourcemap: false,
    dts: false,
    clean: true,
    esbuildOptions(options) {
      options.jsx = DASHBOARD_BUNDLE.jsx;
      options.jsxImportSource = DASHBOARD_BUNDLE.jsxImportSource;
    },
  }),
];

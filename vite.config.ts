import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig, type Plugin, type UserConfig } from 'vite';

/**
 * One config, three builds (selected by `--mode`), run in this order by `npm run build:front`:
 * - `panel`:  the lazy chat panel, one ES module with a content hash in its name;
 * - `loader`: the tiny classic script site owners embed (IIFE), which knows the panel's file name;
 * - `agent`:  the agent console SPA served under /agent/.
 * Vitest reads the same file (mode `test`) so that JSX compiles the same way everywhere.
 */
const root = import.meta.dirname;
const widgetOut = resolve(root, 'dist/widget');
const jsx = { jsx: { runtime: 'automatic', importSource: 'preact' } } as const;

function panelFileName(): string {
  const manifest = JSON.parse(
    readFileSync(resolve(widgetOut, '.vite/manifest.json'), 'utf8'),
  ) as Record<string, { file: string; isEntry?: boolean }>;
  const entry = Object.values(manifest).find((chunk) => chunk.isEntry);
  if (!entry) throw new Error('Build the panel (vite build --mode panel) before the loader');
  return entry.file;
}

/**
 * A route's `summary` documents it in the OpenAPI document, which the server writes; the console
 * only calls the route, so its build carries the summaries as empty strings.
 */
const routeSummariesOut: Plugin = {
  name: 'palaver-route-summaries-out',
  transform(code, id) {
    if (!id.includes('/protocol/routes/')) return null;
    return code.replace(
      /summary:\s*(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`[^`]*`)/g,
      "summary: ''",
    );
  },
};

const builds: Record<string, () => UserConfig> = {
  panel: () => ({
    oxc: jsx,
    build: {
      outDir: widgetOut,
      emptyOutDir: true,
      manifest: true,
      target: 'es2022',
      modulePreload: false,
      rollupOptions: {
        input: resolve(root, 'widget/panel/index.tsx'),
        preserveEntrySignatures: 'exports-only',
        output: { format: 'es', entryFileNames: 'panel-[hash].js', inlineDynamicImports: true },
      },
    },
  }),
  loader: () => ({
    oxc: jsx,
    define: { __PALAVER_PANEL_FILE__: JSON.stringify(panelFileName()) },
    build: {
      outDir: widgetOut,
      emptyOutDir: false,
      target: 'es2022',
      lib: {
        entry: resolve(root, 'widget/loader/index.ts'),
        formats: ['iife'],
        name: 'PalaverLoader',
        fileName: () => 'widget.js',
      },
    },
  }),
  agent: () => ({
    root: resolve(root, 'agent'),
    base: '/agent/',
    oxc: jsx,
    plugins: [routeSummariesOut],
    build: {
      outDir: resolve(root, 'dist/agent'),
      emptyOutDir: true,
      target: 'es2022',
      // protocol/ only defines schemas and pure helpers: a module the console does not use (the
      // site's card and action answers, parsed by the server) is left out whole.
      rollupOptions: { treeshake: { moduleSideEffects: (id) => !id.includes('/protocol/') } },
    },
  }),
};

/**
 * Node 25+ defines a global `localStorage` of its own, unusable without --localstorage-file, and
 * happy-dom does not replace a global that exists: test workers start without it. Node 20 has no
 * such flag and refuses unknown ones.
 */
const testNodeFlags = process.allowedNodeEnvironmentFlags.has('--no-experimental-webstorage')
  ? ['--no-experimental-webstorage']
  : [];

export default defineConfig(({ mode }) => {
  const build = builds[mode];
  if (build) return build();
  return {
    oxc: jsx,
    define: { __PALAVER_PANEL_FILE__: JSON.stringify('panel.js') },
    test: {
      execArgv: testNodeFlags,
      projects: [
        {
          extends: true,
          test: {
            name: 'unit',
            include: ['{protocol,server,widget,agent,demo,scripts}/**/*.test.{ts,tsx}'],
            environment: 'node',
          },
        },
        {
          extends: true,
          test: {
            name: 'integration',
            include: ['test/integration/**/*.test.ts'],
            environment: 'node',
            testTimeout: 20_000,
          },
        },
        {
          extends: true,
          test: {
            name: 'browser',
            include: ['test/browser/**/*.test.ts'],
            environment: 'node',
            testTimeout: 60_000,
            hookTimeout: 60_000,
            fileParallelism: false,
          },
        },
      ],
    },
  };
});

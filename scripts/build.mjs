// Compiles the app and the scripts into dist/ with esbuild: one CommonJS file per entry, no type-checking
// (`npm run typecheck` does that). The app bundles its dependencies; the scripts' stay in node_modules and load with
// Node's own resolver.
// A script file only exports `main(argv, io)` and runs nothing when imported (the tests call it in-process): its
// built file dist/scripts/<name>.js is a small entry, written here, that runs `main` with the process's arguments
// and streams (runMain in scripts/lib/cli.ts).
import { build } from 'esbuild';
import { readdirSync } from 'node:fs';

const scripts = readdirSync('scripts')
  .filter((file) => file.endsWith('.ts'))
  .map((file) => `scripts/${file}`);

/** Resolves `command:scripts/<name>.ts` to an entry that imports the script's `main` and runs it. */
const commandEntries = {
  name: 'command-entries',
  setup(build) {
    build.onResolve({ filter: /^command:/ }, (args) => ({
      path: args.path.slice('command:'.length),
      namespace: 'command',
    }));
    build.onLoad({ filter: /.*/, namespace: 'command' }, (args) => ({
      contents: `import { runMain } from './scripts/lib/cli';\nimport { main } from './${args.path}';\nrunMain(main);\n`,
      resolveDir: process.cwd(),
      loader: 'ts',
    }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  logLevel: 'warning',
};

// Synth is one file with its dependencies, dist/synth.js, instead of some 700 modules to resolve and load; dist/app.js
// runs it through a code cache (stacks/code-cache.ts; README, decision log). The scripts load their dependencies from
// node_modules.
await Promise.all([
  build({
    ...common,
    entryPoints: [
      { in: 'stacks/app.ts', out: 'app' },
      { in: 'stacks/synth-entry.ts', out: 'synth' },
    ],
    outdir: 'dist',
  }),
  build({
    ...common,
    entryPoints: scripts.map((file) => ({ in: `command:${file}`, out: file.replace(/\.ts$/, '') })),
    plugins: [commandEntries],
    outdir: 'dist',
    packages: 'external',
  }),
]);

// Compiles the app and the scripts into dist/ with esbuild: one CommonJS file per entry, no type-checking
// (`npm run typecheck` does that). Dependencies stay in node_modules and load with Node's own resolver.
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

await build({
  entryPoints: [
    { in: 'stacks/app.ts', out: 'app' },
    ...scripts.map((file) => ({ in: `command:${file}`, out: file.replace(/\.ts$/, '') })),
  ],
  plugins: [commandEntries],
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: process.env.BUNDLE_DEPENDENCIES === '1' ? undefined : 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});

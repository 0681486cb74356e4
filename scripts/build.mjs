// Compiles the app and the scripts into dist/ with esbuild: one CommonJS file per entry, no type-checking
// (`npm run typecheck` does that). Dependencies stay in node_modules and load with Node's own resolver.
import { build } from 'esbuild';
import { readdirSync } from 'node:fs';

const scripts = readdirSync('scripts')
  .filter((file) => file.endsWith('.ts'))
  .map((file) => `scripts/${file}`);

await build({
  entryPoints: [
    { in: 'stacks/app.ts', out: 'app' },
    ...scripts.map((file) => ({ in: file, out: file.replace(/\.ts$/, '') })),
  ],
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: process.env.BUNDLE_DEPENDENCIES === '1' ? undefined : 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});

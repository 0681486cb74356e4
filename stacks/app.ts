/**
 * The cdktf app: `npm run synth` and `cdktf synth|diff|deploy` run this file, compiled to dist/app.js. It runs the
 * synth bundle, dist/synth.js (stacks/synth-entry.ts with its dependencies), through a code cache (./code-cache).
 * See stacks/cli.ts for the options.
 */
import { join } from 'node:path';
import { runWithCodeCache } from './code-cache';

runWithCodeCache(join(__dirname, 'synth.js'), join(__dirname, '.code-cache'));

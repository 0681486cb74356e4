/**
 * The cdktf app: `npm run synth` and `cdktf synth|diff|deploy` run this file, compiled to dist/app.js.
 * See stacks/cli.ts for the options.
 */
import { runMain } from '../scripts/lib/cli';
import { main } from './cli';

runMain(main);

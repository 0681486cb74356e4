/**
 * The synth command as one bundle with its dependencies (dist/synth.js), which dist/app.js runs (./app.ts).
 */
import { runMain } from '../scripts/lib/cli';
import { main } from './cli';

runMain(main);

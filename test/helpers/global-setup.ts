import { execFileSync } from 'node:child_process';

/** Builds dist/ once before any test file runs: the command-line tests run the built scripts as users do. */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}

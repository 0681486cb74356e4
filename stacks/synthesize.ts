import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { readSynthOutput, type SynthOutput } from '../constructs/shared/plan';
import {
  evaluateGovernance,
  isGoverned,
  policyReportPath,
  policyReportText,
} from '../constructs/shared/policy';
import type { Environment } from '../environments';
import { PlatformStack } from './platform-stack';
import { addTenantShards } from './tenant-shard-stack';

/** An annotation that cdktf wrote into the manifest (warnings, errors from aspects). */
export interface SynthAnnotation {
  readonly stack: string;
  readonly level: 'error' | 'warning' | 'info';
  readonly path: string;
  readonly message: string;
}

/** Synth found error annotations (policy violations). The output directory was left as it was. */
export class SynthError extends Error {
  constructor(readonly annotations: readonly SynthAnnotation[]) {
    super(
      [
        `synth failed with ${annotations.length} error${annotations.length === 1 ? '' : 's'}:`,
        ...annotations.map((a) => `  - [${a.stack}] ${a.path}: ${a.message}`),
      ].join('\n'),
    );
    this.name = 'SynthError';
  }
}

function annotationsOf({ manifest }: SynthOutput): SynthAnnotation[] {
  return Object.entries(manifest.stacks).flatMap(([stack, entry]) =>
    (entry.annotations ?? []).map((a) => ({
      stack,
      level: a.level.endsWith('error') ? 'error' : a.level.endsWith('warn') ? 'warning' : 'info',
      path: a.constructPath,
      message: a.message,
    })),
  ) as SynthAnnotation[];
}

/** The error annotations in the construct tree (aspects have run by the time synth throws). */
function errorAnnotations(app: App): SynthAnnotation[] {
  return app.node.findAll().flatMap((node) =>
    node.node.metadata
      .filter((entry) => entry.type === '@cdktf/error')
      .map((entry) => ({
        stack: node.node.scopes[1]?.node.id ?? '',
        level: 'error' as const,
        path: node.node.path,
        message: String(entry.data),
      })),
  );
}

/** Builds one PlatformStack per environment into `app`, and its tenant shard stacks when the tenants are sharded. */
export function buildApp(app: App, environments: readonly Environment[]): PlatformStack[] {
  return environments.map((environment) => {
    const platform = new PlatformStack(app, environment.name, { environment });
    addTenantShards(app, platform);
    return platform;
  });
}

/** Terraform's working files that survive a re-synth, so that `cdktf deploy` need not re-initialise every time. */
const KEPT_WORKING_FILES = ['.terraform', '.terraform.lock.hcl'];

/**
 * Synthesizes the environments into `outdir` atomically: the app writes into a temporary sibling directory, and only
 * a synth without error annotations replaces `outdir`. A failed synth leaves the previous output untouched and no
 * temporary directory behind.
 *
 * @returns the warnings and infos of the manifest, for the caller to print.
 */
export function synthesizeAtomically(
  environments: readonly Environment[],
  outdir: string,
  build: (app: App, environments: readonly Environment[]) => unknown = buildApp,
): SynthAnnotation[] {
  const target = resolve(outdir);
  mkdirSync(dirname(target), { recursive: true });
  const staging = mkdtempSync(join(dirname(target), `.${basename(target)}.tmp-`));
  let retired: string | undefined;
  try {
    const app = new App({ outdir: staging });
    build(app, environments);
    try {
      app.synth();
    } catch (error) {
      // Without the cdktf CLI, error annotations throw from synth: report them like the CLI path does.
      const errors = errorAnnotations(app);
      throw errors.length > 0 ? new SynthError(errors) : error;
    }
    const output = readSynthOutput(staging);
    const annotations = [...annotationsOf(output), ...governSynthesized(app, output)];
    const errors = annotations.filter((a) => a.level === 'error');
    if (errors.length > 0) throw new SynthError(errors);

    if (existsSync(target)) {
      carryOverWorkingFiles(target, staging);
      retired = `${staging}.old`;
      renameSync(target, retired);
    }
    renameSync(staging, target);
    return annotations.filter((a) => a.level !== 'error');
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  } finally {
    if (retired) rmSync(retired, { recursive: true, force: true });
  }
}

/**
 * Governance, once per stack, on the plan synth has just written: evaluates the checks, writes each stack's
 * policy.json next to its cdk.tf.json, and returns the notes (errors fail the synth). A PlatformStack without
 * governance is an error.
 */
function governSynthesized(app: App, output: SynthOutput): SynthAnnotation[] {
  const notes: SynthAnnotation[] = [];
  for (const stack of app.node.children.filter((c): c is TerraformStack => TerraformStack.isStack(c))) {
    if (!isGoverned(stack)) {
      if (stack instanceof PlatformStack)
        throw new Error(`${stack.node.path}: the policy rule pack did not run`);
      continue;
    }
    const { report, notes: stackNotes } = evaluateGovernance(stack, output.stack(stack.node.id))!;
    writeFileSync(policyReportPath(output, stack.node.id), policyReportText(report));
    for (const note of stackNotes) notes.push({ stack: stack.node.id, ...note });
  }
  return notes;
}

function carryOverWorkingFiles(previous: string, next: string): void {
  const stacksDir = join(previous, 'stacks');
  if (!existsSync(stacksDir)) return;
  for (const stack of readdirSync(stacksDir)) {
    const destination = join(next, 'stacks', stack);
    if (!existsSync(destination)) continue;
    for (const file of KEPT_WORKING_FILES) {
      const source = join(stacksDir, stack, file);
      if (existsSync(source)) renameSync(source, join(destination, file));
    }
  }
}

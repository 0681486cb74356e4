import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { readSynthOutput, type SynthOutput, type TerraformJson } from '../constructs/shared/plan';
import {
  evaluateGovernance,
  type GovernedStack,
  governedStack,
  policyReportPath,
  writePolicyReport,
} from '../constructs/shared/policy';
import type { Environment } from '../environments';
import { stacksOfEnvironment } from '../environments/stack-ids';
import {
  claimOutputDir,
  commitStaging,
  createStaging,
  discardStaging,
  type OutputDir,
  OutputDirError,
} from './output-dir';
import { releaseTokensSince, tokenMark, writtenPlan } from './performance';
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

export interface SynthesizeOptions {
  /**
   * Replace only the stacks of the environments synthesized (their platform stack and every tenant shard, also shards
   * that no longer exist) and keep the other environments' stacks of the previous output: `--env`, `--config`.
   * @default false - the output holds exactly the environments synthesized
   */
  readonly keepOtherEnvironments?: boolean;
  /** Receives one line per stage, for progress on long runs. */
  readonly onStage?: (stage: string) => void;
  /** Receives what synth did besides writing: finished or cleaned-up interrupted runs, kept stacks. */
  readonly onNote?: (note: string) => void;
}

/**
 * Synthesizes the environments into `outdir` atomically: the app writes into a temporary sibling directory, and only
 * a synth without error annotations replaces `outdir` (see ./output-dir for the rules on which directories synth
 * writes and how an interrupted swap is finished). A failed synth leaves the previous output untouched and no
 * temporary directory behind.
 *
 * @returns the warnings and infos of the manifest, for the caller to print.
 */
export function synthesizeAtomically(
  environments: readonly Environment[],
  outdir: string,
  build: (app: App, environments: readonly Environment[]) => unknown = buildApp,
  options: SynthesizeOptions = {},
): SynthAnnotation[] {
  const output = claimOutputDir(outdir, { owner: 'synth', flag: '--outdir' });
  for (const note of output.notes) options.onNote?.(note);
  const staging = createStaging(output);
  try {
    const { governed, written } = synthesizeApp(environments, staging, build, options.onStage);
    const synthesized = readSynthOutput(staging, written);
    const annotations = [...annotationsOf(synthesized), ...governSynthesized(governed, synthesized)];
    const errors = annotations.filter((a) => a.level === 'error');
    if (errors.length > 0) throw new SynthError(errors);

    options.onStage?.('wrote the plans and policy reports');
    const carried = carryOver(output, staging, environments, options.keepOtherEnvironments ?? false);
    commitStaging(output, staging, carried.moves);
    if (carried.kept.length > 0)
      options.onNote?.(`kept ${carried.kept.join(', ')} from the previous ${outdir}`);
    return annotations.filter((a) => a.level !== 'error');
  } catch (error) {
    discardStaging(staging);
    throw error;
  }
}

/**
 * Builds the app into `outdir` and synthesizes it; returns, as plain data, what governance needs of its stacks and
 * the plans as written ({@link writtenPlan}). The app's tokens are released from cdktf's token map once it is
 * synthesized ({@link releaseTokensSince}): when this returns, nothing holds the construct tree, and its memory is
 * free for governance. The stacks that `build` made cannot be synthesized again.
 */
function synthesizeApp(
  environments: readonly Environment[],
  outdir: string,
  build: (app: App, environments: readonly Environment[]) => unknown,
  onStage: ((stage: string) => void) | undefined,
): { governed: GovernedStack[]; written: Map<string, TerraformJson> } {
  const mark = tokenMark();
  try {
    const app = new App({ outdir });
    build(app, environments);
    const stacks = app.node.children.filter((c): c is TerraformStack => TerraformStack.isStack(c));
    onStage?.(`built ${stacks.length} stack${stacks.length === 1 ? '' : 's'}`);
    try {
      app.synth();
    } catch (error) {
      // Without the cdktf CLI, error annotations throw from synth: report them like the CLI path does.
      const errors = errorAnnotations(app);
      throw errors.length > 0 ? new SynthError(errors) : error;
    }
    const written = new Map<string, TerraformJson>();
    for (const stack of stacks) {
      const plan = writtenPlan(stack);
      if (plan !== undefined) written.set(stack.node.id, plan as TerraformJson);
    }
    // A PlatformStack without governance is an error.
    const governed = stacks.flatMap((stack) => {
      const found = governedStack(stack);
      if (!found && stack instanceof PlatformStack)
        throw new Error(`${stack.node.path}: the policy rule pack did not run`);
      return found ? [found] : [];
    });
    return { governed, written };
  } finally {
    releaseTokensSince(mark);
  }
}

/**
 * Governance, once per stack, on the plan synth has just written: evaluates the checks, writes each stack's
 * policy.json next to its cdk.tf.json, and returns the notes (errors fail the synth).
 */
function governSynthesized(governed: readonly GovernedStack[], output: SynthOutput): SynthAnnotation[] {
  const notes: SynthAnnotation[] = [];
  for (const stack of governed) {
    const { report, notes: stackNotes } = evaluateGovernance(stack, output.stack(stack.id))!;
    writePolicyReport(policyReportPath(output, stack.id), report);
    for (const note of stackNotes) notes.push({ stack: stack.id, ...note });
  }
  return notes;
}

/** The manifest cdktf writes at the top of the output. */
interface OutputManifest {
  readonly stacks: Record<string, unknown>;
  readonly [key: string]: unknown;
}

/**
 * What moves from the previous output into the new one: Terraform's working files of every stack synthesized again
 * and, with `keep`, the whole directories of the stacks of other environments, which the new manifest then lists.
 */
function carryOver(
  output: OutputDir,
  staging: string,
  environments: readonly Environment[],
  keep: boolean,
): { moves: string[]; kept: string[] } {
  if (output.previous !== 'owned') return { moves: [], kept: [] };
  const manifestFile = join(staging, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as OutputManifest;
  const workingFiles = Object.keys(manifest.stacks).flatMap((stack) =>
    KEPT_WORKING_FILES.map((file) => join('stacks', stack, file)),
  );
  if (!keep) return { moves: workingFiles, kept: [] };

  const previousFile = join(output.target, 'manifest.json');
  let previous: OutputManifest;
  try {
    previous = JSON.parse(readFileSync(previousFile, 'utf8')) as OutputManifest;
    if (!previous.stacks || typeof previous.stacks !== 'object') throw new Error('it lists no stacks');
  } catch (error) {
    throw new OutputDirError(
      `synth cannot keep the other environments of ${output.path}: ${previousFile} is unreadable (${(error as Error).message}); run a full \`npm run synth\` (without --env and --config), which replaces the whole directory.`,
    );
  }
  const replaced = new Set(
    environments.flatMap((env) => stacksOfEnvironment(env.name, Object.keys(previous.stacks))),
  );
  const kept = Object.keys(previous.stacks).filter(
    (stack) =>
      !replaced.has(stack) && !(stack in manifest.stacks) && existsSync(join(output.target, 'stacks', stack)),
  );
  const stacks = { ...manifest.stacks };
  for (const stack of kept) stacks[stack] = previous.stacks[stack]!;
  const sorted = Object.fromEntries(
    Object.keys(stacks)
      .sort()
      .map((stack) => [stack, stacks[stack]!]),
  );
  writeFileSync(manifestFile, JSON.stringify({ ...manifest, stacks: sorted }, null, 2));
  return { moves: [...kept.map((stack) => join('stacks', stack)), ...workingFiles], kept };
}

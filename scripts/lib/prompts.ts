/**
 * `npm run prompts`: the prompt library per environment, its lock, and publishing to the prompt-library container.
 * Validation and hashing live with the schema (environments/prompt-assets.ts); this file reads the plan for where
 * to publish and talks to Azure Storage through the Azure CLI with Entra ID (`--auth-mode login`): no keys, no SAS.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSynthOutput } from '../../constructs/shared/plan';
import { PROMPT_CONTAINER } from '../../constructs/shared/catalog';
import type { ConfigError, Environment } from '../../environments';
import {
  assetKey,
  canonicalJson,
  environmentPromptProblems,
  LOCK_FILE,
  libraryProblems,
  pinnedAssets,
  type PromptLibraryFiles,
  routedModels,
} from '../../environments/prompt-assets';
import { type CommandEnv, ScriptError } from './cli';

/** Every tenant slug any environment's registry knows. */
export function registryTenants(envs: readonly Environment[]): Set<string> {
  return new Set(envs.flatMap((env) => Object.keys(env.tenants)));
}

/** Every problem of the library and of each environment's pins, in one list. */
export function promptProblems(
  library: PromptLibraryFiles,
  envs: ReadonlyArray<{ env: Environment; source: string }>,
): ConfigError[] {
  return [
    ...libraryProblems(library, registryTenants(envs.map((e) => e.env))),
    ...envs.flatMap(({ env, source }) => environmentPromptProblems(env, source, library)),
  ];
}

/** Throws one error that lists every problem of every file. */
export function assertNoProblems(errors: readonly ConfigError[]): void {
  if (errors.length === 0) return;
  const count = errors.reduce((n, e) => n + e.problems.length, 0);
  throw new ScriptError(
    `${count} problem${count === 1 ? '' : 's'} in the prompt library:\n${errors.map((e) => e.message).join('\n')}`,
  );
}

/** The rows of `npm run prompts` for one environment. */
export function promptRows(env: Environment, library: PromptLibraryFiles): string[][] {
  const routes = routedModels(env);
  return pinnedAssets(env, library).map(({ loaded, via }) => {
    const { asset } = loaded;
    const model =
      asset.kind === 'prompt'
        ? `${asset.model.deployment} (${(routes.get(asset.model.deployment) ?? ['not routed']).join(', ')})`
        : asset.steps.map((s) => `${s.name}: ${assetKey(s.prompt.id, s.prompt.version)}`).join(' → ');
    return [
      asset.id,
      asset.version,
      via ? `${asset.kind} (step of ${via})` : asset.kind,
      model,
      asset.tenant,
      asset.owner,
      loaded.hash.slice(0, 19),
    ];
  });
}

/** The lock with every new version added; a changed or removed version is never rewritten here. */
export function updatedLock(library: PromptLibraryFiles): { text: string; added: string[] } {
  const prompts: Record<string, string> = { ...library.lock };
  const added: string[] = [];
  for (const { asset, hash } of library.assets) {
    const key = assetKey(asset.id, asset.version);
    if (prompts[key] === undefined) {
      prompts[key] = hash;
      added.push(key);
    }
  }
  const sorted = Object.fromEntries(Object.entries(prompts).sort(([a], [b]) => a.localeCompare(b)));
  return { text: `${JSON.stringify({ version: 1, prompts: sorted }, null, 2)}\n`, added };
}

// ---------------------------------------------------------------------------------------------------------------

/** Where an environment publishes: the prompt library's account and the prompts container, read from the plan. */
export function publishTarget(outdir: string, environment: string): { account: string; container: string } {
  const plan = readSynthOutput(outdir).stack(environment);
  const account = plan.byPath('PromptLibrary/Account');
  const container = plan.byPath('PromptLibrary/PlatformContainers/prompts');
  const name = account?.config['name'];
  if (!account || !container || typeof name !== 'string' || name.includes('${')) {
    throw new ScriptError(
      `${outdir}: stack ${environment} has no prompt library with a prompts container (PromptLibrary/PlatformContainers/prompts); synthesize it first (npm run synth).`,
    );
  }
  return { account: name, container: String(container.config['name'] ?? PROMPT_CONTAINER) };
}

/** The blob of one published version: its content with the hash, which a later publish compares. */
export function publishedBlob(loaded: { asset: object; hash: string }): { text: string; hash: string } {
  return { text: `${canonicalJson({ ...loaded.asset, contentHash: loaded.hash })}\n`, hash: loaded.hash };
}

/** What a publish does with each version. */
export interface PublishStep {
  readonly blob: string;
  readonly action: 'upload' | 'unchanged' | 'refused';
  readonly detail: string;
}

/**
 * The Azure CLI, or the binary in AZ (tests use a fake one), found on the PATH of `env`. Blob calls always carry
 * `--auth-mode login`.
 */
function az(env: CommandEnv, args: string[]): { status: number; stdout: string; stderr: string } {
  const binary = env['AZ'] ?? 'az';
  const result = spawnSync(binary, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env });
  if (result.error) {
    throw new ScriptError(
      (result.error as NodeJS.ErrnoException).code === 'ENOENT'
        ? `${binary} is not on PATH: install the Azure CLI or set AZ.`
        : `${binary} failed to start: ${result.error.message}`,
    );
  }
  return { status: result.status ?? 1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

const blobArgs = (target: { account: string; container: string }, blob: string) => [
  '--account-name',
  target.account,
  '--container-name',
  target.container,
  '--name',
  blob,
  '--auth-mode',
  'login',
];

/**
 * Publishes an environment's prompt versions (flows with their steps) and its pin list. A version that exists with
 * another hash refuses the whole publish before anything is written; an existing identical version is left alone.
 * `processEnv` is the command's environment (AZ, and the PATH that finds az).
 */
export function publishPrompts(
  env: Environment,
  library: PromptLibraryFiles,
  target: { account: string; container: string },
  dryRun: boolean,
  processEnv: CommandEnv,
): { steps: PublishStep[]; passed: boolean } {
  const steps: PublishStep[] = [];
  const uploads: Array<{ blob: string; text: string; hash: string; metadata: string[] }> = [];
  for (const { loaded } of pinnedAssets(env, library)) {
    const { asset } = loaded;
    const blob = `${asset.id}/${asset.version}.json`;
    const { text, hash } = publishedBlob(loaded);
    const shown = az(processEnv, [
      'storage',
      'blob',
      'show',
      ...blobArgs(target, blob),
      '--query',
      'metadata',
      '--output',
      'json',
    ]);
    if (shown.status === 0) {
      let existing: string | undefined;
      try {
        existing = (JSON.parse(shown.stdout || '{}') as Record<string, string> | null)?.['contenthash'];
      } catch {
        existing = undefined;
      }
      if (existing === hash) steps.push({ blob, action: 'unchanged', detail: hash });
      else
        steps.push({
          blob,
          action: 'refused',
          detail: `already published with ${existing ?? 'no content hash'}; this content is ${hash}: a version never changes, publish a new version`,
        });
      continue;
    }
    if (!/BlobNotFound|does not exist|not found/i.test(shown.stderr)) {
      throw new ScriptError(
        `az storage blob show ${blob} failed: ${shown.stderr.trim() || `exit ${shown.status}`}`,
      );
    }
    steps.push({ blob, action: 'upload', detail: hash });
    uploads.push({
      blob,
      text,
      hash,
      metadata: [
        `contenthash=${hash}`,
        `promptid=${asset.id}`,
        `version=${asset.version}`,
        `kind=${asset.kind}`,
      ],
    });
  }
  const passed = steps.every((s) => s.action !== 'refused');
  if (!passed || dryRun) return { steps, passed };
  const dir = mkdtempSync(join(tmpdir(), 'prompts-'));
  try {
    for (const upload of uploads) {
      const file = join(dir, 'blob.json');
      writeFileSync(file, upload.text);
      const result = az(processEnv, [
        'storage',
        'blob',
        'upload',
        ...blobArgs(target, upload.blob),
        '--file',
        file,
        '--overwrite',
        'false',
        '--content-type',
        'application/json',
        '--metadata',
        ...upload.metadata,
        '--only-show-errors',
      ]);
      if (result.status !== 0) {
        throw new ScriptError(
          `az storage blob upload ${upload.blob} failed: ${result.stderr.trim() || `exit ${result.status}`}`,
        );
      }
    }
    // Which versions run here: overwritten on each publish (the versions themselves never are).
    const pins = join(dir, 'pins.json');
    writeFileSync(
      pins,
      `${JSON.stringify({ environment: env.name, versions: env.prompts.versions }, null, 2)}\n`,
    );
    const result = az(processEnv, [
      'storage',
      'blob',
      'upload',
      ...blobArgs(target, `environments/${env.name}.json`),
      '--file',
      pins,
      '--overwrite',
      'true',
      '--content-type',
      'application/json',
      '--only-show-errors',
    ]);
    if (result.status !== 0) {
      throw new ScriptError(
        `az storage blob upload environments/${env.name}.json failed: ${result.stderr.trim()}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { steps, passed };
}

export { LOCK_FILE };

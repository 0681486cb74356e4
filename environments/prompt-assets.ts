/**
 * Prompts as versioned code: the assets in `prompts/<id>/<version>.yaml`, their schema, the committed content-hash
 * lock (`prompts/versions.lock.json`) and the checks that relate them to the environments.
 *
 * One asset is one version of a prompt (`kind: prompt`: model route, parameters, inputs and a chat template) or of a
 * flow (`kind: flow`: steps, each naming a prompt by id and version). A version never changes: its content hash is
 * in the lock, and a publish refuses a different hash for a version that already exists.
 *
 * Every problem names the file, the field path, the value received and what was expected, all of them in one run.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { z } from 'zod';
import { readConfigFile } from './config-file';
import { ConfigError, type ConfigProblem, formatPath, problemsFromIssues, renderValue } from './errors';
import type { Environment } from './schema';
import { gatewayPools } from './sections/gateway';
import { PromptId, PromptVersion } from './sections/genaiops';
import { Email, slug } from './sections/primitives';
import { allowedModelsOf, tenantsIn } from './sections/tenants';

/** The tenant of a platform-owned prompt. */
export const PLATFORM_OWNER = 'platform';
export const LOCK_FILE = 'versions.lock.json';

const Text = z.string().trim().min(1, { message: 'expected some text' });

const Inputs = z
  .record(
    z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: 'an input name is an identifier (letters, digits, _)' }),
    z.strictObject({ description: Text, required: z.boolean().default(true) }),
  )
  .default({});

const Common = {
  id: PromptId,
  version: PromptVersion,
  description: Text.max(500, { message: 'expected at most 500 characters' }),
  owner: Email.describe('Who answers for the prompt: a team address.'),
  tenant: z
    .union([z.literal(PLATFORM_OWNER), slug('tenant slug', 24)])
    .describe('The tenant that owns the prompt, or "platform".'),
  inputs: Inputs,
};

const Parameters = z
  .strictObject({
    temperature: z
      .number()
      .min(0, { message: 'expected 0–2' })
      .max(2, { message: 'expected 0–2' })
      .optional(),
    topP: z.number().min(0, { message: 'expected 0–1' }).max(1, { message: 'expected 0–1' }).optional(),
    maxTokens: z.number().int().min(1, { message: 'expected at least 1 token' }).max(128000).optional(),
    presencePenalty: z.number().min(-2).max(2).optional(),
    frequencyPenalty: z.number().min(-2).max(2).optional(),
    seed: z.number().int().optional(),
    responseFormat: z.enum(['text', 'json_object']).optional(),
  })
  .default({});

export const PromptAsset = z.strictObject({
  kind: z.literal('prompt'),
  ...Common,
  model: z.strictObject({
    deployment: slug('model deployment', 64).describe(
      'The gateway route (the deployment name clients call); each environment that pins the prompt must route it.',
    ),
    parameters: Parameters,
  }),
  template: z
    .array(z.strictObject({ role: z.enum(['system', 'user', 'assistant']), content: Text }))
    .min(1, { message: 'expected at least one message' }),
});

export const FlowAsset = z.strictObject({
  kind: z.literal('flow'),
  ...Common,
  steps: z
    .array(
      z.strictObject({
        name: slug('step name', 40),
        prompt: z.strictObject({ id: PromptId, version: PromptVersion }),
      }),
    )
    .min(1, { message: 'expected at least one step' }),
});

export const Asset = z.discriminatedUnion('kind', [PromptAsset, FlowAsset], {
  error: () => 'expected kind "prompt" or "flow"',
});
export type PromptAssetValue = z.output<typeof PromptAsset>;
export type FlowAssetValue = z.output<typeof FlowAsset>;
export type AssetValue = z.output<typeof Asset>;

/** One parsed asset with where it came from and its content hash. */
export interface LoadedAsset {
  /** Relative to the repository: `prompts/<id>/<version>.yaml`. */
  readonly file: string;
  readonly asset: AssetValue;
  /** `sha256-<hex>` of the asset's canonical JSON (keys sorted): formatting and comments do not count. */
  readonly hash: string;
}

export const assetKey = (id: string, version: string) => `${id}@${version}`;

/** JSON with keys sorted at every level: one text per content. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function contentHash(asset: AssetValue): string {
  return `sha256-${createHash('sha256').update(canonicalJson(asset)).digest('hex')}`;
}

/** The `{{name}}` placeholders of a template (Prompty/Jinja style). */
export function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g)].map((m) => m[1]!);
}

/** The library: every asset of a folder, and the problems of each file, all at once. */
export interface PromptLibraryFiles {
  readonly root: string;
  readonly assets: readonly LoadedAsset[];
  readonly lock: Readonly<Record<string, string>>;
  readonly errors: readonly ConfigError[];
}

function problem(path: (string | number)[] | string, message: string, received: unknown): ConfigProblem {
  return {
    path: typeof path === 'string' ? path : formatPath(path),
    message,
    received: received === undefined ? '' : renderValue(received),
  };
}

/** Reads `<root>/<id>/<version>.yaml` files and the lock; never throws for a bad file: its problems are collected. */
export function readPromptLibrary(root = 'prompts', display = root): PromptLibraryFiles {
  const errors: ConfigError[] = [];
  const assets: LoadedAsset[] = [];
  if (!existsSync(root)) return { root: display, assets, lock: {}, errors };
  const shown = (file: string) => [display, ...relative(root, file).split(sep)].join('/');
  for (const dir of readdirSync(root).sort()) {
    const folder = join(root, dir);
    if (!statSync(folder).isDirectory()) continue;
    for (const name of readdirSync(folder).sort()) {
      const file = join(folder, name);
      const label = shown(file);
      if (!/\.ya?ml$/.test(name)) {
        errors.push(
          new ConfigError(label, [
            problem('(file)', 'expected only <version>.yaml files in a prompt folder', name),
          ]),
        );
        continue;
      }
      let raw: unknown;
      try {
        raw = readConfigFile(file);
      } catch (error) {
        if (error instanceof ConfigError) {
          errors.push(new ConfigError(label, error.problems));
          continue;
        }
        throw error;
      }
      const parsed = Asset.safeParse(raw);
      if (!parsed.success) {
        errors.push(new ConfigError(label, problemsFromIssues(parsed.error.issues, raw, Asset)));
        continue;
      }
      const asset = parsed.data;
      const problems: ConfigProblem[] = [];
      const version = name.replace(/\.ya?ml$/, '');
      if (asset.id !== dir) {
        problems.push(problem(['id'], `the id names the folder; expected "${dir}"`, asset.id));
      }
      if (asset.version !== version) {
        problems.push(
          problem(['version'], `the version names the file; expected "${version}"`, asset.version),
        );
      }
      if (asset.kind === 'prompt') {
        const declared = new Set(Object.keys(asset.inputs));
        asset.template.forEach((message, i) => {
          for (const name of placeholders(message.content)) {
            if (!declared.has(name)) {
              problems.push(
                problem(
                  ['template', i, 'content'],
                  `placeholder {{${name}}} is not an input; expected one of: ${[...declared].join(', ') || 'none declared (inputs)'}`,
                  `{{${name}}}`,
                ),
              );
            }
          }
        });
      }
      if (problems.length > 0) errors.push(new ConfigError(label, problems));
      else assets.push({ file: label, asset, hash: contentHash(asset) });
    }
  }
  const lockFile = join(root, LOCK_FILE);
  let lock: Record<string, string> = {};
  if (existsSync(lockFile)) {
    const label = `${display}/${LOCK_FILE}`;
    const Lock = z.strictObject({
      version: z.literal(1),
      prompts: z.record(
        z.string().regex(/^[a-z][a-z0-9-]*@\d+\.\d+\.\d+$/, { message: 'expected "<id>@<version>"' }),
        z.string().regex(/^sha256-[0-9a-f]{64}$/, { message: 'expected "sha256-<64 hex digits>"' }),
      ),
    });
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(lockFile, 'utf8'));
    } catch (error) {
      raw = undefined;
      errors.push(
        new ConfigError(label, [problem('(file)', `expected JSON: ${(error as Error).message}`, undefined)]),
      );
    }
    if (raw !== undefined) {
      const parsed = Lock.safeParse(raw);
      if (parsed.success) lock = parsed.data.prompts;
      else errors.push(new ConfigError(label, problemsFromIssues(parsed.error.issues, raw, Lock)));
    }
  }
  return { root: display, assets, lock, errors };
}

/**
 * The library's own problems: a version whose content differs from its locked hash (reused with different content), a
 * version missing from the lock, a locked version whose file is gone, a flow step that does not exist, a tenant the
 * registry does not know.
 */
export function libraryProblems(
  library: PromptLibraryFiles,
  knownTenants: ReadonlySet<string>,
): ConfigError[] {
  const errors: ConfigError[] = [...library.errors];
  const byKey = new Map(library.assets.map((a) => [assetKey(a.asset.id, a.asset.version), a]));
  for (const loaded of library.assets) {
    const { asset, file, hash } = loaded;
    const problems: ConfigProblem[] = [];
    const key = assetKey(asset.id, asset.version);
    const locked = library.lock[key];
    if (locked === undefined) {
      problems.push(
        problem(
          '(file)',
          `${key} is not in ${library.root}/${LOCK_FILE}; expected its hash there (npm run prompts -- lock)`,
          hash,
        ),
      );
    } else if (locked !== hash) {
      problems.push(
        problem(
          '(file)',
          `${key} is already released with other content (${locked}); a version never changes: expected a new version (e.g. a new file with a higher version)`,
          hash,
        ),
      );
    }
    if (asset.tenant !== PLATFORM_OWNER && !knownTenants.has(asset.tenant)) {
      problems.push(
        problem(
          ['tenant'],
          `no such tenant in the registry; expected "${PLATFORM_OWNER}" or one of: ${[...knownTenants].join(', ')}`,
          asset.tenant,
        ),
      );
    }
    if (asset.kind === 'flow') {
      asset.steps.forEach((step, i) => {
        const target = byKey.get(assetKey(step.prompt.id, step.prompt.version));
        if (!target) {
          const versions = library.assets
            .filter((a) => a.asset.id === step.prompt.id)
            .map((a) => a.asset.version);
          problems.push(
            problem(
              ['steps', i, 'prompt'],
              `no prompt ${assetKey(step.prompt.id, step.prompt.version)} in ${library.root}; expected an existing prompt version${versions.length > 0 ? ` (${step.prompt.id} has ${versions.join(', ')})` : ''}`,
              step.prompt,
            ),
          );
        } else if (target.asset.kind !== 'prompt') {
          problems.push(
            problem(
              ['steps', i, 'prompt'],
              'a step runs a prompt, not a flow; expected a prompt version',
              step.prompt,
            ),
          );
        }
      });
      const names = new Set<string>();
      asset.steps.forEach((step, i) => {
        if (names.has(step.name))
          problems.push(problem(['steps', i, 'name'], 'expected step names of their own', step.name));
        names.add(step.name);
      });
    }
    if (problems.length > 0) errors.push(new ConfigError(file, problems));
  }
  for (const key of Object.keys(library.lock)) {
    if (!byKey.has(key) && !library.errors.some((e) => e.source.includes(`/${key.replace('@', '/')}.`))) {
      errors.push(
        new ConfigError(`${library.root}/${LOCK_FILE}`, [
          problem(
            ['prompts', key],
            `${key} was released and its file is gone; expected ${library.root}/${key.replace('@', '/')}.yaml to stay (environments may still run it)`,
            library.lock[key],
          ),
        ]),
      );
    }
  }
  return errors;
}

/** The prompt versions an environment runs, flows with their steps: what it publishes and evaluates. */
export interface PinnedAsset {
  readonly loaded: LoadedAsset;
  /** The flow that brought this step in, when it is not pinned itself. */
  readonly via?: string;
}

export function pinnedAssets(env: Environment, library: PromptLibraryFiles): PinnedAsset[] {
  const byKey = new Map(library.assets.map((a) => [assetKey(a.asset.id, a.asset.version), a]));
  const out = new Map<string, PinnedAsset>();
  for (const [id, version] of Object.entries(env.prompts.versions).sort(([a], [b]) => a.localeCompare(b))) {
    const loaded = byKey.get(assetKey(id, version));
    if (!loaded) continue;
    out.set(assetKey(id, version), { loaded });
    if (loaded.asset.kind === 'flow') {
      for (const step of loaded.asset.steps) {
        const key = assetKey(step.prompt.id, step.prompt.version);
        const target = byKey.get(key);
        if (target && !out.has(key)) out.set(key, { loaded: target, via: assetKey(id, version) });
      }
    }
  }
  return [...out.values()];
}

/** The routes (deployment names) an environment's gateway serves, with the model versions behind each. */
export function routedModels(env: Environment): Map<string, string[]> {
  const deployments = new Map<string, { name: string; version?: string }>();
  for (const account of Object.values(env.endpoints.accounts)) {
    for (const [name, d] of Object.entries(account!.deployments)) {
      deployments.set(name, { name: d.model.name, ...(d.model.version ? { version: d.model.version } : {}) });
    }
  }
  const routes = new Map<string, string[]>();
  for (const pool of gatewayPools(env)) {
    const models = new Set<string>();
    for (const c of pool.candidates) {
      const d = deployments.get(c.deployment);
      if (d) models.add(`${d.name}@${d.version ?? '(default version)'}`);
    }
    routes.set(pool.model, [...models].sort());
  }
  return routes;
}

/**
 * An environment against the library: every pinned version exists; every prompt it runs (flow steps too) names a
 * route the environment's gateway serves; its owner is a tenant with access in this environment.
 */
export function environmentPromptProblems(
  env: Environment,
  source: string,
  library: PromptLibraryFiles,
): ConfigError[] {
  const errors: ConfigError[] = [];
  const byKey = new Map(library.assets.map((a) => [assetKey(a.asset.id, a.asset.version), a]));
  const envProblems: ConfigProblem[] = [];
  for (const [id, version] of Object.entries(env.prompts.versions)) {
    if (!byKey.has(assetKey(id, version))) {
      const versions = library.assets.filter((a) => a.asset.id === id).map((a) => a.asset.version);
      envProblems.push(
        problem(
          ['prompts', 'versions', id],
          `no ${library.root}/${id}/${version}.yaml; expected a version in the library${versions.length > 0 ? ` (${id} has ${versions.join(', ')})` : ''}`,
          version,
        ),
      );
    }
  }
  if (envProblems.length > 0) errors.push(new ConfigError(source, envProblems));
  const routes = routedModels(env);
  const tenants = new Set(
    tenantsIn(env)
      .filter((t) => t.hasAccess)
      .map((t) => t.slug),
  );
  for (const { loaded, via } of pinnedAssets(env, library)) {
    const problems: ConfigProblem[] = [];
    const pinned = via ? ` (a step of ${via}, pinned in ${env.name})` : ` (pinned in ${env.name})`;
    const { asset } = loaded;
    if (asset.kind === 'prompt' && !routes.has(asset.model.deployment)) {
      problems.push(
        problem(
          ['model', 'deployment'],
          `${env.name} does not route this model${pinned}; expected one of: ${[...routes.keys()].sort().join(', ')}`,
          asset.model.deployment,
        ),
      );
    }
    const owner = asset.tenant === PLATFORM_OWNER ? undefined : env.tenants[asset.tenant];
    const allowed = owner ? allowedModelsOf(env, { tenant: owner }) : [];
    if (
      asset.kind === 'prompt' &&
      owner &&
      tenants.has(asset.tenant) &&
      !allowed.includes(asset.model.deployment)
    ) {
      problems.push(
        problem(
          ['model', 'deployment'],
          `tenant ${asset.tenant} may not call this model${pinned}; expected one of its allowedModels (${allowed.join(', ')})`,
          asset.model.deployment,
        ),
      );
    }
    if (asset.tenant !== PLATFORM_OWNER && !tenants.has(asset.tenant)) {
      problems.push(
        problem(
          ['tenant'],
          `the tenant has no access in ${env.name}${pinned}; expected a tenant with an allocation there, or "${PLATFORM_OWNER}"`,
          asset.tenant,
        ),
      );
    }
    if (problems.length > 0) errors.push(new ConfigError(loaded.file, problems));
  }
  return errors;
}

/**
 * Reading the CI definitions as data: GitHub Actions workflows (with reusable workflows expanded into their jobs) and
 * the Azure DevOps pipeline (with templates expanded), so that tests can assert the job graph.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';

export type Yaml = Record<string, unknown>;

export function readYaml(file: string): Yaml {
  return parse(readFileSync(file, 'utf8')) as Yaml;
}

/**
 * Replaces `${{ <prefix>.<name> }}` in every string and key of `value`, and Azure DevOps'
 * `${{ replace(<prefix>.<name>, 'a', 'b') }}`.
 */
export function substitute(
  value: unknown,
  prefix: string,
  values: Readonly<Record<string, unknown>>,
): unknown {
  const pattern = new RegExp(`\\$\\{\\{\\s*${prefix}\\.([A-Za-z_][\\w-]*)\\s*\\}\\}`, 'g');
  const replaceCall = new RegExp(
    `\\$\\{\\{\\s*replace\\(${prefix}\\.([A-Za-z_][\\w-]*),\\s*'([^']*)',\\s*'([^']*)'\\)\\s*\\}\\}`,
    'g',
  );
  const replace = (text: string) =>
    text
      .replace(replaceCall, (whole, name: string, from: string, to: string) =>
        name in values ? String(values[name]).split(from).join(to) : whole,
      )
      .replace(pattern, (whole, name: string) => (name in values ? String(values[name]) : whole));
  if (typeof value === 'string') return replace(value);
  if (Array.isArray(value)) return value.map((v) => substitute(v, prefix, values));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [replace(k), substitute(v, prefix, values)]),
    );
  }
  return value;
}

/** One GitHub Actions job after reusable workflows are expanded: `dev/plan` is job `plan` of the `dev` call. */
export interface GithubJob {
  readonly id: string;
  readonly needs: readonly string[];
  readonly environment?: string;
  readonly concurrency?: { readonly group: string; readonly 'cancel-in-progress'?: boolean } | string;
  /** Job permissions, or those the calling job grants a reusable workflow's jobs. */
  readonly permissions?: Readonly<Record<string, string>>;
  readonly steps: ReadonlyArray<Yaml>;
  readonly env: Readonly<Record<string, string>>;
  readonly raw: Yaml;
}

const asList = (value: unknown): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [String(value)];

/**
 * The jobs of a workflow file, with `uses: ./.github/workflows/x.yml` calls expanded (inputs substituted); `root` is
 * the repository the `./` paths start from.
 */
export function githubJobs(file: string, root = '.'): GithubJob[] {
  const workflow = readYaml(join(root, file));
  const jobs = workflow['jobs'] as Record<string, Yaml>;
  const expanded: GithubJob[] = [];
  const lastOf = new Map<string, string[]>();
  for (const [id, job] of Object.entries(jobs)) {
    const uses = job['uses'];
    if (typeof uses === 'string' && uses.startsWith('./')) {
      const called = substitute(readYaml(join(root, uses)), 'inputs', (job['with'] as Yaml) ?? {}) as Yaml;
      const inner = called['jobs'] as Record<string, Yaml>;
      const innerIds = Object.keys(inner);
      const needed = new Set(Object.values(inner).flatMap((j) => asList(j['needs'])));
      lastOf.set(
        id,
        innerIds.filter((i) => !needed.has(i)).map((i) => `${id}/${i}`),
      );
      for (const [innerId, innerJob] of Object.entries(inner)) {
        const innerNeeds = asList(innerJob['needs']);
        expanded.push({
          id: `${id}/${innerId}`,
          needs: innerNeeds.length > 0 ? innerNeeds.map((n) => `${id}/${n}`) : asList(job['needs']),
          ...(innerJob['environment'] ? { environment: String(innerJob['environment']) } : {}),
          ...(innerJob['concurrency']
            ? { concurrency: innerJob['concurrency'] as GithubJob['concurrency'] }
            : {}),
          permissions: (innerJob['permissions'] ?? job['permissions']) as Record<string, string>,
          steps: (innerJob['steps'] as Yaml[]) ?? [],
          env: {
            ...((called['env'] as Record<string, string>) ?? {}),
            ...((innerJob['env'] as Record<string, string>) ?? {}),
          },
          raw: innerJob,
        });
      }
    } else {
      expanded.push({
        id,
        needs: asList(job['needs']),
        ...(job['environment'] ? { environment: String(job['environment']) } : {}),
        ...(job['concurrency'] ? { concurrency: job['concurrency'] as GithubJob['concurrency'] } : {}),
        ...(job['permissions'] ? { permissions: job['permissions'] as Record<string, string> } : {}),
        steps: (job['steps'] as Yaml[]) ?? [],
        env: {
          ...((workflow['env'] as Record<string, string>) ?? {}),
          ...((job['env'] as Record<string, string>) ?? {}),
        },
        raw: job,
      });
    }
  }
  // A job that needs a reusable-workflow call waits for that workflow's last jobs.
  return expanded.map((j) => ({ ...j, needs: j.needs.flatMap((n) => lastOf.get(n) ?? [n]) }));
}

/** Every job `id` waits for, directly or not. */
export function ancestors(
  jobs: readonly { id: string; needs: readonly string[] }[],
  id: string,
): Set<string> {
  const byId = new Map(jobs.map((j) => [j.id, j]));
  const seen = new Set<string>();
  const visit = (current: string) => {
    for (const need of byId.get(current)?.needs ?? []) {
      if (!seen.has(need)) {
        seen.add(need);
        visit(need);
      }
    }
  };
  visit(id);
  return seen;
}

/** The shell of a step (`run`, or an Azure DevOps `script` / AzureCLI@2 inline script). */
export function scriptOf(step: Yaml): string {
  const inputs = step['inputs'] as Yaml | undefined;
  return String(step['run'] ?? step['script'] ?? step['bash'] ?? inputs?.['inlineScript'] ?? '');
}

/** One Azure DevOps job after templates are expanded, with its stage. */
export interface AdoJob {
  readonly stage: string;
  readonly stageDependsOn: readonly string[];
  readonly stageCondition?: string;
  readonly stageLockBehavior?: string;
  readonly id: string;
  readonly deployment: boolean;
  readonly environment?: string;
  readonly steps: ReadonlyArray<Yaml>;
}

/** Expands `template:` references (stages, jobs, steps) relative to the including file, parameters substituted. */
function expandTemplates(items: readonly Yaml[], from: string): Yaml[] {
  return items.flatMap((item) => {
    const template = item['template'];
    if (typeof template !== 'string') return [expandNested(item, from)];
    const file = join(dirname(from), template);
    const raw = readYaml(file);
    const defaults = Object.fromEntries(
      ((raw['parameters'] as Yaml[] | undefined) ?? [])
        .filter((p) => 'default' in p)
        .map((p) => [String(p['name']), p['default']]),
    );
    const doc = substitute(raw, 'parameters', {
      ...defaults,
      ...((item['parameters'] as Yaml) ?? {}),
    }) as Yaml;
    const body = (doc['stages'] ?? doc['jobs'] ?? doc['steps']) as Yaml[];
    return expandTemplates(body, file);
  });
}

function expandNested(item: Yaml, from: string): Yaml {
  const out: Yaml = { ...item };
  for (const key of ['jobs', 'steps']) {
    if (Array.isArray(item[key])) out[key] = expandTemplates(item[key] as Yaml[], from);
  }
  const deploy = (((item['strategy'] as Yaml)?.['runOnce'] as Yaml)?.['deploy'] as Yaml) ?? undefined;
  if (deploy && Array.isArray(deploy['steps']))
    out['steps'] = expandTemplates(deploy['steps'] as Yaml[], from);
  return out;
}

export function adoPipeline(file: string): { root: Yaml; stages: Yaml[]; jobs: AdoJob[] } {
  const root = readYaml(file);
  return { root, ...adoStages(root, file) };
}

function adoStages(root: Yaml, file: string): { stages: Yaml[]; jobs: AdoJob[] } {
  const stages = expandTemplates(root['stages'] as Yaml[], file);
  const jobs = stages.flatMap((stage) =>
    ((stage['jobs'] as Yaml[]) ?? []).map((job) => ({
      stage: String(stage['stage']),
      stageDependsOn: asList(stage['dependsOn']),
      ...(stage['condition'] ? { stageCondition: String(stage['condition']) } : {}),
      ...(stage['lockBehavior'] ? { stageLockBehavior: String(stage['lockBehavior']) } : {}),
      id: String(job['deployment'] ?? job['job']),
      deployment: 'deployment' in job,
      ...(job['environment'] ? { environment: String(job['environment']) } : {}),
      steps: (job['steps'] as Yaml[]) ?? [],
    })),
  );
  return { stages, jobs };
}

/**
 * The environments (stack ids) a CI definition names: `--env`, `--from`, `--to` arguments, and deployment
 * environments `<env>` / `<env>-plan`. Matrix values come in through `matrixValues`.
 */
export function namedEnvironments(
  scripts: readonly string[],
  environments: readonly string[],
  matrixValues: readonly string[] = [],
): string[] {
  const fromScripts = scripts.flatMap((s) =>
    [...s.matchAll(/--(?:env|from|to)[ =](?:"([^"]+)"|(\S+))/g)].map((m) => (m[1] ?? m[2]!).trim()),
  );
  const expand = (name: string) =>
    /\$\{\{\s*matrix\.[\w-]+\s*\}\}/.test(name)
      ? matrixValues.map((v) => name.replace(/\$\{\{\s*matrix\.[\w-]+\s*\}\}/, v))
      : [name];
  return [
    ...new Set(
      [...fromScripts, ...environments.map((e) => e.replace(/-(plan|verify|publish|evaluate)$/, ''))].flatMap(
        expand,
      ),
    ),
  ].sort();
}

/**
 * `npm run new-env`: the edits it plans for this repository, checked on a copy of the pipeline files with the
 * blueprint's own pipeline-coverage invariant. (The scratch-copy procedure test synthesizes the result.)
 */
import { cpSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEnvironments } from '../../environments';
import { DEFAULT_ENVIRONMENT_CODES } from '../../environments/sections/foundation';
import { codeFor, identifierOf, matchingClose, planNewEnvironment } from '../../scripts/lib/new-env';
import { checkAzureDevOpsCoverage, checkGithubCoverage } from '../helpers/pipeline-coverage';

const known = loadEnvironments({ rules: false }).map((env) => ({
  name: env.name,
  stage: env.stage,
  code: env.naming.environmentCode ?? DEFAULT_ENVIRONMENT_CODES[env.name] ?? env.name,
  continuousEvaluation: env.evaluation?.continuous !== undefined,
}));

/** The plan's files written over a copy of the pipeline definitions. */
function pipelinesAfter(files: ReadonlyMap<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'lz-new-env-'));
  for (const dir of ['.github', '.azure-pipelines']) cpSync(dir, join(root, dir), { recursive: true });
  cpSync('azure-pipelines.yml', join(root, 'azure-pipelines.yml'));
  for (const [file, text] of files) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  }
  return root;
}

describe.each(known)('a copy of $name', (source) => {
  const stages = source.stage === 'dev' ? (['dev'] as const) : ([source.stage, 'prod'] as const);
  it.each([...new Set(stages)])(
    'as stage %s: own file, state container, code, allocations and pipelines',
    (stage) => {
      const name = `${source.name.slice(0, 8)}-copy`;
      const plan = planNewEnvironment('.', { name, from: source.name, stage }, known);
      const envFile = plan.files.get(`environments/${name}.ts`)!;
      expect(envFile).toContain(`export const ${identifierOf(name)} = {`);
      expect(envFile).toContain(`name: '${name}',`);
      expect(envFile).toContain(`stage: '${stage}',`);
      expect(envFile).toContain(`containerName: 'tfstate-${name}',`);
      const code = /environmentCode: '([a-z0-9]+)'/.exec(envFile)?.[1];
      expect(known.map((e) => e.code)).not.toContain(code);
      expect(plan.files.get('environments/index.ts')).toMatch(new RegExp(`'${name}': ${identifierOf(name)}`));

      // Every tenant allocation for the source has its copy, marked for review.
      const tenants = plan.files.get('environments/tenants.ts')!;
      const sources = tenants.match(new RegExp(`\\n\\s+(${source.name}|'${source.name}'): `, 'g')) ?? [];
      const copies = tenants.match(new RegExp(`\\n\\s+'${name}': `, 'g')) ?? [];
      expect(copies.length).toBe(sources.length);
      expect(tenants.match(new RegExp(`// ${name}: copied from ${source.name}`, 'g'))?.length).toBe(
        sources.length,
      );

      const root = pipelinesAfter(plan.files);
      const environments = [...known, { name, stage, continuousEvaluation: source.continuousEvaluation }];
      checkGithubCoverage(root, environments);
      checkAzureDevOpsCoverage(root, environments);
      expect(plan.manual.join('\n')).toMatch(/bootstrap-state[\s\S]*identities[\s\S]*environments/);
    },
  );
});

describe('new-env refuses', () => {
  const [first] = known;
  it.each([
    ['an existing name', { name: first!.name, from: first!.name }, /exists already/],
    ['an unknown source', { name: 'new-one', from: 'nowhere' }, /unknown --from "nowhere"; expected one of/],
    ['a name that is no slug', { name: 'Prod EU', from: first!.name }, /--name must be/],
    ['a code in use', { name: 'new-one', from: first!.name, code: first!.code }, /naming code/],
  ])('%s', (_, request, message) => {
    expect(() => planNewEnvironment('.', request, known)).toThrow(message);
  });
});

describe('helpers', () => {
  it('derives a free code of at most 3 characters, and an identifier', () => {
    expect(codeFor('prod-eu', ['dev', 'stg', 'prd'])).toBe('pe');
    expect(codeFor('prod-eu', ['pe', 'pro'])).toBe('pr1');
    expect(identifierOf('prod-eu-2')).toBe('prodEu2');
  });

  it('matches brackets across strings and comments', () => {
    const text = "{ a: '}', b: { c: [1, '{'] } // }\n}";
    expect(matchingClose(text, 0)).toBe(text.length - 1);
  });
});

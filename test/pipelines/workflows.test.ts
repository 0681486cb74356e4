/**
 * The CI definitions as a job graph. Blueprint invariant: every environment the project loads is planned on pull
 * requests and deployed on main in stage order (dev → staging → promotion guard → prod), each with its own approval
 * environment and concurrency group, the reviewed plan applied (never a second plan). And for the files as a whole:
 * OIDC without credential secrets, pinned actions, only stacks that exist.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadEnvironments } from '../../environments';
import { stacksOfEnvironment } from '../../environments/stack-ids';
import { examplesOutput } from '../helpers/examples';
import { checkAzureDevOpsCoverage, checkGithubCoverage } from '../helpers/pipeline-coverage';
import {
  adoPipeline,
  type GithubJob,
  githubJobs,
  namedEnvironments,
  scriptOf,
  type Yaml,
} from '../helpers/workflows';

/** Every environment the project loads: the adopter's own, whatever they are. */
const ENVIRONMENTS = loadEnvironments({ rules: false }).map(({ name, stage, evaluation }) => ({
  name,
  stage,
  continuousEvaluation: evaluation?.continuous !== undefined,
}));
const WORKFLOWS = readdirSync('.github/workflows').map((f) => `.github/workflows/${f}`);
const manifestStacks = examplesOutput().stackIds;

/** Secrets a workflow may read: none of them is a credential to Azure or to the state. */
const ALLOWED_SECRETS: Readonly<Record<string, string>> = {
  ONCALL_WEBHOOK_URL: "the on-call pager's webhook URL (its integration key), a Terraform variable of prod",
};

const deploy = githubJobs('.github/workflows/deploy.yml');
const pullRequest = githubJobs('.github/workflows/pull-request.yml');
const job = (jobs: readonly GithubJob[], id: string) => {
  const found = jobs.find((j) => j.id === id);
  expect(found, id).toBeDefined();
  return found!;
};
const runs = (j: GithubJob) => j.steps.map(scriptOf).filter(Boolean).join('\n');
const usesOf = (j: GithubJob, action: string) =>
  j.steps.filter((s) => String(s['uses'] ?? '').startsWith(action));

describe('every environment the project loads (blueprint invariant)', () => {
  it('is deployed by GitHub Actions in stage order, planned then applied from its reviewed plan, prod behind a guard', () => {
    checkGithubCoverage('.', ENVIRONMENTS);
  });

  it('is deployed by Azure DevOps in stage order, planned then applied from its reviewed plan, prod behind a guard', () => {
    checkAzureDevOpsCoverage('.', ENVIRONMENTS);
  });

  it('gets its own concurrency group', () => {
    const groups = deploy.flatMap((j) =>
      typeof j.concurrency === 'object' ? [j.concurrency.group] : j.concurrency ? [j.concurrency] : [],
    );
    expect(new Set(groups).size).toBe(ENVIRONMENTS.length);
  });

  it("has its pull-request checks named in the README's list of required checks", () => {
    const readme = readFileSync('README.md', 'utf8');
    // The README names them by pattern (its examples are the shipped environments'); any environment fits it.
    const checks = [
      String(job(pullRequest, 'test').raw['name']),
      'plan <env>',
      'promotion guard staging → <env>',
    ];
    // The job names the checks take once GitHub expands the matrices.
    expect(String(job(pullRequest, 'plan').raw['name'])).toBe('plan ${{ matrix.environment }}');
    expect(String(job(pullRequest, 'promotion-guard').raw['name'])).toBe(
      'promotion guard ${{ matrix.from }} → ${{ matrix.to }}',
    );
    for (const check of checks) expect(readme, check).toContain(`\`${check}\``);
  });

  it('names its approvals in the README: required reviewers on GitHub, Exclusive Lock and Approvals on Azure DevOps', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(readme).toMatch(/`staging` and `prod`[^.]*required reviewers/i);
    expect(readme).toMatch(/Exclusive Lock/);
  });
});

describe('GitHub Actions: deploy (main)', () => {
  it('synthesizes once, in build, after the tests, and publishes the audit report', () => {
    const build = job(deploy, 'build');
    expect(runs(build).split('\n')).toEqual(['npm ci', 'npm test', 'npm run synth', 'npm run audit']);
    expect(usesOf(build, 'actions/upload-artifact').map((s) => (s['with'] as Yaml)['name'])).toEqual([
      'audit',
      'synth',
    ]);
  });

  it('runs each promotion guard with pipefail, so that a blocked promotion fails its job', () => {
    const guards = deploy.filter((j) => /promote -- --from/.test(runs(j)));
    expect(guards.length).toBe(ENVIRONMENTS.filter((e) => e.stage === 'prod').length);
    for (const guard of guards) expect(runs(guard), guard.id).toMatch(/set -o pipefail/);
  });
});

describe('GitHub Actions: pull request', () => {
  it('tests, synthesizes and audits, then runs the guards and plans every environment in parallel', () => {
    expect(runs(job(pullRequest, 'test')).split('\n')).toEqual([
      'npm ci',
      'npm test',
      'npm run synth',
      'npm run audit',
    ]);
    const plan = job(pullRequest, 'plan');
    expect(plan.needs).toEqual(['test']);
    expect(plan.environment).toBe('${{ matrix.environment }}-plan');
    expect(runs(plan)).toContain('pipeline.js plan --env "${{ matrix.environment }}"');
    expect(job(pullRequest, 'promotion-guard').needs).toEqual(['test']);
  });

  it('applies nothing and uploads no saved plan, only summaries, which one comment shows', () => {
    const all = pullRequest.map(runs).join('\n');
    expect(all).not.toMatch(/pipeline\.js apply|terraform apply/);
    const uploads = pullRequest.flatMap((j) =>
      usesOf(j, 'actions/upload-artifact').map((s) => s['with'] as Yaml),
    );
    expect(uploads.map((u) => u['path'])).not.toContain('plan-bundle/');
    const comment = job(pullRequest, 'comment');
    expect(comment.permissions).toEqual({ 'pull-requests': 'write' });
    expect(comment.needs).toEqual(['test', 'promotion-guard', 'plan']);
  });
});

describe.each(WORKFLOWS)('%s', (file) => {
  const text = readFileSync(file, 'utf8');
  const workflow = parse(text) as Yaml;
  const jobs = githubJobs(file);

  it('grants only read access at the top and id-token: write only to jobs that sign in to Azure', () => {
    expect(workflow['permissions']).toEqual({ contents: 'read' });
    for (const j of jobs) {
      const signsIn = usesOf(j, 'azure/login').length > 0 || j.env['ARM_USE_OIDC'] === 'true';
      if (signsIn) expect(j.permissions?.['id-token'], j.id).toBe('write');
      else expect(j.permissions?.['id-token'], j.id).toBeUndefined();
    }
  });

  it('signs in to Azure with OIDC only: client, tenant and subscription ids, no secret', () => {
    for (const j of jobs) {
      for (const login of usesOf(j, 'azure/login')) {
        expect(Object.keys(login['with'] as Yaml).sort(), j.id).toEqual([
          'client-id',
          'subscription-id',
          'tenant-id',
        ]);
        expect(JSON.stringify(login['with'])).not.toMatch(/secrets\./);
      }
      if (j.env['ARM_USE_OIDC'] === 'true') {
        expect(j.env['ARM_CLIENT_ID'], j.id).toBe('${{ vars.AZURE_CLIENT_ID }}');
      }
    }
    expect(text).not.toMatch(
      /ARM_CLIENT_SECRET|ARM_ACCESS_KEY|client-secret|\bcreds:|AZURE_CREDENTIALS|sas_token/i,
    );
    const secrets = [...text.matchAll(/secrets\.([A-Za-z_]+)/g)].map((m) => m[1]!);
    for (const name of secrets) expect(Object.keys(ALLOWED_SECRETS), `secrets.${name}`).toContain(name);
  });

  it('pins every action to a full commit SHA, with its version in a comment', () => {
    const uses = [...text.matchAll(/uses: (\S+)(.*)$/gm)];
    expect(uses.length).toBeGreaterThan(0);
    for (const [, ref, comment] of uses) {
      if (ref!.startsWith('./')) continue;
      expect(ref, ref).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
      expect(comment, ref).toMatch(/^ # v\d+\.\d+\.\d+$/);
    }
  });

  // A reusable workflow names `${{ inputs.environment }}`: its callers' values are checked with the caller.
  it.skipIf('workflow_call' in ((workflow['on'] as Yaml) ?? {}))(
    'names only environments whose stacks exist in the synthesized output',
    () => {
      const scripts = jobs.map(runs);
      const environments = jobs.map((j) => j.environment).filter((e): e is string => e !== undefined);
      const matrix = jobs.flatMap((j) => {
        const m = (j.raw['strategy'] as Yaml | undefined)?.['matrix'] as Yaml | undefined;
        const values = m?.['environment'];
        const pairs = (m?.['include'] ?? []) as Array<{ from: string; to: string }>;
        return [
          ...(Array.isArray(values) ? values.map(String) : []),
          ...pairs.flatMap((p) => [p.from, p.to]),
        ];
      });
      for (const env of namedEnvironments(scripts, environments, matrix)) {
        expect(stacksOfEnvironment(env, manifestStacks), `${file} names "${env}"`).toContain(env);
      }
    },
  );
});

describe('Azure DevOps pipeline', () => {
  const { jobs } = adoPipeline('azure-pipelines.yml');

  it('signs in through workload identity federation service connections, never a secret', () => {
    const text = [
      'azure-pipelines.yml',
      ...readdirSync('.azure-pipelines').map((f) => `.azure-pipelines/${f}`),
    ]
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    expect(text).not.toMatch(/ARM_CLIENT_SECRET|servicePrincipalKey|ARM_ACCESS_KEY|addSpnToEnvironment/);
    const steps = jobs.flatMap((j) => j.steps).filter((s) => String(s['task']).startsWith('AzureCLI@'));
    expect(steps.length).toBeGreaterThan(0);
    for (const step of steps) {
      const connection = String((step['inputs'] as Yaml)['azureSubscription']);
      expect(connection).toMatch(/^lz-[a-z0-9-]+-(plan|deploy|verify)$/);
      if (connection.endsWith('-verify')) {
        // verify signs in with the Azure CLI session the task opens through the connection's federation.
        expect(scriptOf(step)).toMatch(/verify\.js .*--auth cli/);
        expect((step['inputs'] as Yaml)['addSpnToEnvironment']).toBeUndefined();
        continue;
      }
      if (/prompts\.js publish |evaluate\.js /.test(scriptOf(step))) {
        // publish and evaluate call Azure through the CLI session of the deploy connection (Entra ID, no keys).
        expect(connection).toMatch(/-deploy$/);
        expect((step['inputs'] as Yaml)['addSpnToEnvironment']).toBeUndefined();
        continue;
      }
      expect(scriptOf(step)).toContain('ARM_USE_OIDC=true');
      expect(scriptOf(step)).toContain(
        'ARM_OIDC_AZURE_SERVICE_CONNECTION_ID="$AZURESUBSCRIPTION_SERVICE_CONNECTION_ID"',
      );
      expect((step['env'] as Yaml)['ARM_OIDC_REQUEST_TOKEN']).toBe('$(System.AccessToken)');
    }
  });

  it('uses stage and job ids Azure DevOps accepts (letters, digits and _), and names only environments that exist', () => {
    for (const j of jobs) {
      expect(j.stage, j.stage).toMatch(/^[A-Za-z0-9_]+$/);
      expect(j.id, j.id).toMatch(/^[A-Za-z0-9_]+$/);
    }
    const scripts = jobs.flatMap((j) => j.steps.map(scriptOf));
    const environments = jobs.map((j) => j.environment).filter((e): e is string => e !== undefined);
    for (const env of namedEnvironments(scripts, environments)) {
      expect(stacksOfEnvironment(env, manifestStacks), `azure-pipelines.yml names "${env}"`).toContain(env);
    }
  });
});

describe('the stack-name check', () => {
  it('catches a workflow that names a stack that does not exist', () => {
    const names = namedEnvironments(
      ['node dist/scripts/pipeline.js plan --env "qa" --bundle x'],
      ['uat-plan'],
    );
    expect(names).toEqual(['qa', 'uat']);
    for (const env of names) expect(stacksOfEnvironment(env, manifestStacks)).toEqual([]);
  });
});

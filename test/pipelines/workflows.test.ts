/**
 * The CI definitions as a job graph: dev → staging → prod, approvals on staging and prod, OIDC without credential
 * secrets, one concurrency group per environment, the reviewed plan applied (never a second plan), pinned actions,
 * and only stacks that exist.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { EXAMPLE_ENVIRONMENTS } from '../../environments';
import { stacksOfEnvironment } from '../../environments/stack-ids';
import { examplesOutput } from '../helpers/examples';
import {
  adoPipeline,
  ancestors,
  type GithubJob,
  githubJobs,
  namedEnvironments,
  scriptOf,
  type Yaml,
} from '../helpers/workflows';

const ENVIRONMENTS = Object.keys(EXAMPLE_ENVIRONMENTS); // dev, staging, prod: the promotion order
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

describe('GitHub Actions: deploy (main)', () => {
  it('deploys dev, then staging, then prod, each planned before it is applied and verified after', () => {
    const order = ENVIRONMENTS.flatMap((env) => [`${env}/plan`, `${env}/apply`, `${env}/verify`]);
    order.forEach((id, i) => {
      const before = ancestors(deploy, id);
      for (const earlier of ['build', ...order.slice(0, i)])
        expect(before, `${id} waits for ${earlier}`).toContain(earlier);
      for (const later of order.slice(i + 1))
        expect(before, `${id} must not wait for ${later}`).not.toContain(later);
    });
    expect(job(deploy, 'dev/plan').needs).toEqual(['build']);
    expect(job(deploy, 'staging/plan').needs).toEqual(['dev/verify']);
    expect(job(deploy, 'prod/plan').needs).toEqual(['promotion-guard']);
    expect(job(deploy, 'promotion-guard').needs).toEqual(['staging/verify']);
    for (const env of ENVIRONMENTS) {
      expect(job(deploy, `${env}/verify`).needs).toEqual([`${env}/apply`]);
      expect(runs(job(deploy, `${env}/verify`))).toContain(`verify.js --env "${env}"`);
    }
  });

  it("runs the promotion guard staging → prod before prod is planned, on staging's verification report", () => {
    expect(runs(job(deploy, 'promotion-guard'))).toMatch(
      /npm run --silent promote -- --from staging --to prod --outdir cdktf\.out --verification verification\/staging/,
    );
    expect(
      usesOf(job(deploy, 'promotion-guard'), 'actions/download-artifact').map((s) => s['with']),
    ).toContainEqual({ name: 'verify-staging', path: 'verification/staging' });
    expect(runs(job(deploy, 'promotion-guard'))).toMatch(/set -o pipefail/);
  });

  it('gates every apply by its GitHub environment (required reviewers on staging and prod), plans by <env>-plan', () => {
    for (const env of ENVIRONMENTS) {
      expect(job(deploy, `${env}/apply`).environment).toBe(env);
      expect(job(deploy, `${env}/plan`).environment).toBe(`${env}-plan`);
    }
    const readme = readFileSync('README.md', 'utf8');
    expect(readme).toMatch(/required reviewers/i);
    expect(readme).toMatch(/`staging` and `prod`[^.]*required reviewers/i);
  });

  it('gives each environment one concurrency group for its plan and apply, never cancelled in progress', () => {
    const groups = new Set<string>();
    for (const env of ENVIRONMENTS) {
      for (const step of ['plan', 'apply']) {
        expect(job(deploy, `${env}/${step}`).concurrency).toEqual({
          group: `deploy-${env}`,
          'cancel-in-progress': false,
        });
      }
      groups.add(`deploy-${env}`);
    }
    expect(groups.size).toBe(ENVIRONMENTS.length);
  });

  it('applies the plan the reviewers saw: the plan job uploads the saved plans, the apply job downloads and applies them', () => {
    for (const env of ENVIRONMENTS) {
      const plan = job(deploy, `${env}/plan`);
      const apply = job(deploy, `${env}/apply`);
      expect(apply.needs).toEqual([`${env}/plan`]);
      expect(runs(plan)).toContain(`pipeline.js plan --env "${env}" --outdir cdktf.out --bundle plan-bundle`);
      const upload = usesOf(plan, 'actions/upload-artifact').map((s) => s['with'] as Yaml);
      expect(upload).toContainEqual(
        expect.objectContaining({ name: `plan-${env}`, path: 'plan-bundle/', 'include-hidden-files': true }),
      );
      const downloads = usesOf(apply, 'actions/download-artifact').map((s) => s['with'] as Yaml);
      expect(downloads).toEqual([{ name: `plan-${env}`, path: 'cdktf.out' }]);
      expect(runs(apply)).toContain('pipeline.js apply --bundle cdktf.out');
      // No second plan and no second synth between approval and apply.
      expect(runs(apply)).not.toMatch(
        /pipeline\.js plan|terraform (plan|apply)|cdktf (synth|diff|deploy)|npm run synth|dist\/app\.js/,
      );
    }
  });

  it('synthesizes once, in build, after the tests, and publishes the audit report', () => {
    const build = job(deploy, 'build');
    expect(runs(build).split('\n')).toEqual(['npm ci', 'npm test', 'npm run synth', 'npm run audit']);
    expect(usesOf(build, 'actions/upload-artifact').map((s) => (s['with'] as Yaml)['name'])).toEqual([
      'audit',
      'synth',
    ]);
  });
});

describe('GitHub Actions: pull request', () => {
  it('tests, synthesizes and audits, then runs the guard and plans every environment in parallel', () => {
    expect(runs(job(pullRequest, 'test')).split('\n')).toEqual([
      'npm ci',
      'npm test',
      'npm run synth',
      'npm run audit',
    ]);
    const plan = job(pullRequest, 'plan');
    expect(plan.needs).toEqual(['test']);
    expect((plan.raw['strategy'] as Yaml)['matrix']).toEqual({ environment: ENVIRONMENTS });
    expect(plan.environment).toBe('${{ matrix.environment }}-plan');
    expect(runs(plan)).toContain('pipeline.js plan --env "${{ matrix.environment }}"');
    expect(runs(job(pullRequest, 'promotion-guard'))).toContain('promote -- --from staging --to prod');
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
        const values = ((j.raw['strategy'] as Yaml | undefined)?.['matrix'] as Yaml | undefined)?.[
          'environment'
        ];
        return Array.isArray(values) ? values.map(String) : [];
      });
      for (const env of namedEnvironments(scripts, environments, matrix)) {
        expect(stacksOfEnvironment(env, manifestStacks), `${file} names "${env}"`).toContain(env);
      }
    },
  );
});

describe('Azure DevOps pipeline', () => {
  const { root, jobs } = adoPipeline('azure-pipelines.yml');
  const stage = (id: string) => {
    const found = jobs.filter((j) => j.stage === id);
    expect(found.length, id).toBeGreaterThan(0);
    return found;
  };
  const adoRuns = (id: string) =>
    stage(id)
      .flatMap((j) => j.steps.map(scriptOf))
      .join('\n');

  it('has the same stages: build, then dev, staging, the guard and prod, each planned before it is applied', () => {
    const order = [
      'build',
      'dev_plan',
      'dev_apply',
      'dev_verify',
      'staging_plan',
      'staging_apply',
      'staging_verify',
      'promotion_guard',
      'prod_plan',
      'prod_apply',
      'prod_verify',
    ];
    const graph = [...new Map(jobs.map((j) => [j.stage, { id: j.stage, needs: j.stageDependsOn }])).values()];
    order.forEach((id, i) => {
      expect(stage(id)[0]!.stageDependsOn).toEqual(i === 0 ? [] : [order[i - 1]]);
      expect([...ancestors(graph, id)].sort()).toEqual(order.slice(0, i).sort());
    });
    for (const id of order.slice(1))
      expect(stage(id)[0]!.stageCondition).toMatch(
        /refs\/heads\/main.*ne\(variables\['Build\.Reason'\], 'PullRequest'\)/,
      );
    expect(adoRuns('promotion_guard')).toMatch(
      /promote -- --from staging --to prod --outdir cdktf\.out --verification verification\/staging/,
    );
  });

  it('applies in deployment jobs against the environments (approvals on staging and prod), with exclusive locks', () => {
    expect(root['lockBehavior']).toBe('sequential');
    for (const env of ENVIRONMENTS) {
      expect(stage(`${env}_apply`)).toEqual([
        expect.objectContaining({ deployment: true, environment: env, stageLockBehavior: 'sequential' }),
      ]);
      expect(stage(`${env}_plan`)).toEqual([
        expect.objectContaining({
          deployment: true,
          environment: `${env}-plan`,
          stageLockBehavior: 'sequential',
        }),
      ]);
    }
    expect(readFileSync('README.md', 'utf8')).toMatch(/Exclusive Lock/);
  });

  it('signs in through workload identity federation service connections, never a secret', () => {
    const text = [
      'azure-pipelines.yml',
      ...readdirSync('.azure-pipelines').map((f) => `.azure-pipelines/${f}`),
    ]
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    expect(text).not.toMatch(/ARM_CLIENT_SECRET|servicePrincipalKey|ARM_ACCESS_KEY|addSpnToEnvironment/);
    for (const j of jobs) {
      for (const step of j.steps.filter((s) => String(s['task']).startsWith('AzureCLI@'))) {
        const connection = String((step['inputs'] as Yaml)['azureSubscription']);
        const env = j.stage.replace(/_(plan|apply|verify)$/, '').replace(/^pr$/, '');
        if (j.stage.endsWith('_verify')) {
          // verify reads its tokens from the signed-in Azure CLI; Terraform does not run here.
          expect(connection).toBe(`lz-${env}-verify`);
          expect(scriptOf(step)).toContain(`verify.js --env ${env} --outdir cdktf.out --auth cli`);
          continue;
        }
        if (j.stage.endsWith('_apply')) expect(connection).toBe(`lz-${env}-deploy`);
        else expect(connection).toMatch(/^lz-(dev|staging|prod)-plan$/);
        expect(scriptOf(step)).toContain('ARM_USE_OIDC=true');
        expect(scriptOf(step)).toContain(
          'ARM_OIDC_AZURE_SERVICE_CONNECTION_ID="$AZURESUBSCRIPTION_SERVICE_CONNECTION_ID"',
        );
        expect((step['env'] as Yaml)['ARM_OIDC_REQUEST_TOKEN']).toBe('$(System.AccessToken)');
      }
    }
  });

  it('applies the saved plan its plan stage published, and plans nothing in the apply stage', () => {
    for (const env of ENVIRONMENTS) {
      const plan = stage(`${env}_plan`)[0]!;
      const apply = stage(`${env}_apply`)[0]!;
      const published = plan.steps
        .filter((s) => s['task'] === 'PublishPipelineArtifact@1')
        .map((s) => s['inputs']);
      expect(published).toEqual([{ targetPath: 'plan-bundle', artifact: `plan-${env}` }]);
      expect(adoRuns(`${env}_plan`)).toContain(
        `pipeline.js plan --env ${env} --outdir cdktf.out --bundle plan-bundle`,
      );
      const downloads = apply.steps
        .filter((s) => s['task'] === 'DownloadPipelineArtifact@2')
        .map((s) => s['inputs']);
      expect(downloads).toEqual([
        {
          buildType: 'current',
          artifactName: `plan-${env}`,
          targetPath: '$(Build.SourcesDirectory)/cdktf.out',
        },
      ]);
      expect(apply.steps[0]).toEqual({ download: 'none' });
      expect(adoRuns(`${env}_apply`)).toContain('pipeline.js apply --bundle cdktf.out');
      expect(adoRuns(`${env}_apply`)).not.toMatch(
        /pipeline\.js plan|terraform (plan|apply)|npm run synth|dist\/app\.js/,
      );
    }
  });

  it('plans every environment on a pull request, read-only, and names only environments that exist', () => {
    const pr = stage('pr_plan');
    expect(pr[0]!.stageCondition).toMatch(/eq\(variables\['Build\.Reason'\], 'PullRequest'\)/);
    expect(pr.map((j) => j.id).sort()).toEqual(['plan_dev', 'plan_prod', 'plan_staging', 'promotion_guard']);
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

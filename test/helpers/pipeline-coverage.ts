/**
 * Blueprint invariant: the CI definitions deploy every environment the project loads, in stage order, each planned
 * before it is applied and applied only from its reviewed plan; every prod-stage environment waits for a promotion
 * guard from a staging environment. Checked for GitHub Actions and Azure DevOps, on any repository root (the tests'
 * own, or a scratch copy after a README procedure).
 */
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Stage } from '../../environments/sections/foundation';
import {
  adoPipeline,
  ancestors,
  type GithubJob,
  githubJobs,
  readYaml,
  scriptOf,
  type Yaml,
} from './workflows';

/** What the pipelines need to know of an environment. */
export interface PipelineEnvironment {
  readonly name: string;
  readonly stage: Stage;
  /** It has `evaluation.continuous`: a scheduled run must score its logs. */
  readonly continuousEvaluation: boolean;
}

/** The environments a scheduled continuous-evaluation pipeline must list: exactly those with it. */
function expectContinuousEvaluation(
  listed: unknown,
  environments: readonly PipelineEnvironment[],
  file: string,
) {
  expect(Array.isArray(listed), `${file} lists its environments`).toBe(true);
  expect(
    [...(listed as string[])].sort(),
    `${file} evaluates every environment with evaluation.continuous`,
  ).toEqual(
    environments
      .filter((e) => e.continuousEvaluation)
      .map((e) => e.name)
      .sort(),
  );
}

const RANK: Readonly<Record<Stage, number>> = { dev: 0, staging: 1, prod: 2 };
const GUARD = /promote -- --from "?([\w-]+)"? --to "?([\w-]+)"?/;

/** The Azure DevOps id of an environment: stage and job ids take no hyphen. */
export const adoId = (name: string) => name.replace(/-/g, '_');

const runsOf = (steps: ReadonlyArray<Yaml>) => steps.map(scriptOf).filter(Boolean).join('\n');

/** The promotions a set of scripts runs: from → to, and the evaluation result each reads. */
function guards(script: string): Array<{ from: string; to: string; evaluation?: string }> {
  return script.split('\n').flatMap((line) =>
    [...line.matchAll(new RegExp(GUARD, 'g'))].map((m) => {
      const evaluation = /--evaluation "?([^\s"]+)"?/.exec(line)?.[1];
      return { from: m[1]!, to: m[2]!, ...(evaluation ? { evaluation } : {}) };
    }),
  );
}

function checkOrder(
  graph: ReadonlyArray<{ id: string; needs: readonly string[] }>,
  environments: readonly PipelineEnvironment[],
  planOf: (env: string) => string,
  applyOf: (env: string) => string,
  verifyOf: (env: string) => string,
  guardsOf: (id: string) => Array<{ from: string; to: string; evaluation?: string }>,
  first: string,
  evaluateOf: (env: string) => string,
): void {
  for (const env of environments) {
    const before = ancestors(graph, planOf(env.name));
    expect(before, `${planOf(env.name)} waits for ${first}`).toContain(first);
    expect(ancestors(graph, applyOf(env.name)), `${applyOf(env.name)} waits for its plan`).toContain(
      planOf(env.name),
    );
    for (const other of environments.filter((o) => o !== env)) {
      if (RANK[other.stage] > RANK[env.stage]) {
        expect(
          before,
          `${env.name} (${env.stage}) must not wait for ${other.name} (${other.stage})`,
        ).not.toContain(applyOf(other.name));
      }
    }
    for (const stage of (['dev', 'staging'] as const).filter((s) => RANK[s] < RANK[env.stage])) {
      const earlier = environments.filter((o) => o.stage === stage);
      if (earlier.length === 0) continue;
      expect(
        earlier.some((o) => before.has(applyOf(o.name))),
        `${env.name} (${env.stage}) is deployed after an environment of stage ${stage}`,
      ).toBe(true);
    }
    if (env.stage !== 'prod') continue;
    const guard = [...before].find((id) =>
      guardsOf(id).some(
        (g) => g.to === env.name && environments.some((s) => s.name === g.from && s.stage === 'staging'),
      ),
    );
    expect(guard, `${env.name} waits for a promotion guard from a staging environment`).toBeDefined();
    const from = guardsOf(guard!).find((g) => g.to === env.name)!.from;
    expect(ancestors(graph, guard!), `${guard} waits for ${from} to be applied`).toContain(applyOf(from));
    expect(ancestors(graph, guard!), `${guard} waits for ${from} to be verified`).toContain(verifyOf(from));
    // The evaluation gate: the guard waits for the from environment's evaluation and reads its result.
    expect(ancestors(graph, guard!), `${guard} waits for ${from} to be evaluated`).toContain(
      evaluateOf(from),
    );
    expect(
      guardsOf(guard!).find((g) => g.to === env.name)!.evaluation,
      `${guard} reads ${from}'s evaluation result`,
    ).toBe(`evaluation/${from}.json`);
  }
}

/** GitHub Actions: deploy.yml (main) and pull-request.yml. */
export function checkGithubCoverage(root: string, environments: readonly PipelineEnvironment[]): void {
  const deploy = githubJobs('.github/workflows/deploy.yml', root);
  const job = (id: string): GithubJob => {
    const found = deploy.find((j) => j.id === id);
    expect(found, `deploy.yml has the job ${id}`).toBeDefined();
    return found!;
  };
  const usesOf = (j: GithubJob, action: string) =>
    j.steps.filter((s) => String(s['uses'] ?? '').startsWith(action)).map((s) => s['with'] as Yaml);
  for (const { name } of environments) {
    const plan = job(`${name}/plan`);
    const apply = job(`${name}/apply`);
    expect(plan.environment, `${name}/plan`).toBe(`${name}-plan`);
    expect(apply.environment, `${name}/apply`).toBe(name);
    expect(apply.needs).toEqual([`${name}/plan`]);
    for (const j of [plan, apply]) {
      expect(j.concurrency, j.id).toEqual({ group: `deploy-${name}`, 'cancel-in-progress': false });
    }
    expect(runsOf(plan.steps)).toContain(
      `pipeline.js plan --env "${name}" --outdir cdktf.out --bundle plan-bundle`,
    );
    expect(usesOf(plan, 'actions/upload-artifact')).toContainEqual(
      expect.objectContaining({ name: `plan-${name}`, path: 'plan-bundle/', 'include-hidden-files': true }),
    );
    expect(usesOf(apply, 'actions/download-artifact')).toEqual([{ name: `plan-${name}`, path: 'cdktf.out' }]);
    expect(runsOf(apply.steps)).toContain('pipeline.js apply --bundle cdktf.out');
    expect(runsOf(apply.steps)).not.toMatch(
      /pipeline\.js plan|terraform (plan|apply)|cdktf (synth|diff|deploy)|npm run synth|dist\/app\.js/,
    );
    const verify = job(`${name}/verify`);
    expect(verify.needs, `${name}/verify runs after the apply`).toEqual([`${name}/apply`]);
    expect(runsOf(verify.steps)).toContain(`verify.js --env "${name}"`);
    expect(usesOf(verify, 'actions/upload-artifact')).toContainEqual(
      expect.objectContaining({ name: `verify-${name}` }),
    );
    // After the apply: publish the prompt versions as the deploy identity, then the evaluation gate.
    const publish = job(`${name}/publish`);
    expect(publish.needs, `${name}/publish runs after the apply`).toEqual([`${name}/apply`]);
    expect(publish.environment).toBe(`${name}-publish`);
    expect(runsOf(publish.steps)).toContain(`prompts.js publish --env "${name}" --outdir cdktf.out`);
    const evaluate = job(`${name}/evaluate`);
    expect(evaluate.needs, `${name}/evaluate runs after the publish`).toEqual([`${name}/publish`]);
    expect(runsOf(evaluate.steps)).toContain(`evaluate.js --env "${name}"`);
    expect(usesOf(evaluate, 'actions/upload-artifact')).toContainEqual(
      expect.objectContaining({ name: `evaluation-${name}`, path: 'evaluation/' }),
    );
  }
  checkOrder(
    deploy,
    environments,
    (env) => `${env}/plan`,
    (env) => `${env}/apply`,
    (env) => `${env}/verify`,
    (id) => guards(runsOf(deploy.find((j) => j.id === id)?.steps ?? [])),
    'build',
    (env) => `${env}/evaluate`,
  );

  const pullRequest = githubJobs('.github/workflows/pull-request.yml', root);
  const plan = pullRequest.find((j) => j.id === 'plan');
  const matrix = (plan?.raw['strategy'] as Yaml | undefined)?.['matrix'] as Yaml | undefined;
  expect(
    [...((matrix?.['environment'] as string[] | undefined) ?? [])].sort(),
    'pull-request.yml plans every environment',
  ).toEqual(environments.map((e) => e.name).sort());
  const guard = pullRequest.find((j) => j.id === 'promotion-guard');
  const pairs = (((guard?.raw['strategy'] as Yaml | undefined)?.['matrix'] as Yaml | undefined)?.[
    'include'
  ] ?? []) as Array<{ from: string; to: string }>;
  expect(runsOf(guard?.steps ?? [])).toContain(
    'promote -- --from "${{ matrix.from }}" --to "${{ matrix.to }}"',
  );
  for (const env of environments.filter((e) => e.stage === 'prod')) {
    const pair = pairs.find((p) => p.to === env.name);
    expect(pair, `pull-request.yml guards the promotion to ${env.name}`).toBeDefined();
    expect(environments.find((e) => e.name === pair!.from)?.stage, `${pair!.from} → ${env.name}`).toBe(
      'staging',
    );
  }

  const continuous = '.github/workflows/continuous-evaluation.yml';
  const [evaluateJob] = githubJobs(continuous, root);
  const scheduled = readYaml(join(root, continuous));
  expect(
    (scheduled['on'] as Yaml | undefined)?.['schedule'],
    `${continuous} runs on a schedule`,
  ).toBeDefined();
  const strategy = evaluateJob?.raw['strategy'] as Yaml | undefined;
  expectContinuousEvaluation(
    (strategy?.['matrix'] as Yaml | undefined)?.['environment'],
    environments,
    continuous,
  );
  expect(evaluateJob?.raw['environment']).toBe('${{ matrix.environment }}-evaluate');
  expect(runsOf(evaluateJob?.steps ?? [])).toContain(
    'evaluate.js --env "${{ matrix.environment }}" --from-logs',
  );
}

/** Azure DevOps: azure-pipelines.yml with its templates. */
export function checkAzureDevOpsCoverage(root: string, environments: readonly PipelineEnvironment[]): void {
  const { root: pipeline, jobs } = adoPipeline(join(root, 'azure-pipelines.yml'));
  expect(pipeline['lockBehavior']).toBe('sequential');
  const stage = (id: string) => {
    const found = jobs.filter((j) => j.stage === id);
    expect(found.length, `azure-pipelines.yml has the stage ${id}`).toBeGreaterThan(0);
    return found;
  };
  for (const { name } of environments) {
    const id = adoId(name);
    const [plan] = stage(`${id}_plan`);
    const [apply] = stage(`${id}_apply`);
    expect(plan).toMatchObject({
      deployment: true,
      environment: `${name}-plan`,
      stageLockBehavior: 'sequential',
    });
    expect(apply).toMatchObject({ deployment: true, environment: name, stageLockBehavior: 'sequential' });
    for (const j of [plan!, apply!]) {
      expect(j.stageCondition, j.stage).toMatch(
        /refs\/heads\/main.*ne\(variables\['Build\.Reason'\], 'PullRequest'\)/,
      );
    }
    expect(runsOf(plan!.steps)).toContain(
      `pipeline.js plan --env ${name} --outdir cdktf.out --bundle plan-bundle`,
    );
    expect(
      plan!.steps.filter((s) => s['task'] === 'PublishPipelineArtifact@1').map((s) => s['inputs']),
    ).toEqual([{ targetPath: 'plan-bundle', artifact: `plan-${name}` }]);
    expect(
      apply!.steps.filter((s) => s['task'] === 'DownloadPipelineArtifact@2').map((s) => s['inputs']),
    ).toEqual([
      {
        buildType: 'current',
        artifactName: `plan-${name}`,
        targetPath: '$(Build.SourcesDirectory)/cdktf.out',
      },
    ]);
    expect(apply!.steps[0]).toEqual({ download: 'none' });
    expect(runsOf(apply!.steps)).toContain('pipeline.js apply --bundle cdktf.out');
    expect(runsOf(apply!.steps)).not.toMatch(
      /pipeline\.js plan|terraform (plan|apply)|npm run synth|dist\/app\.js/,
    );
    const connections = (steps: ReadonlyArray<Yaml>) =>
      steps
        .filter((s) => String(s['task']).startsWith('AzureCLI@'))
        .map((s) => String((s['inputs'] as Yaml)['azureSubscription']));
    expect(connections(plan!.steps)).toEqual([`lz-${name}-plan`]);
    expect(connections(apply!.steps)).toEqual([`lz-${name}-deploy`]);
    const [verify] = stage(`${id}_verify`);
    expect(verify!.stageDependsOn, `${id}_verify runs after the apply`).toEqual([`${id}_apply`]);
    expect(connections(verify!.steps)).toEqual([`lz-${name}-verify`]);
    expect(runsOf(verify!.steps)).toContain(`verify.js --env ${name}`);
    const [publish] = stage(`${id}_publish`);
    expect(publish!.stageDependsOn, `${id}_publish runs after the verification`).toEqual([`${id}_verify`]);
    expect(connections(publish!.steps)).toEqual([`lz-${name}-deploy`]);
    expect(runsOf(publish!.steps)).toContain(`prompts.js publish --env ${name} --outdir cdktf.out`);
    const [evaluate] = stage(`${id}_evaluate`);
    expect(evaluate!.stageDependsOn, `${id}_evaluate runs after the publish`).toEqual([`${id}_publish`]);
    expect(runsOf(evaluate!.steps)).toContain(`evaluate.js --env ${name}`);
    expect(
      evaluate!.steps.filter((s) => s['task'] === 'PublishPipelineArtifact@1').map((s) => s['inputs']),
    ).toEqual([{ targetPath: 'evaluation', artifact: `evaluation-${name}` }]);
  }
  const graph = [...new Map(jobs.map((j) => [j.stage, { id: j.stage, needs: j.stageDependsOn }])).values()];
  const stageGuards = (id: string) =>
    guards(runsOf(jobs.filter((j) => j.stage === id).flatMap((j) => j.steps)));
  checkOrder(
    graph,
    environments,
    (env) => `${adoId(env)}_plan`,
    (env) => `${adoId(env)}_apply`,
    (env) => `${adoId(env)}_verify`,
    stageGuards,
    'build',
    (env) => `${adoId(env)}_evaluate`,
  );

  const pr = stage('pr_plan');
  expect(pr[0]!.stageCondition).toMatch(/eq\(variables\['Build\.Reason'\], 'PullRequest'\)/);
  expect(
    pr
      .filter((j) => j.id.startsWith('plan_'))
      .map((j) => j.id)
      .sort(),
    'the pull-request stage plans every environment',
  ).toEqual(environments.map((e) => `plan_${adoId(e.name)}`).sort());
  const prGuards = guards(runsOf(pr.flatMap((j) => j.steps)));
  for (const env of environments.filter((e) => e.stage === 'prod')) {
    const pair = prGuards.find((g) => g.to === env.name);
    expect(pair, `the pull-request stage guards the promotion to ${env.name}`).toBeDefined();
    expect(environments.find((e) => e.name === pair!.from)?.stage).toBe('staging');
  }

  // The scheduled pipeline: one job per listed environment (`${{ each }}`), signed in as lz-<env>-evaluate.
  const continuous = '.azure-pipelines/continuous-evaluation.yml';
  const scheduled = readYaml(join(root, continuous));
  expect(scheduled['schedules'], `${continuous} runs on a schedule`).toBeDefined();
  expect([scheduled['trigger'], scheduled['pr']], `${continuous} runs on its schedule only`).toEqual([
    'none',
    'none',
  ]);
  const parameter = (scheduled['parameters'] as Yaml[] | undefined)?.find(
    (p) => p['name'] === 'environments',
  );
  expectContinuousEvaluation(parameter?.['default'], environments, continuous);
  const [loop] = (scheduled['jobs'] as Yaml[] | undefined) ?? [];
  const [evaluateJob] =
    (loop?.['${{ each environment in parameters.environments }}'] as Yaml[] | undefined) ?? [];
  const signIn = ((evaluateJob?.['steps'] as Yaml[] | undefined) ?? []).find(
    (s) => s['task'] === 'AzureCLI@2',
  );
  expect(signIn?.['inputs']).toMatchObject({ azureSubscription: 'lz-${{ environment }}-evaluate' });
  expect(scriptOf(signIn ?? {})).toContain('evaluate.js --env ${{ environment }} --from-logs');
}

/**
 * GenAIOps: prompts as versioned code (validation, immutability in the repository and at publish time), the
 * evaluation gate (npm run evaluate in fixture mode) and the promotion guard's prompt and evaluation checks, with
 * fixture results that pass, fall below a threshold, or are missing. The commands run in-process (their `main`,
 * test/helpers/run.ts); publishing calls a fake `az` (test/fixtures/fake-az/az), given to the command in AZ.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ConfigError, loadEnvironments, parseEnvironment } from '../../environments';
import { assetKey, contentHash, pinnedAssets, readPromptLibrary } from '../../environments/prompt-assets';
import { promptProblems } from '../../scripts/lib/prompts';
import { evaluationCheck, promptCheck } from '../../scripts/lib/promote-genaiops';
import {
  evaluateEnvironment,
  type EvaluationResult,
  fixtureTransport,
  readEvaluationResult,
} from '../../scripts/lib/evaluation';
import { continuousEvaluation } from '../../scripts/lib/continuous-evaluation';
import { main as evaluateCommand } from '../../scripts/evaluate';
import { main as promote } from '../../scripts/promote';
import { main as prompts } from '../../scripts/prompts';
import { examplesOutdir } from '../helpers/examples';
import { runCommand, runCommandAsync } from '../helpers/run';
import { exampleInput } from '../helpers/synth';

const FIXTURES = join(process.cwd(), 'test/fixtures/evaluation');

function copyOfPrompts(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'lz-prompts-')), 'prompts');
  cpSync('prompts', dir, { recursive: true });
  return dir;
}

const envs = () => loadEnvironments().map((env) => ({ env, source: `environments/${env.name}.ts` }));

/** Every problem as "file: path: message (received …)" lines. */
const lines = (errors: readonly ConfigError[]) =>
  errors.flatMap((e) =>
    e.problems.map((p) => `${e.source}: ${p.path}: ${p.message} (received ${p.received})`),
  );

describe('the prompt library', () => {
  it('every asset, the lock and the pins of every loaded environment are valid', () => {
    const library = readPromptLibrary('prompts');
    expect(library.assets.length).toBeGreaterThan(0);
    expect(lines(promptProblems(library, envs()))).toEqual([]);
    // the lock holds exactly the assets, each with its content hash
    expect(library.lock).toEqual(
      Object.fromEntries(
        library.assets.map((a) => [assetKey(a.asset.id, a.asset.version), contentHash(a.asset)]),
      ),
    );
  });

  it('names file, field path, value and expectation for every problem, all in one run', () => {
    const dir = copyOfPrompts();
    // a released version edited in place
    const released = join(dir, 'support-answer/1.1.0.yaml');
    writeFileSync(released, readFileSync(released, 'utf8').replace('temperature: 0.1', 'temperature: 0.7'));
    // a chain step that does not exist, and a bad parameter
    const flow = join(dir, 'support-triage/1.0.0.yaml');
    writeFileSync(
      flow,
      readFileSync(flow, 'utf8').replace(
        '{ id: support-answer, version: 1.1.0 }',
        '{ id: support-answer, version: 9.0.0 }',
      ),
    );
    const classify = join(dir, 'ticket-classify/1.0.0.yaml');
    writeFileSync(classify, readFileSync(classify, 'utf8').replace('temperature: 0', 'temperature: 3'));
    const problems = lines(promptProblems(readPromptLibrary(dir, 'prompts'), envs()));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^prompts\/support-answer\/1\.1\.0\.yaml: \(file\): support-answer@1\.1\.0 is already released with other content \(sha256-[0-9a-f]{64}\); a version never changes: expected a new version .*\(received "sha256-/,
        ),
        expect.stringMatching(
          /^prompts\/support-triage\/1\.0\.0\.yaml: steps\[1\]\.prompt: no prompt support-answer@9\.0\.0 in prompts; expected an existing prompt version \(support-answer has 1\.0\.0, 1\.1\.0\) \(received \{"id":"support-answer","version":"9\.0\.0"\}\)/,
        ),
        expect.stringMatching(
          /^prompts\/ticket-classify\/1\.0\.0\.yaml: model\.parameters\.temperature: expected 0–2 \(received 3\)/,
        ),
      ]),
    );
  });

  it('refuses a prompt whose model its environment does not route, naming the file and the environment', () => {
    const dir = copyOfPrompts();
    const file = join(dir, 'support-answer/1.1.0.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('deployment: gpt-4o-mini', 'deployment: gpt-4o'));
    rmSync(join(dir, 'versions.lock.json'));
    const dev = parseEnvironment(exampleInput('dev'), 'environments/dev.ts');
    const problems = lines(
      promptProblems(readPromptLibrary(dir, 'prompts'), [{ env: dev, source: 'environments/dev.ts' }]),
    );
    expect(problems).toContainEqual(
      expect.stringMatching(
        /^prompts\/support-answer\/1\.1\.0\.yaml: model\.deployment: dev does not route this model \(pinned in dev\); expected one of: .*gpt-4o-mini.* \(received "gpt-4o"\)/,
      ),
    );
    // a flow step on that prompt is named as such
    expect(problems).toContainEqual(expect.stringMatching(/not in prompts\/versions\.lock\.json/));
  });

  it('refuses a pin of a version the library does not have, and a template placeholder that is no input', () => {
    const dir = copyOfPrompts();
    const file = join(dir, 'ticket-classify/1.0.0.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace("content: '{{ticket}}'", "content: '{{tiket}}'"));
    const staging = parseEnvironment(
      exampleInput('staging', { prompts: { versions: { 'support-answer': '1.2.0' } } }),
      'staging.json',
    );
    const problems = lines(
      promptProblems(readPromptLibrary(dir, 'prompts'), [{ env: staging, source: 'staging.json' }]),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        'staging.json: prompts.versions.support-answer: no prompts/support-answer/1.2.0.yaml; expected a version in the library (support-answer has 1.0.0, 1.1.0) (received "1.2.0")',
        'prompts/ticket-classify/1.0.0.yaml: template[1].content: placeholder {{tiket}} is not an input; expected one of: ticket (received "{{tiket}}")',
      ]),
    );
  });

  it('npm run prompts lists the versions each environment runs and fails on a bad library', () => {
    const listed = runCommand(prompts, ['--env', 'staging']);
    expect(listed.status, listed.stderr).toBe(0);
    expect(listed.stdout).toContain('## staging');
    expect(listed.stdout).toMatch(
      /\| support-triage \| 1\.0\.0 \| flow \| classify: ticket-classify@1\.0\.0 → answer: support-answer@1\.1\.0 \|/,
    );
    const dir = copyOfPrompts();
    rmSync(join(dir, 'support-answer/1.0.0.yaml'));
    const broken = runCommand(prompts, ['--root', dir]);
    expect(broken.status).toBe(1);
    expect(broken.stderr).toContain('support-answer@1.0.0 was released and its file is gone');
  });
});

describe('publishing prompts (Entra ID, immutable by version)', () => {
  const AZ = join(process.cwd(), 'test/fixtures/fake-az/az');

  it('uploads each version once with its hash, then leaves it; a different hash for a version refuses it all', () => {
    const store = mkdtempSync(join(tmpdir(), 'lz-fake-az-'));
    const env = { ...process.env, AZ, FAKE_AZ_STORE: store };
    const run = (root: string) =>
      runCommand(prompts, ['publish', '--env', 'prod', '--outdir', examplesOutdir(), '--root', root], {
        env,
      });
    const first = run('prompts');
    expect(first.status, first.stderr).toBe(0);
    const account = readdirOnly(store);
    const published = JSON.parse(
      readFileSync(join(store, account, 'prompts/support-answer/1.1.0.json'), 'utf8'),
    );
    const library = readPromptLibrary('prompts');
    expect(published.contentHash).toBe(library.lock['support-answer@1.1.0']);
    expect(
      JSON.parse(readFileSync(join(store, account, 'prompts/environments/prod.json'), 'utf8')).versions,
    ).toEqual(parseEnvironment(exampleInput('prod'), 'prod').prompts.versions);
    // flows bring their steps
    expect(existsSync(join(store, account, 'prompts/ticket-classify/1.0.0.json'))).toBe(true);
    const calls = readFileSync(join(store, 'calls.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as string[]);
    expect(calls.every((c) => c.includes('--auth-mode') && c[c.indexOf('--auth-mode') + 1] === 'login')).toBe(
      true,
    );
    expect(calls.some((c) => c.includes('--account-key') || c.includes('--sas-token'))).toBe(false);

    const again = run('prompts');
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/\| support-answer\/1\.1\.0\.json \| unchanged \|/);

    // the same version with other content (a library whose lock was rewritten to match): refused, nothing written
    const dir = copyOfPrompts();
    const file = join(dir, 'support-answer/1.1.0.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('temperature: 0.1', 'temperature: 0.9'));
    const lock = JSON.parse(readFileSync(join(dir, 'versions.lock.json'), 'utf8'));
    lock.prompts['support-answer@1.1.0'] = readPromptLibrary(dir).assets.find((a) =>
      a.file.endsWith('support-answer/1.1.0.yaml'),
    )!.hash;
    writeFileSync(join(dir, 'versions.lock.json'), JSON.stringify(lock));
    const before = readFileSync(join(store, account, 'prompts/support-answer/1.1.0.json'), 'utf8');
    const refused = run(dir);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toMatch(
      /\| support-answer\/1\.1\.0\.json \| \*\*refused\*\* \| already published with sha256-[0-9a-f]{64}; this content is sha256-/,
    );
    expect(refused.stdout).toContain('nothing was published');
    expect(readFileSync(join(store, account, 'prompts/support-answer/1.1.0.json'), 'utf8')).toBe(before);
  });
});

function readdirOnly(dir: string): string {
  const entries = readdirSync(dir).filter((e) => e !== 'calls.jsonl');
  expect(entries).toHaveLength(1);
  return entries[0]!;
}

describe('the evaluation gate', () => {
  const evaluate = async (fixture: string, extra: string[] = []) => {
    const out = mkdtempSync(join(tmpdir(), 'lz-evaluation-'));
    const result = await runCommandAsync(evaluateCommand, [
      '--env',
      'staging',
      '--fixture',
      join(FIXTURES, fixture),
      '--out',
      out,
      ...extra,
    ]);
    return { ...result, out };
  };

  it('writes evaluation/<env>.json with the prompt and model versions evaluated, scores and pass/fail', async () => {
    const { status, stdout, stderr, out } = await evaluate('pass');
    expect(status, stderr).toBe(0);
    const result = readEvaluationResult(join(out, 'staging.json'))!;
    expect(result.passed).toBe(true);
    const support = result.runs.find((r) => r.dataset === 'support-golden')!;
    expect(support.prompts).toEqual([
      'support-answer@1.1.0',
      'support-triage@1.0.0',
      'ticket-classify@1.0.0',
    ]);
    expect(support.models).toEqual(['gpt-4o-mini@2024-07-18']);
    expect(support.scores.groundedness).toEqual({ score: 4.5, threshold: 4, passed: true, rows: 10 });
    expect(support.scores.contentSafety).toEqual({ score: 0, threshold: 0.01, passed: true, rows: 10 });
    expect(stdout).toContain('## Evaluation of staging: pass');
  });

  it('fails below a threshold and says which evaluator', async () => {
    const { status, stdout, out } = await evaluate('below');
    expect(status).toBe(1);
    const result = readEvaluationResult(join(out, 'staging.json'))!;
    expect(result.runs.find((r) => r.dataset === 'support-golden')!.scores.groundedness).toEqual({
      score: 3.2,
      threshold: 4,
      passed: false,
      rows: 10,
    });
    expect(result.runs.find((r) => r.dataset === 'contract-golden')!.scores.contentSafety).toMatchObject({
      score: 0.1,
      passed: false,
    });
    expect(stdout).toMatch(/\| support-golden \| .* \| groundedness \| 3\.2 \| ≥ 4 \| \*\*FAIL\*\* \|/);
  });

  const sides = () => ({
    staging: { env: parseEnvironment(exampleInput('staging'), 'staging') },
    prod: { env: parseEnvironment(exampleInput('prod'), 'prod') },
  });
  const results = new Map<string, Promise<EvaluationResult>>();
  /** The same evaluation the script runs, in process (the script itself is run above). */
  const resultOf = (fixture: string): Promise<EvaluationResult> => {
    if (!results.has(fixture)) {
      results.set(
        fixture,
        evaluateEnvironment(
          sides().staging.env,
          readPromptLibrary('prompts'),
          fixtureTransport(join(FIXTURES, fixture)),
          {
            judge: 'gpt-4o',
            now: new Date(0),
          },
        ),
      );
    }
    return results.get(fixture)!;
  };

  it('the guard passes on a passing staging evaluation and prints the scores', async () => {
    const { staging, prod } = sides();
    const check = evaluationCheck(
      staging,
      prod,
      readPromptLibrary('prompts'),
      await resultOf('pass'),
      'evaluation/staging.json',
    );
    expect(check.passed, check.details.join('\n')).toBe(true);
    expect(check.details).toContainEqual(
      '| support-golden | support-answer@1.1.0, support-triage@1.0.0, ticket-classify@1.0.0 | gpt-4o-mini@2024-07-18 | groundedness | 4.5 | ≥ 4 |',
    );
  });

  it('the guard blocks a prompt or model version below prod’s threshold', async () => {
    const { staging, prod } = sides();
    const check = evaluationCheck(
      staging,
      prod,
      readPromptLibrary('prompts'),
      await resultOf('below'),
      'evaluation/staging.json',
    );
    expect(check.passed).toBe(false);
    expect(check.details).toEqual(
      expect.arrayContaining([
        '- **support-answer@1.1.0**: below threshold in staging: support-golden: groundedness 3.2 (needs ≥ 4)',
        '- **contract-summary@1.0.0**: below threshold in staging: contract-golden: contentSafety 0.1 (needs ≤ 0.01)',
        '- model **gpt-4o-mini@2024-07-18**: below threshold in staging: contract-golden: contentSafety 0.1 (needs ≤ 0.01); support-golden: groundedness 3.2 (needs ≥ 4)',
      ]),
    );
  });

  it('the guard blocks when the evaluation, or a prompt’s part of it, is missing', async () => {
    const { staging, prod } = sides();
    const library = readPromptLibrary('prompts');
    const none = evaluationCheck(staging, prod, library, undefined, 'evaluation/staging.json');
    expect(none).toMatchObject({
      passed: false,
      summary: 'no evaluation of staging: evaluation/staging.json is missing',
    });
    const passing = await resultOf('pass');
    const partial = { ...passing, runs: passing.runs.filter((r) => r.dataset !== 'contract-golden') };
    const check = evaluationCheck(staging, prod, library, partial, 'evaluation/staging.json');
    expect(check.passed).toBe(false);
    expect(check.details).toContain(
      '- **contract-summary@1.0.0**: no staging evaluation covers it (missing)',
    );
  });

  it('the guard blocks a prompt version prod would run that staging does not', () => {
    const { staging } = sides();
    const prod = {
      env: parseEnvironment(
        exampleInput('prod', { prompts: { versions: { 'support-answer': '1.0.0' } } }),
        'prod',
      ),
    };
    const check = promptCheck(staging, prod, readPromptLibrary('prompts'));
    expect(check.passed).toBe(false);
    expect(check.details).toEqual([
      '- prompts/support-answer/1.0.0.yaml: **support-answer@1.0.0**, which staging does not run (staging runs support-answer@1.1.0)',
    ]);
    expect(promptCheck(staging, sides().prod, readPromptLibrary('prompts')).passed).toBe(true);
  });

  it('npm run promote reads --evaluation and prints the scores', async () => {
    const promoteWith = (evaluation: string) =>
      runCommand(promote, [
        ...['--from', 'staging', '--to', 'prod', '--outdir', examplesOutdir()],
        ...['--evaluation', evaluation],
      ]);
    const missing = promoteWith('/nonexistent/staging.json');
    expect(missing.status).toBe(1);
    expect(missing.stdout).toMatch(/\| evaluation gate \| \*\*FAIL\*\* \| no evaluation of staging/);
    expect(missing.stdout).toMatch(/\| prompt versions \| pass \|/);
    const out = mkdtempSync(join(tmpdir(), 'lz-evaluation-'));
    writeFileSync(join(out, 'staging.json'), JSON.stringify(await resultOf('pass')));
    expect(promoteWith(join(out, 'staging.json')).stdout).toMatch(/\| evaluation gate \| pass \|/);
  });

  it('continuous evaluation scores the sampled logs and emits one event per route and evaluator', async () => {
    const out = mkdtempSync(join(tmpdir(), 'lz-evaluation-'));
    const decayed = await runCommandAsync(evaluateCommand, [
      '--env',
      'prod',
      '--fixture',
      join(FIXTURES, 'below'),
      '--out',
      out,
      '--from-logs',
    ]);
    expect(decayed.status).toBe(1);
    const events = JSON.parse(readFileSync(join(out, 'prod-continuous.events.json'), 'utf8')) as Array<{
      data: {
        baseData: {
          name: string;
          properties: Record<string, string>;
          measurements: Record<string, number>;
        };
      };
    }>;
    const relevance = events.find((e) => e.data.baseData.properties['evaluator'] === 'relevance')!;
    expect(relevance.data.baseData).toMatchObject({
      name: 'GenAIOpsEvaluation',
      properties: { environment: 'prod', route: 'gpt-4o-mini', evaluator: 'relevance' },
      measurements: { score: 2.333, threshold: 4, passed: 0, rows: 3 },
    });
    // groundedness needs the retrieved context, which a logged exchange does not carry
    expect(events.map((e) => e.data.baseData.properties['evaluator']).sort()).toEqual([
      'coherence',
      'contentSafety',
      'fluency',
      'relevance',
    ]);
    const healthy = await continuousEvaluation(
      parseEnvironment(exampleInput('prod'), 'prod'),
      readPromptLibrary('prompts'),
      fixtureTransport(join(FIXTURES, 'pass')),
      {
        judge: 'gpt-4o',
        now: new Date(0),
        rows: JSON.parse(readFileSync(join(FIXTURES, 'pass/logs.json'), 'utf8')),
      },
    ).result;
    expect(healthy.passed).toBe(true);
  });
});

describe('pinned prompts', () => {
  it('a flow brings its steps into every environment that pins it', () => {
    for (const { env } of envs()) {
      const library = readPromptLibrary('prompts');
      const pinned = pinnedAssets(env, library).map((p) =>
        assetKey(p.loaded.asset.id, p.loaded.asset.version),
      );
      for (const p of pinnedAssets(env, library)) {
        if (p.loaded.asset.kind !== 'flow') continue;
        for (const step of p.loaded.asset.steps)
          expect(pinned).toContain(assetKey(step.prompt.id, step.prompt.version));
      }
    }
  });
});

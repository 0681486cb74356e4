import { describe, expect, it } from 'vitest';
import { analyzeResilience } from '../../constructs/shared/paths';
import { PLAN_CHECKS } from '../../constructs/shared/policy';
import { loadEnvironments } from '../../environments';
import { examplesOutdir } from '../helpers/examples';
import { runCommand } from '../helpers/run';
import { main as resilience } from '../../scripts/resilience';
import { exampleEnvironment, synthEnvironment } from '../helpers/synth';

const regionLoss = PLAN_CHECKS.find((c) => c.id === 'LZ.Resilience.RegionLoss')!;

describe('npm run resilience', () => {
  it('prints the capacity of each prod model now and after the loss of each region, against the 50% floor', () => {
    const { status, stdout } = runCommand(resilience, ['--outdir', examplesOutdir(), '--env', 'prod']);
    expect(status).toBe(0);
    expect(stdout).toContain('gateway regions: swedencentral, francecentral; every model must keep 50%');
    expect(stdout).toContain('| model | capacity now | region lost | capacity after | surviving | keeps |');
    for (const row of [
      '| gpt-4o | 100 PTU + 750 kTPM | francecentral | 100 PTU + 450 kTPM | PTU 100%, kTPM 60% | yes |',
      '| gpt-4o | 100 PTU + 750 kTPM | germanywestcentral | 100 PTU + 300 kTPM | PTU 100%, kTPM 40% | no (< 50%) |',
      '| gpt-4o | 100 PTU + 750 kTPM | swedencentral | 750 kTPM | PTU 0%, kTPM 100% | no (< 50%) |',
      '| gpt-4o-mini | 15 PTU + 900 kTPM | swedencentral | 900 kTPM | PTU 0%, kTPM 100% | no (< 50%) |',
      '| text-embedding-3-large | 700 kTPM | swedencentral | 350 kTPM | kTPM 50% | yes |',
      '| text-embedding-3-large | 700 kTPM | germanywestcentral | 700 kTPM | kTPM 100% | yes |',
    ]) {
      expect(stdout).toContain(row);
    }
    expect(stdout).not.toContain('NO: stops');
  });
});

describe('the loss of one region (rule LZ.Resilience.RegionLoss)', () => {
  it('counts the gateway: with one gateway region, losing it stops every model, and the rule fails naming it', () => {
    const staging = synthEnvironment(exampleEnvironment('staging')).plan;
    const analysis = analyzeResilience(staging);
    expect(analysis.gatewayRegions).toEqual(['swedencentral']);
    for (const model of analysis.models) {
      expect(model.losses.find((l) => l.region === 'swedencentral')).toMatchObject({ stops: true });
    }
    const results = regionLoss.evaluate(staging, {
      mandatoryTags: [],
      resilience: { required: true, accepted: {} },
    });
    expect(results.length).toBe(analysis.models.length);
    for (const { verdict } of results) {
      expect(verdict).toMatchObject({
        status: 'fail',
        detail: expect.stringContaining('losing swedencentral takes'),
      });
    }
    // Accepted with a reason, or outside prod: nothing to say.
    const accepted = Object.fromEntries(
      analysis.models.map((m) => [m.model, 'Staging runs in one region on purpose.']),
    );
    expect(
      regionLoss.evaluate(staging, { mandatoryTags: [], resilience: { required: true, accepted } }),
    ).toEqual([]);
    expect(regionLoss.evaluate(staging, { mandatoryTags: [] })).toEqual([]);
  });

  it.each(
    loadEnvironments()
      .filter((env) => env.stage === 'prod')
      .map((env) => [env.name, env] as const),
  )('%s: no single region loss stops a model the platform routes', (_name, env) => {
    const analysis = analyzeResilience(synthEnvironment(env).plan);
    expect(analysis.gatewayRegions.length).toBeGreaterThanOrEqual(2);
    for (const model of analysis.models) {
      if (env.gateway.pools[model.model]?.singleMemberReason) continue;
      expect(
        model.losses.filter((l) => l.stops).map((l) => l.region),
        model.model,
      ).toEqual([]);
    }
  });
});

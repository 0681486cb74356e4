import { describe, expect, it } from 'vitest';
import { parseEnvironment } from '../../../environments';
import { problemsOf } from '../../helpers/config';
import { exampleInput } from '../../helpers/synth';

const REASON = {
  enabled: true,
  reason: 'The environment is torn down every night and rebuilt in the morning.',
};

describe('keyVault section', () => {
  it('defaults to standard, 90 days of soft delete and purge protection on', () => {
    expect(parseEnvironment(exampleInput('prod'), 'prod').keyVault).toEqual({
      skuName: 'standard',
      softDeleteRetentionInDays: 90,
      disablePurgeProtection: { enabled: false },
    });
  });

  it('lets dev turn purge protection off with a reason', () => {
    expect(parseEnvironment(exampleInput('dev'), 'dev').keyVault.disablePurgeProtection).toEqual({
      enabled: true,
      reason: expect.stringMatching(/.{20,}/),
    });
  });

  it('needs a written reason to turn purge protection off', () => {
    expect(
      problemsOf(
        exampleInput('dev', { keyVault: { disablePurgeProtection: { enabled: true, reason: undefined } } }),
      ),
    ).toEqual([
      expect.objectContaining({ path: 'keyVault.disablePurgeProtection.reason', received: 'nothing' }),
    ]);
  });

  it.each(['staging', 'prod'] as const)('%s keeps purge protection on, whatever the reason', (name) => {
    expect(problemsOf(exampleInput(name, { keyVault: { disablePurgeProtection: REASON } }))).toEqual([
      {
        path: 'keyVault.disablePurgeProtection.enabled',
        message: `${name}: purge protection must stay on, so that a deleted vault and its secrets can be recovered; expected false`,
        received: 'true',
        rule: 'key-vault-purge-protection',
      },
    ]);
  });

  it('prod keeps deleted vaults for 90 days; staging may keep them shorter', () => {
    expect(problemsOf(exampleInput('prod', { keyVault: { softDeleteRetentionInDays: 30 } }))).toEqual([
      {
        path: 'keyVault.softDeleteRetentionInDays',
        message:
          'prod: a deleted vault must stay recoverable for the longest retention Azure offers; expected 90',
        received: '30',
        rule: 'prod-key-vault-soft-delete-90',
      },
    ]);
    expect(
      parseEnvironment(exampleInput('staging', { keyVault: { softDeleteRetentionInDays: 30 } }), 's')
        .keyVault,
    ).toMatchObject({ softDeleteRetentionInDays: 30 });
  });

  it.each([
    [6, 'Key Vault keeps deleted vaults 7–90 days; expected at least 7'],
    [91, 'Key Vault keeps deleted vaults 7–90 days; expected at most 90'],
  ])('rejects a soft-delete retention of %s days', (days, message) => {
    expect(problemsOf(exampleInput('dev', { keyVault: { softDeleteRetentionInDays: days } }))).toEqual([
      { path: 'keyVault.softDeleteRetentionInDays', message, received: String(days) },
    ]);
  });
});

describe('names of the vault and the prompt library', () => {
  it('are a parse-time error, with the path, when they cannot fit 24 characters', () => {
    // A 5-character prefix, a 10-character workload and an environment code of 7 ("preprod" has no short code).
    const input = {
      ...exampleInput('dev', { name: 'preprod', naming: { prefix: 'contx' }, workload: 'assistants' }),
      tenants: {},
    };
    expect(problemsOf(input)).toEqual([
      {
        path: 'naming',
        message: 'keyVault name "kvcontxassistantspreprodsdc" is 27 characters long; allowed are 3–24',
        received: '{"prefix":"contx"}',
        rule: 'names-fit-azure-rules',
      },
      {
        path: 'naming',
        message:
          'storageAccount name "stcontxassistantspreprodsdcpl" is 29 characters long; allowed are 3–24',
        received: '{"prefix":"contx"}',
        rule: 'names-fit-azure-rules',
      },
    ]);
  });

  it('fit with a short environment code', () => {
    const input = {
      ...exampleInput('dev', {
        name: 'preprod',
        naming: { prefix: 'contx', environmentCode: 'pp' },
        workload: 'assistant',
      }),
      tenants: {},
    };
    expect(parseEnvironment(input, 'preprod').name).toBe('preprod');
  });
});

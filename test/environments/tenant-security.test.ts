/**
 * Bad tenant-security input: each gets an error with its path, all of them in one run.
 */
import { describe, expect, it } from 'vitest';
import { tenantAuth, tenantPii } from '../../environments/sections/tenants';
import { problemsOf } from '../helpers/config';
import { exampleEnvironment, exampleInput } from '../helpers/synth';

const at = (problems: ReturnType<typeof problemsOf>, path: string) => problems.filter((p) => p.path === path);

describe('tenant sign-in', () => {
  it('defaults to entra in staging and prod and to the key in dev', () => {
    const legal = exampleEnvironment('prod').tenants['legal']!;
    expect(['dev', 'staging', 'prod'].map((s) => tenantAuth({}, s as 'dev'))).toEqual([
      'key',
      'entra',
      'entra',
    ]);
    expect(tenantAuth(legal, 'prod')).toBe('entra');
  });

  it('refuses entra without client applications', () => {
    const problems = problemsOf(exampleInput('prod', { tenants: { legal: { entra: undefined } } }));
    expect(at(problems, 'tenants.legal.entra.clientApplicationIds')[0]!.message).toMatch(
      /^auth "entra" \(the prod default\) needs entra \{ tenantId, audience, clientApplicationIds \}/,
    );
  });

  it('refuses a malformed tenant id and a malformed audience, in one run', () => {
    const problems = problemsOf(
      exampleInput('prod', {
        tenants: {
          marketing: { entra: { tenantId: 'contoso.onmicrosoft.com', audience: 'not an audience' } },
        },
      }),
    );
    expect(at(problems, 'tenants.marketing.entra.tenantId')[0]!.message).toMatch(
      /expected a directory \(tenant\) id: a GUID/,
    );
    expect(at(problems, 'tenants.marketing.entra.audience')[0]!.message).toMatch(/expected an audience/);
  });

  it('needs a reason for the key alone in prod', () => {
    const problems = problemsOf(exampleInput('prod', { tenants: { legal: { auth: 'key' } } }));
    expect(at(problems, 'tenants.legal.keyAuthReason')[0]!.message).toMatch(/^prod: .*needs keyAuthReason/);
    const env = exampleEnvironment('prod', {
      tenants: {
        legal: { auth: 'key', keyAuthReason: 'A vendor tool without Entra support, replaced in Q3.' },
      },
    });
    expect(tenantAuth(env.tenants['legal']!, 'prod')).toBe('key');
  });
});

describe('PII protection', () => {
  it('redacts by default in prod for confidential and restricted data only', () => {
    expect(tenantPii({ dataClassification: 'confidential' }, 'prod')).toBe('redact');
    expect(tenantPii({ dataClassification: 'restricted' }, 'prod')).toBe('redact');
    expect(tenantPii({ dataClassification: 'internal' }, 'prod')).toBe('off');
    expect(tenantPii({ dataClassification: 'confidential' }, 'dev')).toBe('off');
  });

  it('refuses redact without a Language account, with the path', () => {
    const problems = problemsOf(exampleInput('prod', { endpoints: { language: { enabled: false } } }));
    expect(at(problems, 'tenants.legal.pii')[0]!.message).toMatch(
      /^pii "redact" \(the prod default for confidential data\) needs the Azure AI Language account/,
    );
    expect(at(problems, 'tenants.research.pii')[0]!.message).toMatch(/^pii "detect" needs/);
  });
});

describe('batch surface', () => {
  it('refuses a batch route with no batch deployment to reach', () => {
    const problems = problemsOf(exampleInput('dev', { gateway: { batch: { enabled: true } } }));
    expect(at(problems, 'gateway.batch.enabled')[0]!.message).toMatch(
      /^the batch route has no batch deployment/,
    );
  });

  it('refuses a batch region without a batch deployment', () => {
    const problems = problemsOf(exampleInput('prod', { gateway: { batch: { region: 'swedencentral' } } }));
    expect(at(problems, 'gateway.batch.region')[0]!.message).toMatch(
      /^swedencentral has no batch deployment/,
    );
  });
});

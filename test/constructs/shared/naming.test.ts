import { describe, expect, it } from 'vitest';
import {
  checkName,
  composeName,
  NAME_RULES,
  resourceName,
  type ResourceKind,
} from '../../../constructs/shared/naming';
import { AZURE_REGION_NAMES, AZURE_REGIONS } from '../../../constructs/shared/catalog';

const inputs = { prefix: 'cx', workload: 'genai', environment: 'prd', region: 'swedencentral' } as const;

describe('composeName', () => {
  it.each<[ResourceKind, Partial<{ qualifier: string; instance: number; region: 'francecentral' }>, string]>([
    ['resourceGroup', {}, 'rg-cx-genai-prd-sdc'],
    ['resourceGroup', { region: 'francecentral' }, 'rg-cx-genai-prd-frc'],
    ['openAiAccount', {}, 'oai-cx-genai-prd-sdc'],
    ['aiServicesAccount', { instance: 2 }, 'ais-cx-genai-prd-sdc-02'],
    ['contentSafetyAccount', {}, 'cs-cx-genai-prd-sdc'],
    ['apiManagement', {}, 'apim-cx-genai-prd-sdc'],
    ['keyVault', {}, 'kvcxgenaiprdsdc'],
    ['keyVault', { qualifier: 'acme' }, 'kvcxgenaiprdsdcacme'],
    ['storageAccount', { qualifier: 'pl' }, 'stcxgenaiprdsdcpl'],
    ['storageAccount', { qualifier: 'multi-word' }, 'stcxgenaiprdsdcmultiword'],
    ['logAnalyticsWorkspace', {}, 'log-cx-genai-prd-sdc'],
    ['applicationInsights', {}, 'appi-cx-genai-prd-sdc'],
    ['virtualNetwork', {}, 'vnet-cx-genai-prd-sdc'],
    ['subnet', { qualifier: 'pep' }, 'snet-cx-genai-prd-sdc-pep'],
    ['networkSecurityGroup', { qualifier: 'apim' }, 'nsg-cx-genai-prd-sdc-apim'],
    ['privateEndpoint', { qualifier: 'kv' }, 'pep-cx-genai-prd-sdc-kv'],
    ['privateDnsZoneLink', {}, 'link-cx-genai-prd-sdc'],
    ['userAssignedIdentity', { qualifier: 'acme' }, 'id-cx-genai-prd-sdc-acme'],
    ['customSubdomain', {}, 'cx-genai-prd-sdc'],
  ])('%s %j → %s', (kind, options, expected) => {
    const name = composeName({ ...inputs, ...options, kind });
    expect(name).toBe(expected);
    expect(checkName(kind, name)).toEqual([]);
  });

  it('gives every region a distinct code, so names never collide across regions', () => {
    const codes = AZURE_REGION_NAMES.map((region) => AZURE_REGIONS[region].code);
    expect(new Set(codes).size).toBe(codes.length);
  });
});

describe('checkName', () => {
  it.each<[ResourceKind, string, RegExp]>([
    ['keyVault', 'kvcxgenaiprdsdcacmecorp01', /is 25 characters long; allowed are 3–24/],
    ['keyVault', 'kv--double', /consecutive hyphens/],
    ['keyVault', '1kv', /start with a letter/],
    ['storageAccount', 'st-cx', /lowercase letters and digits only/],
    ['storageAccount', 'stCX', /lowercase letters and digits only/],
    ['storageAccount', 'st', /is 2 characters long; allowed are 3–24/],
    ['apiManagement', '9apim', /start with a letter/],
    ['apiManagement', `apim-${'x'.repeat(46)}`, /is 51 characters long; allowed are 1–50/],
    ['customSubdomain', 'Upper-case', /lowercase letters, digits and hyphens/],
    ['customSubdomain', `a${'b'.repeat(63)}`, /is 64 characters long; allowed are 2–63/],
    ['logAnalyticsWorkspace', 'log', /is 3 characters long; allowed are 4–63/],
    ['resourceGroup', 'rg-ends-with.', /not ending in a period/],
    ['subnet', 'snet-', /end with a letter, digit or underscore/],
  ])('%s "%s" is rejected', (kind, name, message) => {
    expect(checkName(kind, name).join('; ')).toMatch(message);
  });

  it('reports every broken rule of one name at once', () => {
    expect(checkName('keyVault', `-${'a--'.repeat(10)}`)).toHaveLength(3);
  });

  it('covers every kind with rules whose limits are consistent', () => {
    for (const [kind, rule] of Object.entries(NAME_RULES)) {
      expect(rule.minLength, kind).toBeLessThanOrEqual(rule.maxLength);
      expect(rule.minLength, kind).toBeGreaterThanOrEqual(1);
    }
  });
});

describe('resourceName', () => {
  it('returns the name when it is valid', () => {
    expect(resourceName({ ...inputs, kind: 'keyVault' })).toBe('kvcxgenaiprdsdc');
  });

  it('throws naming the kind, the name and the rule', () => {
    expect(() => resourceName({ ...inputs, kind: 'keyVault', qualifier: 'averyverylongtenant' })).toThrow(
      'keyVault name "kvcxgenaiprdsdcaveryverylongtenant" is 34 characters long; allowed are 3–24',
    );
  });
});

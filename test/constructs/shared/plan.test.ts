/**
 * The plan reader on small hand-written plans: lookups, references within and across stacks, azapi bodies, policy
 * documents, and reading cdktf.out with one clear sentence for each way it can be broken.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  body,
  PlanReadError,
  policyDocument,
  parseXml,
  readSynthOutput,
  setting,
  StackPlan,
  type TerraformJson,
} from '../../../constructs/shared/plan';
import { readPolicyReport } from '../../../constructs/shared/policy';

const meta = (path: string) => ({ '//': { metadata: { path, uniqueId: path.split('/').pop() } } });

const BACKEND = { storage_account_name: 'st', container_name: 'tfstate', key: 'prod.tfstate' };

const PLATFORM: TerraformJson = {
  terraform: { backend: { azurerm: BACKEND } },
  resource: {
    azurerm_log_analytics_workspace: { ws: { ...meta('prod/Monitoring/Workspace'), name: 'log' } },
    azurerm_key_vault: { kv: { ...meta('prod/KeyVault/Vault'), name: 'kv' } },
    azapi_resource: {
      backend: {
        ...meta('prod/Gateway/Backend'),
        type: 'Microsoft.ApiManagement/service/backends@2024-06-01-preview',
        body: { properties: { url: 'https://a', credentials: { header: { k: ['x'] } } } },
        sensitive_body: { properties: { credentials: { header: null, query: { code: ['secret'] } } } },
      },
      policy: {
        ...meta('prod/Gateway/Policy'),
        type: 'Microsoft.ApiManagement/service/apis/policies@2024-06-01-preview',
        body: { properties: { value: '<policies><inbound><base /></inbound></policies>' } },
      },
    },
    azurerm_api_management_api_policy: {
      broken: { ...meta('prod/Gateway/Broken'), xml_content: '<policies><inbound>' },
      linked: { ...meta('prod/Gateway/Linked'), xml_link: 'https://x' },
    },
    azurerm_monitor_diagnostic_setting: {
      kvlogs: {
        ...meta('prod/KeyVault/Diagnostics'),
        target_resource_id: '${azurerm_key_vault.kv.id}',
        log_analytics_workspace_id: '${azurerm_log_analytics_workspace.ws.id}',
      },
    },
  },
  data: { azurerm_client_config: { current: { ...meta('prod/ClientConfig') } } },
  output: { workspace: { value: '${azurerm_log_analytics_workspace.ws.id}', sensitive: true } },
};

const SHARD: TerraformJson = {
  terraform: { backend: { azurerm: { ...BACKEND, key: 'prod-tenants-1.tfstate' } } },
  data: {
    terraform_remote_state: {
      platform: { backend: 'azurerm', config: BACKEND, workspace: '${terraform.workspace}' },
    },
  },
  resource: {
    azurerm_cognitive_account: { acct: { ...meta('prod-tenants-1/Tenants/a/Account'), name: 'ais-a' } },
    azurerm_monitor_diagnostic_setting: {
      logs: {
        ...meta('prod-tenants-1/Tenants/a/Diagnostics'),
        target_resource_id: '${azurerm_cognitive_account.acct.id}',
        log_analytics_workspace_id: '${data.terraform_remote_state.platform.outputs.workspace}',
      },
    },
  },
};

describe('StackPlan', () => {
  const platform = new StackPlan('prod', PLATFORM);
  const shard = new StackPlan('prod-tenants-1', SHARD, [platform]);

  it('finds resources by type, ARM type, address and construct path; data sources by address only', () => {
    expect(platform.byType('azurerm_key_vault').map((r) => r.path)).toEqual(['KeyVault/Vault']);
    expect(platform.byType('Microsoft.ApiManagement/service/backends').map((r) => r.address)).toEqual([
      'azapi_resource.backend',
    ]);
    expect(platform.byPath('Gateway/Policy')?.armType).toBe('Microsoft.ApiManagement/service/apis/policies');
    expect(platform.byAddress('data.azurerm_client_config.current')?.path).toBe('ClientConfig');
    expect(platform.resources.map((r) => r.address)).not.toContain('data.azurerm_client_config.current');
    expect(platform.byAddress('azurerm_key_vault.kv')?.config).toEqual({ name: 'kv' });
  });

  it('resolves references in the stack, to data sources, and to the resource behind an upstream output', () => {
    expect(platform.resolve('${azurerm_key_vault.kv.id}')?.address).toBe('azurerm_key_vault.kv');
    expect(platform.resolve('azurerm_key_vault.kv')?.address).toBe('azurerm_key_vault.kv');
    expect(platform.resolve('${data.azurerm_client_config.current.tenant_id}')?.path).toBe('ClientConfig');
    expect(platform.resolve('${azurerm_key_vault.nope.id}')).toBeUndefined();
    expect(platform.resolve(42)).toBeUndefined();
    const ws = shard.resolve('${data.terraform_remote_state.platform.outputs.workspace}');
    expect(ws).toMatchObject({ stack: 'prod', address: 'azurerm_log_analytics_workspace.ws' });
  });

  it('lists what a resource refers to (across stacks) and what refers to it (in its stack)', () => {
    const logs = shard.byAddress('azurerm_monitor_diagnostic_setting.logs')!;
    expect(shard.references(logs).map((r) => `${r.stack} ${r.address}`)).toEqual([
      'prod azurerm_log_analytics_workspace.ws',
      'prod-tenants-1 azurerm_cognitive_account.acct',
    ]);
    expect(platform.referrers(platform.byAddress('azurerm_key_vault.kv')!).map((r) => r.address)).toEqual([
      'azurerm_monitor_diagnostic_setting.kvlogs',
    ]);
    expect(shard.referrers(platform.byAddress('azurerm_key_vault.kv')!)).toEqual([]);
  });

  it('matches a remote state to the stack whose backend it reads, and lists the outputs it reads', () => {
    const [state] = shard.remoteStates();
    expect(state).toMatchObject({ name: 'platform', backend: 'azurerm' });
    expect(shard.sourceOf(state!)).toBe(platform);
    expect(platform.writes(state!)).toBe(true);
    expect(shard.writes(state!)).toBe(false);
    expect(shard.outputsRead(state!)).toEqual(['workspace']);
    expect(platform.output('workspace')).toBe('${azurerm_log_analytics_workspace.ws.id}');
    expect(platform.backend).toEqual({ backend: 'azurerm', config: BACKEND });
  });

  it('reads the azapi request body with sensitive_body merge-patched in, and one setting from either provider', () => {
    const backend = platform.byAddress('azapi_resource.backend')!;
    expect(body(backend)).toEqual({
      properties: { url: 'https://a', credentials: { query: { code: ['secret'] } } },
    });
    expect(backend.config['body']).toEqual({
      properties: { url: 'https://a', credentials: { header: { k: ['x'] } } },
    });
    expect(setting(backend, 'url', 'properties.url')).toBe('https://a');
    expect(setting(platform.byAddress('azurerm_key_vault.kv')!, 'name', 'properties.name')).toBe('kv');
    expect(body(platform.byAddress('azurerm_key_vault.kv')!)).toEqual({});
  });

  it('parses policy documents of either provider, and says why one cannot be read', () => {
    const doc = policyDocument(platform.byPath('Gateway/Policy')!);
    expect(typeof doc === 'string' ? doc : doc.name).toBe('policies');
    expect(policyDocument(platform.byPath('Gateway/Broken')!)).toMatch(
      /^the policy is not well-formed XML: /,
    );
    expect(policyDocument(platform.byPath('Gateway/Linked')!)).toMatch(/no inline XML/);
  });
});

describe('parseXml', () => {
  it('decodes each entity once, left to right, and leaves unknown ones as they are', () => {
    const doc = parseXml(
      '<a x="&amp;quot; &#38;amp; &#x26;lt; &lt;&gt;&apos;&quot; &#X41; &abc&quot; a&b &; &#x; &foo; &constructor;">t &amp;&#65;</a>',
    );
    expect(doc.attributes['x']).toBe('&quot; &amp; &lt; <>\'" A &abc" a&b &; &#x; &foo; &constructor;');
    expect(doc.text).toBe('t &A');
    expect(() => parseXml('<a x="&#99999999;" />')).toThrow(RangeError);
  });
});

describe('readSynthOutput', () => {
  function output(files: Record<string, string>): string {
    const dir = join(mkdtempSync(join(tmpdir(), 'lz-plan-')), 'cdktf.out');
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(join(dir, file, '..'), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
    return dir;
  }
  const manifest = JSON.stringify({
    stacks: {
      prod: {
        synthesizedStackPath: 'stacks/prod/cdk.tf.json',
        workingDirectory: 'stacks/prod',
        dependencies: [],
      },
      'prod-tenants-1': {
        synthesizedStackPath: 'stacks/prod-tenants-1/cdk.tf.json',
        workingDirectory: 'stacks/prod-tenants-1',
        dependencies: ['prod'],
      },
    },
  });

  it('reads each stack once, with the stacks it depends on as upstream', () => {
    const dir = output({
      'manifest.json': manifest,
      'stacks/prod/cdk.tf.json': JSON.stringify(PLATFORM),
      'stacks/prod-tenants-1/cdk.tf.json': JSON.stringify(SHARD),
    });
    const read = readSynthOutput(dir);
    expect(read.stackIds).toEqual(['prod', 'prod-tenants-1']);
    const shard = read.stack('prod-tenants-1');
    expect(shard.upstream).toEqual([read.stack('prod')]);
    expect(read.stack('prod-tenants-1')).toBe(shard);
    expect(shard.resolve('${data.terraform_remote_state.platform.outputs.workspace}')?.stack).toBe('prod');
    expect(read.stackDir('prod')).toBe(join(dir, 'stacks', 'prod'));
  });

  it('says what to run for a missing output, a corrupt manifest or plan, and an unknown stack', () => {
    const fails = (
      dir: string,
      read: (o: ReturnType<typeof readSynthOutput>) => unknown = () => undefined,
    ) => {
      try {
        read(readSynthOutput(dir));
      } catch (error) {
        expect(error).toBeInstanceOf(PlanReadError);
        return (error as Error).message;
      }
      throw new Error('expected a PlanReadError');
    };
    expect(fails('/nonexistent/cdktf.out')).toBe(
      '/nonexistent/cdktf.out has no manifest.json: run `npm run synth` first.',
    );
    expect(fails(output({ 'manifest.json': '{ nope' }))).toMatch(
      /manifest\.json is not valid JSON \(.*\): run `npm run synth` again\.$/,
    );
    expect(fails(output({ 'manifest.json': '{}' }))).toMatch(/manifest\.json lists no stacks/);
    const noPlans = output({ 'manifest.json': manifest });
    expect(fails(noPlans, (o) => o.stack('prod'))).toMatch(
      /stacks\/prod\/cdk\.tf\.json is missing: run `npm run synth` again\.$/,
    );
    expect(fails(noPlans, (o) => o.stacks(['qa', 'prod']))).toMatch(
      /has no stack "qa"; it has: prod, prod-tenants-1\.$/,
    );
    expect(fails(noPlans, (o) => o.stack('__proto__'))).toMatch(/has no stack "__proto__"/);
    expect(fails(noPlans, (o) => readPolicyReport(o, 'prod'))).toMatch(
      /policy\.json is missing: this synth did not run the rule pack/,
    );
    const badReport = output({ 'manifest.json': manifest, 'stacks/prod/policy.json': '{"version": 2}' });
    expect(fails(badReport, (o) => readPolicyReport(o, 'prod'))).toMatch(/is not a version 1 policy report/);
  });
});

/**
 * The usage ledger on synthesized plans: every environment the project loads that has the ledger on (an adopter's
 * own too), plus config errors. The record schema is asserted on the policy the gateway runs, the table and the DCR's
 * transformation; roles are asserted as the exact set each identity holds on the ledger.
 */
import { describe, expect, it } from 'vitest';
import { type PlanResource, field } from '../../../constructs/shared/plan';
import { LEDGER_TABLE, USAGE_RECORD_FIELDS } from '../../../constructs/shared/usage-record';
import { loadEnvironments } from '../../../environments';
import { environmentNames } from '../../../environments/names';
import { problemsOf } from '../../helpers/config';
import { exampleInput, synthEnvironment } from '../../helpers/synth';
import { findAll, parseXml } from '../../helpers/xml';

const environments = loadEnvironments();
const withLedger = environments.filter((env) => env.finops?.ledger.enabled);
const withoutLedger = environments.filter((env) => !env.finops?.ledger.enabled);

/** The names of the JSON properties a `log-to-eventhub` expression writes. */
const recordKeys = (expression: string) =>
  [...expression.matchAll(/new JProperty\("([^"]+)"/g)].map((m) => m[1]);

describe('the shipped environments', () => {
  it('run the ledger in staging and prod; dev keeps it off with a reason', () => {
    expect(withLedger.map((e) => e.stage)).toEqual(expect.arrayContaining(['staging', 'prod']));
    for (const env of withoutLedger) {
      expect(env.finops?.ledger).toEqual({ enabled: false, reason: expect.stringMatching(/.{20,}/) });
    }
  });
});

describe.each(withLedger.map((env) => [env.name, env] as const))('%s: the usage ledger', (_name, env) => {
  const synth = synthEnvironment(env);
  const namespace = synth.onlyPlatform('azurerm_eventhub_namespace');
  const hub = synth.onlyPlatform('azurerm_eventhub');
  const rule = synth.onlyPlatform('azurerm_monitor_data_collection_rule');
  const policy = parseXml(
    String(synth.onlyPlatform('azurerm_api_management_api_policy').config['xml_content']),
  );
  const ref = (r: PlanResource, attribute = 'id') => `\${${r.address}.${attribute}}`;

  it('writes one record per request from outbound and on-error, with exactly the schema’s fields', () => {
    for (const section of ['outbound', 'on-error']) {
      const logs = findAll(findAll(policy, section)[0]!, 'log-to-eventhub');
      expect(logs).toHaveLength(1);
      expect(logs[0]!.attributes['logger-id']).toBe('usage-ledger');
      expect(recordKeys(logs[0]!.text)).toEqual(USAGE_RECORD_FIELDS.map((f) => f.key));
      // Never prompt content: the record reads the response's usage, never the request body or messages.
      expect(logs[0]!.text).not.toMatch(/Request\.Body|"messages"|"content"|"choices"/);
    }
    expect(findAll(policy, 'inbound')[0]!.children.some((c) => c.name === 'log-to-eventhub')).toBe(false);
  });

  it('records the model, type and region of every deployment the gateway can reach', () => {
    const values = synth
      .resources('azurerm_api_management_named_value')
      .filter((v) => String(v.config['name']).startsWith('usage-ledger-deployments-'))
      .sort((a, b) => String(a.config['name']).localeCompare(String(b.config['name'])));
    expect(values.length).toBeGreaterThan(0);
    for (const v of values) expect(String(v.config['value']).length).toBeLessThanOrEqual(4096);
    const expression = values.map((v) => String(v.config['value'])).join('');
    // The policy reads the table from the named values, in order: its text is the same in every environment.
    expect(findAll(policy, 'log-to-eventhub')[0]!.text).toContain(
      `var table = ${values.map((v) => `"{{${String(v.config['name'])}}}"`).join(' + ')};`,
    );
    for (const [region, account] of Object.entries(env.endpoints.accounts)) {
      for (const [name, d] of Object.entries(account!.deployments)) {
        expect(expression).toContain(`/${name}=${d.model.name}|${d.type}|${region};`);
      }
    }
  });

  it('logs through a managed identity: endpoint and client id, never a connection string', () => {
    const logger = synth.onlyPlatform('azurerm_api_management_logger');
    const eventhub = field(logger.config, 'eventhub') as Record<string, unknown>;
    expect(eventhub).toEqual({
      name: hub.config['name'],
      endpoint_uri: `${String(namespace.config['name'])}.servicebus.windows.net`,
      user_assigned_identity_client_id: expect.stringMatching(
        /^\$\{azurerm_user_assigned_identity\.\w+\.client_id\}$/,
      ),
    });
  });

  it('keeps the namespace private, Entra-only, on TLS 1.2, open to trusted services only, with diagnostics', () => {
    expect(namespace.config).toMatchObject({
      sku: 'Standard',
      local_authentication_enabled: false,
      minimum_tls_version: '1.2',
      public_network_access_enabled: false,
      network_rulesets: [
        {
          default_action: 'Deny',
          public_network_access_enabled: false,
          trusted_service_access_enabled: true,
        },
      ],
    });
    const endpoints = synth
      .resources('azurerm_private_endpoint')
      .filter(
        (pe) =>
          field(pe.config, 'private_service_connection.private_connection_resource_id') === ref(namespace),
      );
    expect(endpoints).toHaveLength(1);
    expect(field(endpoints[0]!.config, 'private_service_connection.subresource_names')).toEqual([
      'namespace',
    ]);
    const zones = synth
      .resources('azurerm_private_dns_zone')
      .filter((z) => z.config['name'] === 'privatelink.servicebus.windows.net');
    expect(zones).toHaveLength(1);
    expect(field(endpoints[0]!.config, 'private_dns_zone_group.private_dns_zone_ids')).toContain(
      ref(zones[0]!),
    );
    expect(
      synth
        .resources('azurerm_monitor_diagnostic_setting')
        .filter((s) => s.config['target_resource_id'] === ref(namespace)),
    ).toHaveLength(1);
  });

  it('gives the gateway only Data Sender and the DCR only Data Receiver, on the hub; nobody else a role there', () => {
    const scopes = new Set([ref(namespace), ref(hub)]);
    const onLedger = synth
      .resources('azurerm_role_assignment')
      .filter((a) => scopes.has(String(a.config['scope'])));
    expect(
      onLedger
        .map((a) => [a.config['role_definition_name'], a.config['principal_id'], a.config['scope']])
        .sort(),
    ).toEqual(
      [
        ['Azure Event Hubs Data Receiver', ref(rule, 'identity[0].principal_id'), ref(hub)],
        [
          'Azure Event Hubs Data Sender',
          `\${${synth.resources('azurerm_user_assigned_identity').find((i) => i.config['name'] === environmentNames(env).gatewayIdentity)!.address}.principal_id}`,
          ref(hub),
        ],
      ].sort(),
    );
    expect(rule.config['identity']).toEqual({ type: 'SystemAssigned' });
  });

  it('ingests into a custom table whose columns are the record’s, kept 13 months at the Analytics plan', () => {
    const table = synth.onlyPlatform('azurerm_log_analytics_workspace_table_custom_log');
    expect(table.config).toMatchObject({
      name: LEDGER_TABLE,
      plan: 'Analytics',
      total_retention_in_days: 396,
    });
    expect((table.config['column'] as { name: string; type: string }[]).map((c) => [c.name, c.type])).toEqual(
      USAGE_RECORD_FIELDS.map((f) => [f.column, f.type]),
    );
    const flow = (rule.config['data_flow'] as Record<string, unknown>[])[0]!;
    expect(flow['output_stream']).toBe(`Custom-${LEDGER_TABLE}`);
    for (const f of USAGE_RECORD_FIELDS) expect(String(flow['transform_kql'])).toContain(`${f.column} = `);
    expect(field(rule.config, 'data_sources.data_import.event_hub_data_source')).toMatchObject([
      {
        consumer_group: `\${${synth.onlyPlatform('azurerm_eventhub_consumer_group').address}.name}`,
      },
    ]);
    const association = synth.onlyPlatform('azurerm_monitor_data_collection_rule_association');
    expect(association.config).toMatchObject({
      target_resource_id: ref(hub),
      data_collection_rule_id: ref(rule),
    });
  });

  it('runs on a workspace with a commitment tier, which Event Hubs ingestion needs', () => {
    const workspace = synth.onlyPlatform('azurerm_log_analytics_workspace');
    expect(workspace.config['sku']).toBe('CapacityReservation');
    expect(workspace.config['reservation_capacity_in_gb_per_day']).toBe(
      env.monitoring.commitmentTierGbPerDay,
    );
  });
});

describe.each(withoutLedger.map((env) => [env.name, env] as const))(
  '%s: without the ledger',
  (_name, env) => {
    it('creates no namespace, logger or record', () => {
      const synth = synthEnvironment(env);
      expect(synth.resources('azurerm_eventhub_namespace')).toEqual([]);
      expect(synth.resources('azurerm_api_management_logger')).toEqual([]);
      expect(
        String(synth.onlyPlatform('azurerm_api_management_api_policy').config['xml_content']),
      ).not.toContain('log-to-eventhub');
    });
  },
);

describe('ledger config', () => {
  it('needs a private network and a commitment tier, each named with its path', () => {
    const problems = problemsOf(
      exampleInput('dev', { finops: { ledger: { enabled: true, reason: undefined } } }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: 'finops.ledger.enabled',
          message: expect.stringContaining('expected network.mode "create" or "byo"'),
        }),
        expect.objectContaining({
          path: 'monitoring.commitmentTierGbPerDay',
          message: expect.stringContaining('commitment tier'),
        }),
      ]),
    );
  });

  it('turns off only with a reason', () => {
    expect(problemsOf(exampleInput('prod', { finops: { ledger: { enabled: false } } }))).toEqual([
      expect.objectContaining({ path: 'finops.ledger.reason' }),
    ]);
  });
});

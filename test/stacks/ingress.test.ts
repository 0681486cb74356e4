/**
 * The WAF in front of each regional gateway, asserted on the synthesized plan of every environment the project loads
 * that has ingress: one Application Gateway WAF_v2 per gateway region, a WAF policy in Prevention mode wherever the
 * environment is prod, its TLS certificate read from Key Vault through its own identity, and its backend the private
 * host name of the gateway of its own region.
 */
import { describe, expect, it } from 'vitest';
import { loadEnvironments } from '../../environments';
import { gatewayRegions } from '../../environments/sections/gateway-regions';
import { exampleEnvironment, synthEnvironment } from '../helpers/synth';

const withIngress = loadEnvironments().filter((env) => env.gateway.ingress.mode !== 'none');

describe.each(withIngress.map((env) => [env.name, env] as const))('%s ingress', (_name, env) => {
  const synth = synthEnvironment(env);
  const service = synth.only('azurerm_api_management');
  const gateways = synth.resources('azurerm_application_gateway');
  const policies = synth.resources('azurerm_web_application_firewall_policy');
  const ref = (address: string, attribute = 'id') => `\${${address}.${attribute}}`;

  it('puts a WAF_v2 in every gateway region, each with a WAF policy of managed OWASP and bot rules', () => {
    expect(gateways.map((g) => g.config['location']).sort()).toEqual([...gatewayRegions(env)].sort());
    for (const gateway of gateways) {
      expect(gateway.config).toMatchObject({
        sku: { name: 'WAF_v2', tier: 'WAF_v2' },
        force_firewall_policy_association: true,
      });
      const policy = policies.find((p) => gateway.config['firewall_policy_id'] === ref(p.address))!;
      expect(policy.config['location']).toBe(gateway.config['location']);
      expect(policy.config).toMatchObject({
        policy_settings: { enabled: true, request_body_check: true },
        managed_rules: {
          managed_rule_set: expect.arrayContaining([
            expect.objectContaining({ type: 'OWASP' }),
            expect.objectContaining({ type: 'Microsoft_BotManagerRuleSet' }),
          ]),
        },
      });
      if (env.stage === 'prod')
        expect(policy.config['policy_settings']).toMatchObject({ mode: 'Prevention' });
    }
  });

  it('reads its TLS certificate from Key Vault through its own identity, which holds Key Vault Secrets User there', () => {
    // The platform's vault (tenants' dedicated vaults carry a tenant tag).
    const vault = synth
      .resources('azurerm_key_vault')
      .find((v) => !(v.config['tags'] as Record<string, string> | undefined)?.['tenant'])!;
    for (const gateway of gateways) {
      const [identityId] = (gateway.config['identity'] as { identity_ids: string[] }).identity_ids;
      const identity = synth
        .resources('azurerm_user_assigned_identity')
        .find((i) => identityId === ref(i.address))!;
      expect(identity, gateway.address).toBeDefined();
      const grant = synth
        .resources('azurerm_role_assignment')
        .find((r) => r.config['principal_id'] === ref(identity.address, 'principal_id'));
      expect(grant?.config).toMatchObject({
        scope: ref(vault.address),
        role_definition_name: 'Key Vault Secrets User',
      });
      const [certificate] = gateway.config['ssl_certificate'] as { key_vault_secret_id: string }[];
      expect(certificate!.key_vault_secret_id).toBe(
        `${ref(vault.address, 'vault_uri')}secrets/${(env.gateway.ingress as { certificateName: string }).certificateName}`,
      );
      expect(gateway.config['ssl_policy']).toMatchObject({ policy_name: 'AppGwSslPolicy20220101S' });
    }
  });

  it("sends each region's traffic to the private host name of that region's gateway, which a private zone answers", () => {
    const zones = synth.resources('azurerm_private_dns_zone').map((z) => z.config['name']);
    for (const gateway of gateways) {
      const [pool] = gateway.config['backend_address_pool'] as { fqdns: string[] }[];
      const [host] = pool!.fqdns;
      if (gatewayRegions(env).length > 1) {
        expect(host).toBe(
          `${String(service.config['name'])}-${String(gateway.config['location'])}-01.regional.azure-api.net`,
        );
      }
      if (env.network.mode === 'create') expect(zones, host).toContain(host);
      expect(gateway.config['backend_http_settings']).toEqual([
        expect.objectContaining({
          protocol: 'Https',
          port: 443,
          host_name: host,
          probe_name: 'gateway-status',
        }),
      ]);
    }
  });
});

describe('prod ingress', () => {
  it('is a WAF in Prevention mode in swedencentral and francecentral, on the ingress subnets with the NSG Application Gateway v2 needs', () => {
    const synth = synthEnvironment(exampleEnvironment('prod'));
    const policies = synth.resources('azurerm_web_application_firewall_policy');
    expect(
      policies
        .map((p) => [p.config['location'], (p.config['policy_settings'] as { mode: string }).mode])
        .sort(),
    ).toEqual([
      ['francecentral', 'Prevention'],
      ['swedencentral', 'Prevention'],
    ]);
    const nsg = synth
      .resources('azurerm_network_security_group')
      .find((n) => String(n.config['name']).endsWith('sdc-agw'))!;
    const rules = nsg.config['security_rule'] as Record<string, unknown>[];
    expect(rules).toContainEqual(
      expect.objectContaining({
        source_address_prefix: 'GatewayManager',
        destination_port_range: '65200-65535',
        access: 'Allow',
      }),
    );
    expect(rules).toContainEqual(
      expect.objectContaining({ source_address_prefix: 'AzureLoadBalancer', access: 'Allow' }),
    );
    expect(
      rules.filter(
        (r) =>
          r['direction'] === 'Outbound' && r['access'] === 'Deny' && r['destination_address_prefix'] === '*',
      ),
    ).toEqual([]);
  });
});

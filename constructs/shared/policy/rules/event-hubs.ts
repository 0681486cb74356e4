/**
 * The usage ledger's Event Hubs namespace. Sources: PSRule Azure.EventHub.DisableLocalAuth, Azure.EventHub.MinTLS,
 * Azure.EventHub.Firewall; Learn, "Network security for Azure Event Hubs" and "Authorize access to Event Hubs
 * resources using Microsoft Entra ID".
 */
import { field } from '../../plan';
import { check, rule } from '../rule';
import { privateEndpointsOf } from './common';

const NAMESPACE = 'azurerm_eventhub_namespace';

export const EVENT_HUBS_RULES = [
  rule({
    id: 'LZ.EventHubs.LocalAuth',
    title: 'Event Hubs accepts Entra ID only (no SAS keys, no connection strings)',
    severity: 'high',
    appliesTo: [NAMESPACE],
    sources: ['Azure.EventHub.DisableLocalAuth'],
    fix: 'Set local_authentication_enabled = false; senders and readers use managed identities with data roles.',
    check: (r) =>
      check(r.config['local_authentication_enabled'] === false, 'local_authentication_enabled is not false'),
  }),
  rule({
    id: 'LZ.EventHubs.MinTls',
    title: 'Event Hubs refuses TLS older than 1.2',
    severity: 'high',
    appliesTo: [NAMESPACE],
    sources: ['Azure.EventHub.MinTLS'],
    fix: 'Set minimum_tls_version = "1.2".',
    check: (r) =>
      check(
        ['1.2', '1.3'].includes(String(r.config['minimum_tls_version'])),
        `minimum_tls_version is ${JSON.stringify(r.config['minimum_tls_version'])}`,
      ),
  }),
  rule({
    id: 'LZ.EventHubs.PublicNetworkAccess',
    title: 'Event Hubs refuses public networks (trusted Microsoft services only)',
    severity: 'high',
    appliesTo: [NAMESPACE],
    sources: ['Azure.EventHub.Firewall'],
    fix: 'Set public_network_access_enabled = false and network_rulesets.default_action = "Deny".',
    check: (r) =>
      check(
        r.config['public_network_access_enabled'] === false &&
          field(r.config, 'network_rulesets.default_action') === 'Deny',
        'public networks can reach the namespace',
      ),
  }),
  rule({
    id: 'LZ.EventHubs.PrivateEndpoint',
    title: 'Event Hubs is reached through a private endpoint',
    severity: 'high',
    appliesTo: [NAMESPACE],
    sources: ['Learn: Network security for Azure Event Hubs (private endpoints)'],
    fix: 'Give the namespace a private endpoint (sub-resource namespace, zone privatelink.servicebus.windows.net).',
    check: (r, plan) => check(privateEndpointsOf(plan, r).length > 0, 'no private endpoint connects to it'),
  }),
] as const;

import { describe, expect, it } from 'vitest';
import { isArmResourceIdOf, parseArmResourceId } from '../../../constructs/shared/arm-id';

const SUB = '11111111-2222-3333-4444-555555555555';
const SUBNET = `/subscriptions/${SUB}/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/snet-pep`;

describe('parseArmResourceId', () => {
  it('parses a child resource into subscription, group, full type and names', () => {
    expect(parseArmResourceId(SUBNET)).toEqual({
      subscriptionId: SUB,
      resourceGroupName: 'rg-hub',
      type: 'Microsoft.Network/virtualNetworks/subnets',
      names: ['vnet-hub', 'snet-pep'],
      name: 'snet-pep',
    });
  });

  it('parses a top-level resource whose name has dots', () => {
    const zone = `/subscriptions/${SUB}/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net`;
    expect(parseArmResourceId(zone)).toMatchObject({
      type: 'Microsoft.Network/privateDnsZones',
      name: 'privatelink.vaultcore.azure.net',
    });
  });

  it.each([
    ['empty', ''],
    ['no leading slash', SUBNET.slice(1)],
    ['trailing slash', `${SUBNET}/`],
    ['a subscription that is no GUID', SUBNET.replace(SUB, 'my-subscription')],
    ['a missing name', `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks`],
    ['an empty segment', SUBNET.replace('vnet-hub', '')],
    ['no providers segment', `/subscriptions/${SUB}/resourceGroups/rg/Microsoft.Network/virtualNetworks/v`],
    [
      'a namespace without a dot',
      `/subscriptions/${SUB}/resourceGroups/rg/providers/Network/virtualNetworks/v`,
    ],
    ['a resource group id', `/subscriptions/${SUB}/resourceGroups/rg`],
  ])('rejects %s', (_, text) => {
    expect(parseArmResourceId(text)).toBeUndefined();
  });
});

describe('isArmResourceIdOf', () => {
  it('compares types case-insensitively, as ARM does', () => {
    expect(isArmResourceIdOf(SUBNET, 'microsoft.network/virtualnetworks/subnets')).toBe(true);
    expect(isArmResourceIdOf(SUBNET, 'Microsoft.Network/virtualNetworks')).toBe(false);
    expect(isArmResourceIdOf('not an id', 'Microsoft.Network/virtualNetworks/subnets')).toBe(false);
  });
});

import { z } from 'zod';
import { isArmResourceIdOf } from '../../constructs/shared/arm-id';
import {
  PRIVATE_DNS_ZONES,
  type PrivateDnsZoneKey,
  SUBNETS,
  type SubnetKey,
} from '../../constructs/shared/catalog';
import { CIDR_PATTERN, isCanonical, isPrivate, parseCidr, canonical, formatCidr } from '../cidr';
import { optIn, Reason, Region } from './primitives';

/** An IPv4 CIDR with no host bits set (`10.20.0.0/24`). The JSON Schema carries its syntax as a pattern. */
export const Cidr = z
  .string()
  .meta({ pattern: CIDR_PATTERN })
  .superRefine((text, ctx) => {
    const block = parseCidr(text);
    if (!block) {
      ctx.addIssue({ code: 'custom', message: 'expected an IPv4 CIDR such as 10.20.0.0/24' });
    } else if (!isCanonical(block)) {
      ctx.addIssue({
        code: 'custom',
        message: `host bits are set; expected the network address ${formatCidr(canonical(block))}`,
      });
    }
  });

const AddressSpace = Cidr.superRefine((text, ctx) => {
  const block = parseCidr(text);
  if (!block) return; // Cidr reported it
  if (block.prefixLength < 8 || block.prefixLength > 29) {
    ctx.addIssue({ code: 'custom', message: 'expected a prefix length between /8 and /29' });
  } else if (!isPrivate(block)) {
    ctx.addIssue({
      code: 'custom',
      message: 'expected a private range (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10)',
    });
  }
}).describe('Address space of the VNet, a private IPv4 range. A /22 holds the default subnets.');

const SubnetFields = z
  .strictObject({
    addressPrefix: Cidr.optional().describe(
      'Explicit range, e.g. from your IPAM. Default: the first free block of prefixLength in the address space.',
    ),
    prefixLength: z
      .number()
      .int({ message: 'expected a whole prefix length' })
      .min(8, { message: 'expected a prefix length of at least 8' })
      .max(29, { message: 'Azure’s smallest subnet is /29; expected at most 29' })
      .optional()
      .describe('Size of a carved subnet, when addressPrefix is not given.'),
  })
  .refine((spec) => spec.addressPrefix === undefined || spec.prefixLength === undefined, {
    message: 'set addressPrefix or prefixLength, not both',
  });
const SubnetSpec = SubnetFields.prefault({});

/**
 * The subnet of the regional Application Gateway (WAF_v2) in front of the gateway: dedicated to it, as Azure
 * requires. Microsoft recommends a /24 for v2 (room for autoscaling to 125 instances); the floor here is a /26.
 * https://learn.microsoft.com/azure/application-gateway/configuration-infrastructure
 */
export const INGRESS_SUBNET = {
  qualifier: 'agw',
  defaultPrefixLength: 24,
  minimumPrefixLength: 26,
  purpose: 'the Application Gateway (WAF) in front of the gateway',
} as const;

function subnetDescription(key: SubnetKey): string {
  const subnet = SUBNETS[key];
  return `Subnet for ${subnet.purpose}. Default: a /${subnet.defaultPrefixLength}; at least /${subnet.minimumPrefixLength}.`;
}

const VirtualNetworkSpec = z.strictObject({
  addressSpace: AddressSpace,
  subnets: z
    .strictObject({
      gateway: SubnetSpec.describe(subnetDescription('gateway')),
      privateEndpoints: SubnetSpec.describe(subnetDescription('privateEndpoints')),
      appIntegration: SubnetSpec.describe(subnetDescription('appIntegration')),
      ingress: SubnetFields.optional().describe(
        `Subnet for ${INGRESS_SUBNET.purpose}, in each gateway region when gateway.ingress is not "none". Give {} to carve a /${INGRESS_SUBNET.defaultPrefixLength}; at least /${INGRESS_SUBNET.minimumPrefixLength}.`,
      ),
    })
    .prefault({})
    .describe(
      'The subnets of the VNet (three always, ingress with a WAF); each has an NSG and no default outbound access.',
    ),
});

function armId(type: string, example: string) {
  return z
    .string()
    .refine((id) => isArmResourceIdOf(id, type), { message: `expected the ARM id of ${example}` });
}

const SubnetId = armId(
  'Microsoft.Network/virtualNetworks/subnets',
  'a subnet: /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>',
);
const PrivateDnsZoneId = armId(
  'Microsoft.Network/privateDnsZones',
  'a private DNS zone: /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.Network/privateDnsZones/<zone>',
);

/** Who adds the DNS zone groups of the private endpoints (an enterprise hub's DeployIfNotExists policy, or us). */
export const ZONE_GROUP_MODES = ['blueprint', 'managedByPolicy'] as const;

const PrivateDnsZoneGroups = z
  .enum(ZONE_GROUP_MODES, {
    error: () =>
      'expected "blueprint" (the stack adds the zone groups) or "managedByPolicy" (the hub\'s policy does)',
  })
  .default('blueprint')
  .describe(
    "blueprint: each private endpoint gets a DNS zone group with its privatelink zones. managedByPolicy: an enterprise hub's DeployIfNotExists policy adds them in the hub's zones; the stack creates the endpoints without zone groups, ignores changes to them, creates no privatelink zone, and the data-path proof takes name resolution as an assumption of the hub.",
  );

const PublicNetworkAccess = optIn(
  'Open the data plane of the deployed services to public networks. Never in staging or prod.',
);

const CreateNetwork = z
  .strictObject({
    mode: z.literal('create').default('create'),
    publicNetworkAccess: PublicNetworkAccess,
    privateDnsZoneGroups: PrivateDnsZoneGroups,
    vnets: z
      .partialRecord(Region, VirtualNetworkSpec)
      .default({})
      .describe('One VNet per region of the environment, keyed by region. Address spaces must not overlap.'),
  })
  .describe(
    'The stack creates a VNet per region, the subnets with their NSGs, and the private DNS zones linked to every VNet.',
  );

/** Something the hub provides that the stack cannot see: the data-path proof lists it as an assumption. */
const ProvidedByHub = z
  .strictObject({ reason: Reason })
  .describe('Declared as provided by the hub; the audit lists it as an assumption with this reason.');

const ByoNetwork = z
  .strictObject({
    mode: z.literal('byo'),
    publicNetworkAccess: PublicNetworkAccess,
    privateDnsZoneGroups: PrivateDnsZoneGroups,
    subnetIds: z
      .partialRecord(
        Region,
        z.strictObject({
          privateEndpoints: SubnetId.describe('Subnet the private endpoints of this region go into.'),
          gateway: SubnetId.optional().describe(
            'Subnet for APIM VNet injection, if the gateway is injected.',
          ),
          appIntegration: SubnetId.optional().describe('Subnet for App Service VNet integration.'),
          ingress: SubnetId.optional().describe(
            'Subnet for the Application Gateway (WAF) of this gateway region, when gateway.ingress is not "none".',
          ),
        }),
      )
      .default({})
      .describe('Existing subnets per region (in the deployment subscription), keyed by region.'),
    privateDnsZoneIds: z
      .partialRecord(
        z.enum(Object.keys(PRIVATE_DNS_ZONES) as [PrivateDnsZoneKey, ...PrivateDnsZoneKey[]]),
        PrivateDnsZoneId,
      )
      .default({})
      .describe(
        'Existing private DNS zones (often in a hub subscription), keyed by zone: openai, cognitiveServices, …',
      ),
    providedByHub: z
      .strictObject({
        peering: ProvidedByHub.optional().describe(
          'The hub routes between the VNets of the existing subnets (peering in both directions, or a transit appliance).',
        ),
        dns: ProvidedByHub.optional().describe(
          "The hub links its private DNS zones to every VNet of the existing subnets, and resolves the internal gateway's host names to its private address.",
        ),
        networkSecurity: ProvidedByHub.optional().describe(
          'The NSGs of the existing subnets allow HTTPS from the callers to the gateway and the private endpoints, and outbound to Entra ID and Azure Monitor.',
        ),
      })
      .default({})
      .describe(
        'What the hub provides that the data-path proof cannot see in the plan. Each entry is an assumption with a reason; without it, a data path through the hub fails synth.',
      ),
  })
  .describe('Attach to an existing hub: the stack creates no VNet and no DNS zone, only private endpoints.');

const NoNetwork = z
  .strictObject({ mode: z.literal('none'), publicNetworkAccess: PublicNetworkAccess })
  .describe('No private networking: dev only, and public access needs a written reason.');

export const NetworkSection = z
  .discriminatedUnion('mode', [CreateNetwork, ByoNetwork, NoNetwork])
  .prefault({})
  .describe(
    'create (the default): VNets and private DNS zones. byo: attach to an existing hub (subnet and zone ids). ' +
      'none: no private networking (dev only, needs public access with a reason).',
  );

export const NETWORK_FIELDS = { network: NetworkSection };

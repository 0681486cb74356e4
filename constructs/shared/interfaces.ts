/**
 * The standard feature set every resource construct offers (after the Azure Verified Modules interfaces):
 * tags, diagnostic settings, lock, role assignments, managed identities and private endpoints. Each is implemented
 * once in this folder. Their dependencies (workspace, subnets, DNS zones, principals) are passed in; a resource
 * construct never creates them.
 */
import type { BuiltInRole } from './catalog/roles';

/**
 * A weakening of a secure default: off unless turned on, and turning it on needs a written reason, which the audit
 * report shows.
 */
export type OptIn = { readonly enabled: false } | { readonly enabled: true; readonly reason: string };

/** Send a resource's logs and metrics to the environment's Log Analytics workspace. */
export interface DiagnosticSettingsOptions {
  /** ARM id of the Log Analytics workspace. */
  readonly workspaceId: string;
  /** Log category groups to send; `[]` sends no logs (resource types that have only metrics). @default ['allLogs'] */
  readonly logCategoryGroups?: readonly ('allLogs' | 'audit')[];
  /** Individual log categories, for resource types without category groups. Replaces the groups. @default - none */
  readonly logCategories?: readonly string[];
  /** Send metrics. @default true */
  readonly metrics?: boolean;
  /** Metric categories, for resource types without `AllMetrics` (storage: `Transaction`). @default ['AllMetrics'] */
  readonly metricCategories?: readonly string[];
  /**
   * `Dedicated` writes to resource-specific tables (`ApiManagementGatewayLogs`, …) where the type supports them;
   * elsewhere Azure keeps `AzureDiagnostics` and a `Dedicated` setting would diff forever.
   * @default 'AzureDiagnostics'
   */
  readonly destinationType?: 'Dedicated' | 'AzureDiagnostics';
}

/** Reach a resource through a private endpoint, with the DNS zone group that makes its name resolve privately. */
export interface PrivateEndpointOptions {
  /** Name of the private endpoint (from the environment's name plan). */
  readonly name: string;
  /** ARM id of the subnet for private endpoints. */
  readonly subnetId: string;
  /**
   * ARM ids of the private DNS zones for the zone group. Required and non-empty unless an enterprise hub's policy adds
   * the zone group (`zoneGroupManagedByPolicy`): without a zone group the name keeps resolving to the public address.
   */
  readonly privateDnsZoneIds: readonly string[];
  /**
   * The hub's DeployIfNotExists policy adds the zone group: the endpoint is created without one, and Terraform
   * ignores `private_dns_zone_group` so it does not remove what the policy added. @default false
   */
  readonly zoneGroupManagedByPolicy?: boolean;
  /** Region of the endpoint (the VNet's region). @default - the resource's region */
  readonly location?: string;
}

/** A management lock on the resource. */
export interface LockOptions {
  /** `CanNotDelete` (prod data protection) or `ReadOnly`. */
  readonly level: 'CanNotDelete' | 'ReadOnly';
  /** Why the lock exists, shown in the portal and the audit report. */
  readonly notes: string;
}

/** One role assignment on the resource. */
export interface RoleAssignmentOptions {
  readonly roleDefinitionName: BuiltInRole;
  /** Object id of the identity that gets the role. */
  readonly principalId: string;
  /**
   * Set it for managed identities: Azure then skips the directory lookup that fails for a principal created seconds
   * earlier. @default 'ServicePrincipal'
   */
  readonly principalType?: 'ServicePrincipal' | 'Group' | 'User';
  /** Why the principal needs the role. @default - none */
  readonly description?: string;
}

/** The managed identities of a resource. */
export interface ManagedIdentityOptions {
  /** @default false */
  readonly systemAssigned?: boolean;
  /** ARM ids of user-assigned identities. @default - none */
  readonly userAssignedIdentityIds?: readonly string[];
}

/** The standard feature set, as props of a resource construct. */
export interface StandardResourceProps {
  /** Tags of this resource. The stack's tags aspect adds the mandatory ones; these win. @default - none */
  readonly tags?: Readonly<Record<string, string>>;
  /** @default - no diagnostic setting */
  readonly diagnosticSettings?: DiagnosticSettingsOptions;
  /** @default - no lock */
  readonly lock?: LockOptions;
  /** Keyed by a stable name (it forms the construct id). @default - none */
  readonly roleAssignments?: Readonly<Record<string, RoleAssignmentOptions>>;
  /** @default - no private endpoint */
  readonly privateEndpoint?: PrivateEndpointOptions;
  /**
   * Terraform refuses to destroy the resource while this is set (`lifecycle.prevent_destroy`). Pair it with a
   * `CanNotDelete` lock: the lock also stops deletion outside Terraform. @default false
   */
  readonly preventDestroy?: boolean;
}

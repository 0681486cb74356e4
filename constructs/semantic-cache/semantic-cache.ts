import { Construct } from 'constructs';
import {
  AzapiEphemeralResourceAction,
  AzapiResource,
  AzapiTrackedResource,
  type AzapiResourceConfig,
} from '../shared/azapi';
import {
  MANAGED_REDIS_API,
  MANAGED_REDIS_DATABASE,
  MANAGED_REDIS_DATABASE_API,
  MANAGED_REDIS_ID,
  MANAGED_REDIS_PORT,
  PRIVATE_LINK_SERVICES,
  type ManagedRedisSku,
  managedRedisHost,
  SEMANTIC_CACHE_DATABASE,
} from '../shared/catalog';
import { addDiagnosticSetting, addStandardFeatures, type StandardFeatures } from '../shared/features';
import type { DiagnosticSettingsOptions, StandardResourceProps } from '../shared/interfaces';
import { suppressRule } from '../shared/policy/suppressions';

/** Key Vault secrets are written through ARM, so the deploying agent never needs the vault's private data plane. */
const SECRETS_API = 'Microsoft.KeyVault/vaults/secrets@2023-07-01';

/** Name of the Key Vault secret that holds the connection string API Management uses. */
export const SEMANTIC_CACHE_SECRET = 'semantic-cache-connection';

/** Build an Azure Managed Redis for the cache. */
export interface ManagedRedisCacheOptions {
  readonly mode: 'create';
  readonly name: string;
  readonly location: string;
  /** ARM id of the resource group (azapi's parent). */
  readonly resourceGroupId: string;
  /** Name of the resource group (its private endpoint goes there). */
  readonly resourceGroupName: string;
  readonly sku: ManagedRedisSku;
  /** A replica of every shard. */
  readonly highAvailability: boolean;
}

/** Use an Azure Managed Redis that someone else runs (its network path and its database settings are theirs). */
export interface ExistingManagedRedisOptions {
  readonly mode: 'existing';
  /** ARM id of the cache (`Microsoft.Cache/redisEnterprise/<name>`). */
  readonly resourceId: string;
  /** Its region: the host name is `<name>.<region>.redis.azure.net`. */
  readonly location: string;
}

export interface SemanticCacheProps extends Omit<
  StandardResourceProps,
  'diagnosticSettings' | 'roleAssignments'
> {
  readonly cache: ManagedRedisCacheOptions | ExistingManagedRedisOptions;
  /** ARM id of the Key Vault that keeps the connection string. */
  readonly keyVaultId: string;
  /**
   * Bumping it rewrites the secret from the cache's current access key (after a key regeneration).
   * @default 1
   */
  readonly connectionSecretVersion?: number;
  /**
   * The workspace: the cache's metrics and the database's connection events. Only for a cache built here.
   * @default - no diagnostic settings
   */
  readonly diagnosticSettings?: Pick<DiagnosticSettingsOptions, 'workspaceId'>;
}

/**
 * API Management's semantic cache: an Azure Managed Redis with the RediSearch module (built here, or an existing one)
 * and its connection string in Key Vault.
 *
 * A cache built here has RediSearch with the Enterprise clustering policy and NoEviction (which RediSearch requires),
 * TLS only (clientProtocol Encrypted, TLS 1.2), public network access off and a private endpoint, its metrics and
 * connection events in the workspace, and the environment's lock. Access keys stay on: API Management connects with a
 * connection string and cannot use Entra ID to Azure Managed Redis.
 *
 * The connection string is written into Key Vault through ARM from an ephemeral `listKeys` (azapi): neither the key
 * nor the string is ever in Terraform state or the plan. API Management reads it as a Key Vault named value.
 */
export class SemanticCache extends Construct {
  /** ARM id of the cache (`Microsoft.Cache/redisEnterprise`). */
  readonly resourceId: string;
  /** ARM id of its database, where keys and modules live. */
  readonly databaseId: string;
  /** The host API Management connects to (`<name>.<region>.redis.azure.net`), when the cache is built here. */
  readonly hostName: string;
  readonly port: number;
  /** The Key Vault secret holding the connection string. */
  readonly secret: AzapiResource;
  /** Versionless URI of the secret, for a Key Vault named value (it follows rotation). */
  readonly secretUri: string;
  /** The cache built here. @default - undefined for an existing cache */
  readonly cluster?: AzapiTrackedResource;
  readonly database?: AzapiResource;
  readonly features?: StandardFeatures;

  constructor(scope: Construct, id: string, props: SemanticCacheProps) {
    super(scope, id);
    const cache = props.cache;
    if (cache.mode === 'existing') {
      const match = MANAGED_REDIS_ID.exec(cache.resourceId);
      if (!match)
        throw new Error(
          `${this.node.path}: "${cache.resourceId}" is not the ARM id of an Azure Managed Redis (Microsoft.Cache/redisEnterprise); the semantic cache needs RediSearch`,
        );
      this.resourceId = cache.resourceId;
      this.databaseId = `${cache.resourceId}/databases/${MANAGED_REDIS_DATABASE}`;
      this.hostName = managedRedisHost(match[2]!.toLowerCase(), cache.location);
    } else {
      this.cluster = new AzapiTrackedResource(this, 'Cache', {
        type: MANAGED_REDIS_API,
        name: cache.name,
        parentId: cache.resourceGroupId,
        location: cache.location,
        // The API version is newer than azapi's embedded schema may know.
        schemaValidationEnabled: false,
        body: {
          sku: { name: cache.sku },
          properties: {
            minimumTlsVersion: '1.2',
            highAvailability: cache.highAvailability ? 'Enabled' : 'Disabled',
            publicNetworkAccess: 'Disabled',
          },
        },
        ...(props.tags ? { tags: { ...props.tags } } : {}),
        ...(props.preventDestroy ? { lifecycle: { preventDestroy: true } } : {}),
      });
      this.database = new AzapiResource(this, 'Database', {
        type: MANAGED_REDIS_DATABASE_API,
        name: MANAGED_REDIS_DATABASE,
        parentId: this.cluster.id,
        schemaValidationEnabled: false,
        body: {
          properties: {
            clientProtocol: SEMANTIC_CACHE_DATABASE.clientProtocol,
            port: MANAGED_REDIS_PORT,
            clusteringPolicy: SEMANTIC_CACHE_DATABASE.clusteringPolicy,
            evictionPolicy: SEMANTIC_CACHE_DATABASE.evictionPolicy,
            modules: [{ name: SEMANTIC_CACHE_DATABASE.module }],
            accessKeysAuthentication: 'Enabled',
          },
        },
      });
      suppressRule(
        this.database,
        'LZ.Redis.AccessKeysDisabled',
        'API Management\'s external cache connects with a connection string; it cannot use Microsoft Entra authentication to Azure Managed Redis (Learn, "Use an external Redis-compatible cache in Azure API Management"). The key never leaves Key Vault and the private network.',
      );
      this.resourceId = this.cluster.id;
      this.databaseId = this.database.id;
      this.hostName = managedRedisHost(cache.name, cache.location);
      this.features = addStandardFeatures(
        this,
        {
          resourceId: this.cluster.id,
          location: cache.location,
          resourceGroupName: cache.resourceGroupName,
          privateLinkSubresource: PRIVATE_LINK_SERVICES.managedRedis.subresource,
        },
        { ...props, diagnosticSettings: undefined },
      );
      if (props.diagnosticSettings) {
        // The cache has metrics only; the database logs who connects and authenticates.
        addDiagnosticSetting(this, 'CacheDiagnostics', this.cluster.id, {
          workspaceId: props.diagnosticSettings.workspaceId,
          logCategoryGroups: [],
        });
        addDiagnosticSetting(this, 'DatabaseDiagnostics', this.database.id, {
          workspaceId: props.diagnosticSettings.workspaceId,
          logCategories: ['ConnectionEvents'],
          metrics: false,
        });
      }
    }
    this.port = MANAGED_REDIS_PORT;

    // The access key, read at plan and apply and never stored: it feeds only the write-only sensitive_body.
    const keys = new AzapiEphemeralResourceAction(this, 'AccessKeys', {
      type: MANAGED_REDIS_DATABASE_API,
      resourceId: this.databaseId,
      action: 'listKeys',
      responseExportValues: ['primaryKey'],
    });
    const connection = `${this.hostName}:${MANAGED_REDIS_PORT},password=${keys.output('primaryKey')},ssl=True,abortConnect=False`;
    const secret: AzapiResourceConfig = {
      type: SECRETS_API,
      name: SEMANTIC_CACHE_SECRET,
      parentId: props.keyVaultId,
      body: {
        properties: {
          contentType: 'Redis connection string (API Management external cache)',
          attributes: { enabled: true },
        },
      },
      sensitiveBody: { properties: { value: connection } },
      responseExportValues: ['properties.secretUri'],
      sensitiveBodyVersion: { 'properties.value': String(props.connectionSecretVersion ?? 1) },
      ...(this.database ? { dependsOn: [this.database] } : {}),
    };
    this.secret = new AzapiResource(this, 'ConnectionSecret', secret);
    this.secretUri = this.secret.output('properties.secretUri');
  }
}

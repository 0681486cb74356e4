/**
 * The Azure catalog: the facts about Azure that config validation, the constructs and the scripts all read, each
 * with its source (a Learn page or a provider file). Config and scripts import facts from here, never from a
 * capability folder.
 */
export {
  ALERT_KEYS,
  ALERT_SEVERITIES,
  ALERT_WINDOWS_MINUTES,
  type AlertKey,
  type AlertSettings,
  type AlertSeverity,
  type AlertSignal,
  type AlertWindowMinutes,
  DEFAULT_ALERT_SETTINGS,
  MODEL_ALERT_SIGNALS,
  PLATFORM_ALERT_SIGNALS,
  severityLevel,
} from './alerts';
export {
  APIM_SAMPLE_PRODUCTS,
  GATEWAY_LIMITS,
  GATEWAY_LIMITS_SOURCE,
  GATEWAY_NETWORK_MODES,
  GATEWAY_TIER_NAMES,
  GATEWAY_TIERS,
  type GatewayNetworkMode,
  type GatewayTier,
  gatewayHostNames,
  gatewaySubnetDelegation,
} from './api-management';
export { FILTER_SEVERITY_ON_EIGHT_LEVELS, type FilterSeverity } from './content-safety';
export {
  DEFAULT_PTU_RULES,
  DEPLOYMENT_TYPE_NAMES,
  DEPLOYMENT_TYPES,
  type DeploymentType,
  isBatch,
  isPayAsYouGo,
  isProvisioned,
  type ProvisionedType,
  type PtuRule,
} from './deployment-types';
export {
  CONTENT_SAFETY_POLICY,
  LOG_TABLES,
  METRICS,
  type PlatformMetric,
  TOKEN_METRIC_DIMENSIONS,
  TOKEN_METRICS,
} from './metrics';
export {
  CLASSIC_REDIS_ID,
  MANAGED_REDIS_API,
  MANAGED_REDIS_DATABASE,
  MANAGED_REDIS_DATABASE_API,
  MANAGED_REDIS_ID,
  MANAGED_REDIS_PORT,
  MANAGED_REDIS_SEARCH_SKUS,
  type ManagedRedisSku,
  managedRedisHost,
  SEMANTIC_CACHE_DATABASE,
} from './managed-redis';
export {
  PRIVATE_DNS_ZONE_FORWARDERS,
  PRIVATE_DNS_ZONE_PUBLIC_SUFFIXES,
  PRIVATE_DNS_ZONES,
  PRIVATE_LINK_SERVICES,
  type PrivateDnsZoneKey,
  type PrivateLinkService,
  privateZoneForHost,
  publicSuffixes,
} from './private-link';
export { type ModelKind, modelKind } from './model-kinds';
export { AZURE_REGION_NAMES, AZURE_REGIONS, type AzureRegion, regionCode } from './regions';
export { actionCovers, type BuiltInRole, ROLE_CATALOG, type RoleDefinition, roleOf } from './roles';
export { SUBNET_KEYS, SUBNETS, type SubnetKey } from './subnets';
export { hasAvailabilityZones, REGION_FACTS, regionDisplayName, regionOfDisplayName } from './region-facts';
export {
  assignmentEffect,
  BUILT_IN_POLICIES,
  type BuiltInPolicy,
  type PolicyEffect,
  policyDefinitionId,
} from './policy-definitions';
export { COMMITMENT_TIERS_GB_PER_DAY, type CommitmentTierGbPerDay } from './log-analytics';
export {
  EVALUATION_CONTAINER,
  EVALUATOR_NAMES,
  EVALUATORS,
  DECAY_EVENT,
  type EvaluatorName,
  MESSAGE_LOG_SOURCE,
  passesThreshold,
  PROMPT_CONTAINER,
} from './evaluators';

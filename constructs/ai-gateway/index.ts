/** The public face of this capability: what stacks, other capabilities and tests use. Internals stay unexported here. */
export {
  AiGateway,
  type AiGatewayProps,
  type GatewayNetwork,
  regionalGatewayHostName,
  SEMANTIC_CACHE_NAMED_VALUE,
  type TenantSecurity,
} from './gateway';
export { type ContentSafetyThresholds } from './policies/llm';
export { type LedgerDeployment } from './policies/usage-ledger';
export { defaultRetryCount, type ModelPool, planRoutes } from './routing';

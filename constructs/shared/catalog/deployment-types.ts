/**
 * The deployment types (SKU names) that `azurerm_cognitive_deployment` accepts on azurerm 4.55, and what each means
 * for capacity, data residency and the gateway.
 *
 * - pay-as-you-go: `capacity` is thousands of tokens per minute (TPM).
 * - provisioned (PTU): `capacity` is provisioned throughput units, with a minimum and an increment per model.
 * - batch: `capacity` is thousands of enqueued tokens; asynchronous, never in a real-time gateway pool.
 *
 * Changing a deployment's type replaces the deployment.
 *
 * Sources: Learn, "Deployment types for Azure AI Foundry Models"
 * (https://learn.microsoft.com/azure/ai-foundry/foundry-models/concepts/deployment-types); the `sku.name` values of
 * the provider's `azurerm_cognitive_deployment` (website/docs/r/cognitive_deployment.html.markdown, azurerm 4.55).
 */
export const DEPLOYMENT_TYPES = {
  Standard: { billing: 'payAsYouGo', scope: 'regional' },
  GlobalStandard: { billing: 'payAsYouGo', scope: 'global' },
  DataZoneStandard: { billing: 'payAsYouGo', scope: 'dataZone' },
  ProvisionedManaged: { billing: 'provisioned', scope: 'regional' },
  GlobalProvisionedManaged: { billing: 'provisioned', scope: 'global' },
  DataZoneProvisionedManaged: { billing: 'provisioned', scope: 'dataZone' },
  GlobalBatch: { billing: 'batch', scope: 'global' },
  DataZoneBatch: { billing: 'batch', scope: 'dataZone' },
} as const satisfies Record<
  string,
  { billing: 'payAsYouGo' | 'provisioned' | 'batch'; scope: 'regional' | 'global' | 'dataZone' }
>;

export type DeploymentType = keyof typeof DEPLOYMENT_TYPES;

export const DEPLOYMENT_TYPE_NAMES = Object.keys(DEPLOYMENT_TYPES) as [DeploymentType, ...DeploymentType[]];

export type ProvisionedType = {
  [T in DeploymentType]: (typeof DEPLOYMENT_TYPES)[T]['billing'] extends 'provisioned' ? T : never;
}[DeploymentType];

export function isProvisioned(type: DeploymentType): type is ProvisionedType {
  return DEPLOYMENT_TYPES[type].billing === 'provisioned';
}

export function isBatch(type: DeploymentType): boolean {
  return DEPLOYMENT_TYPES[type].billing === 'batch';
}

export function isPayAsYouGo(type: DeploymentType): boolean {
  return DEPLOYMENT_TYPES[type].billing === 'payAsYouGo';
}

/** Minimum size and scale increment of a provisioned deployment, in PTU, and its throughput per PTU. */
export interface PtuRule {
  readonly minimum: number;
  readonly increment: number;
  /** Input tokens per minute one PTU serves (capacity planning). @default - unknown: counts as 0 */
  readonly inputTpmPerPtu?: number;
}

/**
 * PTU minimums and increments per model, from Learn, "Provisioned throughput onboarding"
 * (https://learn.microsoft.com/azure/ai-foundry/openai/how-to/provisioned-throughput-onboarding): global and
 * data zone provisioned deployments start at 15 PTU in steps of 5; regional ones at 50 (25 for the mini models) in
 * steps of the same size. Config extends or overrides this table (`endpoints.provisionedThroughputRules`) when a
 * model is added or Microsoft changes a figure.
 */
const GLOBAL_AND_DATA_ZONE: PtuRule = { minimum: 15, increment: 5 };
const REGIONAL_LARGE: PtuRule = { minimum: 50, increment: 50 };
const REGIONAL_MINI: PtuRule = { minimum: 25, increment: 25 };

function ptuRules(regional: PtuRule, inputTpmPerPtu?: number): Record<ProvisionedType, PtuRule> {
  const tpm = inputTpmPerPtu === undefined ? {} : { inputTpmPerPtu };
  return {
    ProvisionedManaged: { ...regional, ...tpm },
    GlobalProvisionedManaged: { ...GLOBAL_AND_DATA_ZONE, ...tpm },
    DataZoneProvisionedManaged: { ...GLOBAL_AND_DATA_ZONE, ...tpm },
  };
}

export const DEFAULT_PTU_RULES: Readonly<Record<string, Partial<Record<ProvisionedType, PtuRule>>>> = {
  'gpt-4o': ptuRules(REGIONAL_LARGE),
  'gpt-4o-mini': ptuRules(REGIONAL_MINI),
  'gpt-4.1': ptuRules(REGIONAL_LARGE),
  'gpt-4.1-mini': ptuRules(REGIONAL_MINI),
  'gpt-4.1-nano': ptuRules(REGIONAL_MINI),
  o1: ptuRules(REGIONAL_LARGE),
  'o3-mini': ptuRules(REGIONAL_MINI),
  'o4-mini': ptuRules(REGIONAL_MINI),
};

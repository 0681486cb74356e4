/**
 * Azure regions the blueprint accepts, with the short codes used in resource names and the data zone each region
 * belongs to (DataZone* deployment types keep data inside the zone: `us` or `eu`).
 *
 * A region missing here is a config error, not a silent guess: add it with its code when you need it (and, with it,
 * any fact a capability needs per region, such as availability-zone support).
 *
 * Sources: region names as ARM spells them (`az account list-locations`); data zones: Learn, "Deployment types for
 * Azure AI Foundry Models" (https://learn.microsoft.com/azure/ai-foundry/foundry-models/concepts/deployment-types,
 * Data zone standard); the short codes are the blueprint's own, after the Cloud Adoption Framework's abbreviations.
 */
export const AZURE_REGIONS = {
  australiaeast: { code: 'aue', dataZone: undefined },
  brazilsouth: { code: 'brs', dataZone: undefined },
  canadacentral: { code: 'cac', dataZone: undefined },
  canadaeast: { code: 'cae', dataZone: undefined },
  centralus: { code: 'cus', dataZone: 'us' },
  eastus: { code: 'eus', dataZone: 'us' },
  eastus2: { code: 'eus2', dataZone: 'us' },
  francecentral: { code: 'frc', dataZone: 'eu' },
  germanywestcentral: { code: 'gwc', dataZone: 'eu' },
  italynorth: { code: 'itn', dataZone: 'eu' },
  japaneast: { code: 'jpe', dataZone: undefined },
  koreacentral: { code: 'krc', dataZone: undefined },
  northcentralus: { code: 'ncus', dataZone: 'us' },
  northeurope: { code: 'neu', dataZone: 'eu' },
  norwayeast: { code: 'noe', dataZone: undefined },
  polandcentral: { code: 'plc', dataZone: 'eu' },
  southafricanorth: { code: 'san', dataZone: undefined },
  southcentralus: { code: 'scus', dataZone: 'us' },
  southeastasia: { code: 'sea', dataZone: undefined },
  southindia: { code: 'ins', dataZone: undefined },
  spaincentral: { code: 'spc', dataZone: 'eu' },
  swedencentral: { code: 'sdc', dataZone: 'eu' },
  switzerlandnorth: { code: 'szn', dataZone: undefined },
  uaenorth: { code: 'uan', dataZone: undefined },
  uksouth: { code: 'uks', dataZone: undefined },
  westeurope: { code: 'weu', dataZone: 'eu' },
  westus: { code: 'wus', dataZone: 'us' },
  westus3: { code: 'wus3', dataZone: 'us' },
} as const satisfies Record<string, { code: string; dataZone: 'us' | 'eu' | undefined }>;

/** An Azure region name as ARM spells it (`swedencentral`). */
export type AzureRegion = keyof typeof AZURE_REGIONS;

export const AZURE_REGION_NAMES = Object.keys(AZURE_REGIONS) as [AzureRegion, ...AzureRegion[]];

/** The short code of a region, used in resource names (`swedencentral` → `sdc`). */
export function regionCode(region: AzureRegion): string {
  return AZURE_REGIONS[region].code;
}

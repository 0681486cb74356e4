/**
 * Facts about regions that the multi-region gateway needs beyond `regions.ts`: the display name API Management
 * reports in `context.Deployment.Region`, and whether the region has availability zones.
 *
 * - Display names: the names Azure lists for each region (`az account list-locations`, `displayName`); API Management
 *   gives the regional gateway's location in that form (Learn, "Deploy an Azure API Management instance to multiple
 *   Azure regions", Route API calls to regional backend services, compares `context.Deployment.Region` with "West US").
 * - Availability zones: Learn, "Azure regions with availability zone support"
 *   (https://learn.microsoft.com/azure/reliability/regions-list). A region listed `false` has none.
 */
import type { AzureRegion } from './regions';

export const REGION_FACTS = {
  australiaeast: { displayName: 'Australia East', availabilityZones: true },
  brazilsouth: { displayName: 'Brazil South', availabilityZones: true },
  canadacentral: { displayName: 'Canada Central', availabilityZones: true },
  canadaeast: { displayName: 'Canada East', availabilityZones: false },
  centralus: { displayName: 'Central US', availabilityZones: true },
  eastus: { displayName: 'East US', availabilityZones: true },
  eastus2: { displayName: 'East US 2', availabilityZones: true },
  francecentral: { displayName: 'France Central', availabilityZones: true },
  germanywestcentral: { displayName: 'Germany West Central', availabilityZones: true },
  italynorth: { displayName: 'Italy North', availabilityZones: true },
  japaneast: { displayName: 'Japan East', availabilityZones: true },
  koreacentral: { displayName: 'Korea Central', availabilityZones: true },
  northcentralus: { displayName: 'North Central US', availabilityZones: false },
  northeurope: { displayName: 'North Europe', availabilityZones: true },
  norwayeast: { displayName: 'Norway East', availabilityZones: true },
  polandcentral: { displayName: 'Poland Central', availabilityZones: true },
  southafricanorth: { displayName: 'South Africa North', availabilityZones: true },
  southcentralus: { displayName: 'South Central US', availabilityZones: true },
  southeastasia: { displayName: 'Southeast Asia', availabilityZones: true },
  southindia: { displayName: 'South India', availabilityZones: false },
  spaincentral: { displayName: 'Spain Central', availabilityZones: true },
  swedencentral: { displayName: 'Sweden Central', availabilityZones: true },
  switzerlandnorth: { displayName: 'Switzerland North', availabilityZones: true },
  uaenorth: { displayName: 'UAE North', availabilityZones: true },
  uksouth: { displayName: 'UK South', availabilityZones: true },
  westeurope: { displayName: 'West Europe', availabilityZones: true },
  westus: { displayName: 'West US', availabilityZones: false },
  westus3: { displayName: 'West US 3', availabilityZones: true },
} as const satisfies Record<AzureRegion, { displayName: string; availabilityZones: boolean }>;

/** The display name of a region (`swedencentral` → `Sweden Central`). */
export function regionDisplayName(region: AzureRegion): string {
  return REGION_FACTS[region].displayName;
}

/** The region whose display name this is, case-insensitively; undefined when none. */
export function regionOfDisplayName(name: string): AzureRegion | undefined {
  const wanted = name.trim().toLowerCase();
  return (Object.keys(REGION_FACTS) as AzureRegion[]).find(
    (region) => REGION_FACTS[region].displayName.toLowerCase() === wanted,
  );
}

/** True when the region has availability zones. */
export function hasAvailabilityZones(region: AzureRegion): boolean {
  return REGION_FACTS[region].availabilityZones;
}

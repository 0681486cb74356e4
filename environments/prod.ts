import type { EnvironmentInput } from './schema';

/** prod: three regions for PTU-first spillover and failover, private only, remote state, nothing purged on destroy. */
export const prod = {
  $schema: './schema.json',
  name: 'prod',
  stage: 'prod',
  description: 'Production: customer traffic, private endpoints only, changes arrive through the pipeline.',
  workload: 'genai',
  naming: { prefix: 'cx' },
  regions: { primary: 'swedencentral', additional: ['francecentral', 'germanywestcentral'] },
  tags: {
    owner: 'ai-platform@contoso.com',
    costCenter: 'CC-4711-PRD',
    businessUnit: 'digital-products',
    criticality: 'mission-critical',
    dataClassification: 'confidential',
    additional: { compliance: 'iso27001' },
  },
  backend: {
    type: 'azurerm',
    resourceGroupName: 'rg-cx-tfstate-sdc',
    storageAccountName: 'stcxtfstatesdc',
    containerName: 'tfstate',
    useOidc: true,
  },
  network: { mode: 'create' },
} satisfies EnvironmentInput;

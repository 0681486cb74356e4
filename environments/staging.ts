import type { EnvironmentInput } from './schema';

/** staging: the shape of prod (two regions, private network, remote state) at smaller sizes. */
export const staging = {
  $schema: './schema.json',
  name: 'staging',
  stage: 'staging',
  description: 'Pre-production: same topology as prod, smaller capacity; release candidates are tested here.',
  workload: 'genai',
  naming: { prefix: 'cx' },
  regions: { primary: 'swedencentral', additional: ['francecentral'] },
  tags: {
    owner: 'ai-platform@contoso.com',
    costCenter: 'CC-4711-STG',
    criticality: 'medium',
    dataClassification: 'confidential',
  },
  backend: {
    type: 'azurerm',
    resourceGroupName: 'rg-cx-tfstate-sdc',
    storageAccountName: 'stcxtfstatesdc',
    containerName: 'tfstate',
    useOidc: true,
  },
  // Subnets are carved from each /22 with the default sizes (gateway /24, private endpoints /24, app integration /26).
  network: {
    mode: 'create',
    vnets: {
      swedencentral: { addressSpace: '10.20.0.0/22' },
      francecentral: { addressSpace: '10.20.4.0/22' },
    },
  },
} satisfies EnvironmentInput;

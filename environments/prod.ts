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
  // Ranges assigned by the network team's IPAM, pinned so that no subnet ever moves.
  network: {
    mode: 'create',
    vnets: {
      swedencentral: {
        addressSpace: '10.30.0.0/22',
        subnets: {
          gateway: { addressPrefix: '10.30.0.0/24' },
          privateEndpoints: { addressPrefix: '10.30.1.0/24' },
          appIntegration: { addressPrefix: '10.30.2.0/26' },
        },
      },
      francecentral: {
        addressSpace: '10.30.4.0/22',
        subnets: {
          gateway: { addressPrefix: '10.30.4.0/24' },
          privateEndpoints: { addressPrefix: '10.30.5.0/24' },
          appIntegration: { addressPrefix: '10.30.6.0/26' },
        },
      },
      germanywestcentral: {
        addressSpace: '10.30.8.0/22',
        subnets: {
          gateway: { addressPrefix: '10.30.8.0/24' },
          privateEndpoints: { addressPrefix: '10.30.9.0/24' },
          appIntegration: { addressPrefix: '10.30.10.0/26' },
        },
      },
    },
  },
  promptLibrary: {
    replication: 'GZRS',
    blobSoftDeleteRetentionInDays: 90,
    containerSoftDeleteRetentionInDays: 90,
    changeFeedRetentionInDays: 365,
  },
} satisfies EnvironmentInput;

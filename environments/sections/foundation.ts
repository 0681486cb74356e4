import { z } from 'zod';
import { compactCode, Email, Region, slug, Uuid } from './primitives';

/** The stage decides which rules apply: staging and prod are private and keep their state remotely. */
export const STAGES = ['dev', 'staging', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

/** Short environment codes used in names when `naming.environmentCode` is not set. */
export const DEFAULT_ENVIRONMENT_CODES: Readonly<Record<string, string>> = {
  dev: 'dev',
  test: 'tst',
  qa: 'qa',
  staging: 'stg',
  prod: 'prd',
};

export const NamingSection = z
  .strictObject({
    prefix: compactCode('naming.prefix', 2, 5).describe(
      'Organisation prefix in every name; it keeps globally unique names (Key Vault, storage, APIM, subdomains) ours.',
    ),
    environmentCode: compactCode('naming.environmentCode', 1, 4)
      .optional()
      .describe('Short environment code in names. Default: dev→dev, staging→stg, prod→prd, else the name.'),
  })
  .describe('Inputs of the naming function.');

/** Azure's tag rules: names up to 512 characters without `<>%&\?/`, values up to 256 characters. */
const TagValue = z.string().min(1, { message: 'a tag value must not be empty' }).max(256, {
  message: 'a tag value must be at most 256 characters',
});
const TagName = z
  .string()
  .regex(/^[^<>%&\\?/]+$/, { message: 'a tag name must not contain < > % & \\ ? /' })
  .max(512, { message: 'a tag name must be at most 512 characters' });

/** Reserved tag names: the stack sets them from other fields. */
export const DERIVED_TAGS = ['environment', 'workload', 'managedBy'] as const;

export const TagsSection = z
  .strictObject({
    owner: z
      .string()
      .max(256)
      .refine((value) => Email.safeParse(value).success || slug('owner', 64).safeParse(value).success, {
        message: 'expected an e-mail address or a team slug (lowercase letters, digits, single hyphens)',
      })
      .describe('Team or person accountable: an e-mail address or a team slug.'),
    costCenter: TagValue.describe('Cost center charged for the environment.'),
    businessUnit: TagValue.optional(),
    criticality: z.enum(['low', 'medium', 'high', 'mission-critical']).optional(),
    dataClassification: z.enum(['public', 'internal', 'confidential', 'restricted']).optional(),
    additional: z
      .record(TagName, TagValue)
      .default({})
      .describe('Further tags. They may not redefine the mandatory or derived ones.'),
  })
  .describe(
    'Mandatory tags. The stack adds environment, workload and managedBy and puts all of them on every resource.',
  );

const LocalBackend = z
  .strictObject({ type: z.literal('local') })
  .describe('Local state next to the project (terraform.<env>.tfstate). Only for dev and synth-only use.');

const AzurermBackend = z
  .strictObject({
    type: z.literal('azurerm'),
    resourceGroupName: z
      .string()
      .regex(/^[-\w.()]*[-\w()]$/, { message: 'expected a resource group name (letters, digits, _ - . ( ))' })
      .max(90),
    storageAccountName: z.string().regex(/^[a-z0-9]{3,24}$/, {
      message: 'expected a storage account name: 3–24 lowercase letters and digits',
    }),
    containerName: z
      .string()
      .regex(/^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/, {
        message: 'expected a container name: 3–63 lowercase letters, digits and single hyphens',
      })
      .default('tfstate'),
    key: z
      .string()
      .regex(/^[\w./-]+\.tfstate$/, { message: 'expected a blob name ending in .tfstate' })
      .optional()
      .describe(
        'State blob of the platform stack. Default: <environment name>.tfstate. Tenant shards add -tenants-<n>: one state per stack.',
      ),
    subscriptionId: Uuid.optional(),
    tenantId: Uuid.optional(),
    useOidc: z
      .boolean()
      .default(true)
      .describe(
        'Authenticate with a federated OIDC token (CI). Storage keys are never used: auth is Entra ID.',
      ),
  })
  .describe('Remote state in an Azure storage account, authenticated with Entra ID (no storage keys).');

const CloudBackend = z
  .strictObject({
    type: z.literal('cloud'),
    organization: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,40}$/, { message: 'expected an organization name: letters, digits, - and _' }),
    hostname: z
      .string()
      .regex(/^[a-z0-9.-]+(:\d+)?$/, { message: 'expected a host name such as app.terraform.io' })
      .optional()
      .describe('Terraform Enterprise host. Default: app.terraform.io (HCP Terraform).'),
    project: z
      .string()
      .min(1)
      .max(40)
      .optional()
      .describe('Project of the workspaces. Default: the default project.'),
    workspacePrefix: z
      .string()
      .regex(/^[A-Za-z0-9_-]{0,60}$/, { message: 'expected letters, digits, - and _' })
      .default('')
      .describe('One workspace per stack, named <prefix><stack id>: genai-prod, genai-prod-tenants-1.'),
    useOidc: z
      .boolean()
      .default(true)
      .describe(
        'The providers authenticate with a federated token (HCP Terraform dynamic provider credentials).',
      ),
  })
  .describe(
    'State and runs in HCP Terraform or Terraform Enterprise (the cloud block). Credentials come from `terraform login` or TF_TOKEN_<host>, never from config.',
  );

export const BackendSection = z
  .discriminatedUnion('type', [LocalBackend, AzurermBackend, CloudBackend])
  .default({ type: 'local' });
export type Backend = z.output<typeof BackendSection>;

/**
 * The state blob of a stack in the azurerm backend: the configured key (default `<environment>.tfstate`) for the
 * platform stack, with `-tenants-<n>` before `.tfstate` for a tenant shard.
 */
export function stateKey(env: { name: string; backend: Backend }, shard?: number): string {
  const key = (env.backend.type === 'azurerm' ? env.backend.key : undefined) ?? `${env.name}.tfstate`;
  return shard === undefined ? key : key.replace(/\.tfstate$/, `-tenants-${shard}.tfstate`);
}

export const AzureSection = z
  .strictObject({
    subscriptionId: Uuid.optional().describe(
      'Target subscription. Default: ARM_SUBSCRIPTION_ID at plan time.',
    ),
    tenantId: Uuid.optional().describe('Entra ID tenant. Default: the tenant of the deploying identity.'),
    purgeSoftDeletedOnDestroy: z
      .boolean()
      .default(false)
      .describe(
        'Purge soft-deleted Key Vaults, model accounts and APIM on destroy, so names can be reused at once.',
      ),
  })
  .prefault({});

export const RegionsSection = z.strictObject({
  primary: Region.describe('Region of the gateway, Key Vault and monitoring.'),
  additional: z
    .array(Region)
    .default([])
    .describe('Further regions for model endpoints (spillover, failover).'),
});

export const FOUNDATION_FIELDS = {
  $schema: z.string().optional().describe('Path or URL of environments/schema.json, for editors.'),
  name: slug('name', 12)
    .min(2)
    .describe('Environment name, also the cdktf stack id (`cdktf deploy <name>`).'),
  stage: z
    .enum(STAGES)
    .describe('Which rules apply: staging and prod must be private and keep remote state.'),
  description: z.string().max(500).optional(),
  workload: compactCode('workload', 2, 10).describe('Workload name in every resource name (`genai`).'),
  naming: NamingSection,
  azure: AzureSection,
  regions: RegionsSection,
  tags: TagsSection,
  backend: BackendSection,
};

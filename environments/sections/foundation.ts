import { z } from 'zod';
import { TAG_LIMITS } from '../../constructs/shared/tags';
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

/**
 * Azure's tag rules (constructs/shared/tags.ts, TAG_LIMITS): names without `<>%&\?/`, at most 128 characters because
 * every environment has a storage account (512 elsewhere), values up to 256 characters. Control characters have no
 * place in either.
 */
const TagValue = z
  .string()
  .min(1, { message: 'a tag value must not be empty' })
  .max(TAG_LIMITS.valueLength, {
    message: `a tag value must be at most ${TAG_LIMITS.valueLength} characters`,
  })
  .regex(/^[^\p{Cc}]*$/u, { message: 'a tag value must not contain control characters' });
const TagName = z
  .string()
  .regex(/^[^<>%&\\?/]+$/, { message: 'a tag name must not contain < > % & \\ ? /' })
  .regex(/^[^\p{Cc}]*$/u, { message: 'a tag name must not contain control characters' })
  .max(TAG_LIMITS.storageNameLength, {
    message: `a tag name must be at most ${TAG_LIMITS.storageNameLength} characters (the limit of storage accounts, which every environment has; ${TAG_LIMITS.nameLength} elsewhere)`,
  });

/** Reserved tag names: the stack sets them from other fields (`tenant` on a tenant's resources). */
export const DERIVED_TAGS = ['environment', 'workload', 'managedBy', 'tenant'] as const;

/** Value of the `managedBy` tag on every resource. */
export const MANAGED_BY = 'cdktf:genai-landing-zone';

/** The mandatory tags of an environment, as the tags aspect applies them to every taggable resource. */
export function environmentTags(env: {
  name: string;
  workload: string;
  tags: z.output<typeof TagsSection>;
}): Record<string, string> {
  const { additional, ...named } = env.tags;
  const defined = Object.fromEntries(
    Object.entries(named).filter(([, value]) => value !== undefined),
  ) as Record<string, string>;
  return { ...additional, ...defined, environment: env.name, workload: env.workload, managedBy: MANAGED_BY };
}

export const TagsSection = z
  .strictObject({
    owner: z
      .string()
      .max(256)
      .refine((value) => Email.safeParse(value).success || slug('owner', 64).safeParse(value).success, {
        message: 'expected an e-mail address or a team slug (lowercase letters, digits, single hyphens)',
      })
      // Neither an e-mail address nor a slug is empty; the JSON Schema says so, so that editors flag it.
      .meta({ minLength: 1 })
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
      .regex(/^[A-Za-z0-9 _-]{1,40}$/, {
        message: 'expected a project name: 1–40 letters, digits, spaces, - and _',
      })
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

/**
 * The built-in roles the blueprint assigns, with their ids and the data actions they grant. The data-path proof
 * reads it to decide whether an identity may make a call; a role assignment can only name a role listed here
 * (`BuiltInRole`, the type of `roleDefinitionName`).
 *
 * Source: Learn, "Azure built-in roles" (the JSON definition of each role: AI + machine learning, Security, Storage,
 * Monitor, Integration), checked 2026-11. Data actions are matched case-insensitively, `*` as a wildcard, as Azure
 * RBAC does.
 */
export interface RoleDefinition {
  /** The role definition's GUID. */
  readonly id: string;
  /** The data-plane operations the role allows. */
  readonly dataActions: readonly string[];
}

export const ROLE_CATALOG = {
  'Cognitive Services OpenAI User': {
    id: '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd',
    dataActions: [
      'Microsoft.CognitiveServices/accounts/OpenAI/*/read',
      'Microsoft.CognitiveServices/accounts/OpenAI/engines/completions/action',
      'Microsoft.CognitiveServices/accounts/OpenAI/engines/search/action',
      'Microsoft.CognitiveServices/accounts/OpenAI/engines/generate/action',
      'Microsoft.CognitiveServices/accounts/OpenAI/deployments/audio/action',
      'Microsoft.CognitiveServices/accounts/OpenAI/deployments/search/action',
      'Microsoft.CognitiveServices/accounts/OpenAI/deployments/completions/action',
      'Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action',
      'Microsoft.CognitiveServices/accounts/OpenAI/deployments/extensions/chat/completions/action',
      'Microsoft.CognitiveServices/accounts/OpenAI/deployments/embeddings/action',
      'Microsoft.CognitiveServices/accounts/OpenAI/images/generations/action',
    ],
  },
  'Cognitive Services User': {
    id: 'a97b65f3-24c7-4388-baec-2e87135dc908',
    dataActions: ['Microsoft.CognitiveServices/*'],
  },
  // Least privilege for PII detection: analyze-text and reads, no authoring (Cognitive Services User would grant
  // every data action of the account).
  'Cognitive Services Language Reader': {
    id: '7628b7b8-a8b2-4cdc-b46f-e9b35248918e',
    dataActions: [
      'Microsoft.CognitiveServices/accounts/LanguageAuthoring/*/read',
      'Microsoft.CognitiveServices/accounts/ConversationalLanguageUnderstanding/*/read',
      'Microsoft.CognitiveServices/accounts/ConversationalLanguageUnderstanding/projects/export/action',
      'Microsoft.CognitiveServices/accounts/Language/*/read',
      'Microsoft.CognitiveServices/accounts/Language/*/projects/export/action',
      'Microsoft.CognitiveServices/accounts/Language/query-text/action',
      'Microsoft.CognitiveServices/accounts/Language/query-dataverse/action',
      'Microsoft.CognitiveServices/accounts/Language/analyze-text/jobs/action',
      'Microsoft.CognitiveServices/accounts/Language/analyze-text/action',
      'Microsoft.CognitiveServices/accounts/Language/analyze-text/jobscancel/action',
      'Microsoft.CognitiveServices/accounts/Language/analyze-conversations/action',
      'Microsoft.CognitiveServices/accounts/Language/analyze-conversations/jobscancel/action',
      'Microsoft.CognitiveServices/accounts/Language/analyze-conversations/jobs/action',
      'Microsoft.CognitiveServices/accounts/Language/query-knowledgebases/action',
      'Microsoft.CognitiveServices/accounts/Language/generate/action',
      'Microsoft.CognitiveServices/accounts/TextAnalytics/*',
    ],
  },
  // The Foundry user role (Learn, "Role-based access control for Microsoft Foundry": reader on the project and the
  // account, and the project's data actions). Assigned on one project only, it gives a tenant that project and nothing
  // of the others (Learn: roles assigned at project scope apply to that project). Built-in definition: actions
  // Microsoft.CognitiveServices/*/read and Microsoft.Authorization/*/read, data actions Microsoft.CognitiveServices/*.
  // Azure shows it as "Foundry User" in newer portals; the id is the contract.
  'Azure AI User': {
    id: '53ca6127-db72-4b80-b1b0-d745d6d5456d',
    dataActions: ['Microsoft.CognitiveServices/*'],
  },
  'Key Vault Secrets User': {
    id: '4633458b-17de-408a-b874-0445c86b69e6',
    dataActions: [
      'Microsoft.KeyVault/vaults/secrets/getSecret/action',
      'Microsoft.KeyVault/vaults/secrets/readMetadata/action',
    ],
  },
  'Key Vault Secrets Officer': {
    id: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7',
    dataActions: ['Microsoft.KeyVault/vaults/secrets/*'],
  },
  'Key Vault Crypto Service Encryption User': {
    id: 'e147488a-f6f5-4113-8e2d-b22465e65bf6',
    dataActions: [
      'Microsoft.KeyVault/vaults/keys/read',
      'Microsoft.KeyVault/vaults/keys/wrap/action',
      'Microsoft.KeyVault/vaults/keys/unwrap/action',
    ],
  },
  'Storage Blob Data Contributor': {
    id: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
    dataActions: [
      'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete',
      'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read',
      'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write',
      'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/move/action',
      'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action',
    ],
  },
  'Storage Blob Data Reader': {
    id: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1',
    dataActions: ['Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'],
  },
  'Monitoring Metrics Publisher': {
    id: '3913510d-42f4-4e42-8a64-420c390055eb',
    dataActions: ['Microsoft.Insights/Metrics/Write', 'Microsoft.Insights/Telemetry/Write'],
  },
  // The usage ledger: the gateway sends, the data collection rule receives (Learn, "Authorize access to Event Hubs
  // resources using Microsoft Entra ID"; "Ingest events from Azure Event Hubs into Azure Monitor Logs").
  'Azure Event Hubs Data Sender': {
    id: '2b629674-e913-4c01-ae53-ef4638d8f975',
    dataActions: ['Microsoft.EventHub/namespaces/messages/send/action'],
  },
  'Azure Event Hubs Data Receiver': {
    id: 'a638d3c7-ab3a-418d-83e6-5f17a39d4fde',
    dataActions: ['Microsoft.EventHub/namespaces/messages/receive/action'],
  },
  'Monitoring Reader': { id: '43d0d8ad-25c7-4714-9337-8ba259a9fe05', dataActions: [] },
  // Reads workspace data with KQL (Learn, "Manage access to Log Analytics workspaces": Log Analytics Reader can view
  // and search all monitoring data); a control-plane role: `workspaces/query/read`, no data actions.
  'Log Analytics Reader': { id: '73c42c96-874c-492b-b04d-ab87d138a893', dataActions: [] },
  'API Management Service Reader Role': { id: '71522526-b88f-4d52-b57f-d31fc3546d0d', dataActions: [] },
} as const satisfies Record<string, RoleDefinition>;

/** Built-in roles the blueprint assigns. Names, not GUIDs, so that an auditor can read the plan. */
export type BuiltInRole = keyof typeof ROLE_CATALOG;

/** The role a role assignment names, by `role_definition_name` or by the GUID at the end of `role_definition_id`. */
export function roleOf(
  nameOrId: unknown,
): { readonly name: string; readonly definition: RoleDefinition } | undefined {
  if (typeof nameOrId !== 'string') return undefined;
  const guid = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i
    .exec(nameOrId)?.[1]
    ?.toLowerCase();
  for (const [name, definition] of Object.entries(ROLE_CATALOG) as [string, RoleDefinition][]) {
    if (name === nameOrId || definition.id === guid) return { name, definition };
  }
  return undefined;
}

const PATTERNS = new Map<string, RegExp>();

/** True when a granted action pattern (`Microsoft.CognitiveServices/*`) covers a required action. */
export function actionCovers(pattern: string, action: string): boolean {
  let regex = PATTERNS.get(pattern);
  if (!regex) {
    regex = new RegExp(
      `^${pattern
        .split('*')
        .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
      'i',
    );
    PATTERNS.set(pattern, regex);
  }
  return regex.test(action);
}

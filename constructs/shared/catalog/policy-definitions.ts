/**
 * Microsoft's built-in Azure Policy definitions that enforce, at run time, what a rule of our pack checks at synth.
 * Keyed by rule id; a rule without an entry has no built-in equivalent we could cite and stays design-time only.
 * Never add an id that is not read from Microsoft's definition file: each entry names the file it was read from, in
 * https://github.com/Azure/azure-policy/tree/master/built-in-policies/policyDefinitions (the source of the index
 * "Azure Policy built-in policy definitions", https://learn.microsoft.com/azure/governance/policy/samples/built-in-policies).
 */

/** The effects a definition's `effect` parameter allows (from its `allowedValues`). */
export type PolicyEffect = 'Audit' | 'Deny' | 'AuditIfNotExists' | 'Disabled';

export interface BuiltInPolicy {
  /** The definition's name (a GUID): its id is `/providers/Microsoft.Authorization/policyDefinitions/<name>`. */
  readonly name: string;
  /** The definition's display name, as the portal shows it. */
  readonly displayName: string;
  /** The values its `effect` parameter allows. */
  readonly effects: readonly PolicyEffect[];
  /** The definition file in Azure/azure-policy it was read from. */
  readonly source: string;
}

const FILE = 'https://github.com/Azure/azure-policy/blob/master/built-in-policies/policyDefinitions/';
const AUDIT_DENY = ['Audit', 'Deny', 'Disabled'] as const;

export const BUILT_IN_POLICIES: Readonly<Record<string, BuiltInPolicy>> = {
  'LZ.AI.DisableLocalAuth': {
    name: '71ef260a-8f18-47b7-abcb-62d0673d94dc',
    displayName: 'Azure AI Services resources should have key access disabled (disable local authentication)',
    effects: AUDIT_DENY,
    source: `${FILE}Azure%20Ai%20Services/DisableLocalAuth_Audit.json`,
  },
  // "Cognitive Services accounts should disable public network access" (0725b4dd-…) is deprecated; this one
  // replaces it: public network access Disabled, or network ACLs that deny by default.
  'LZ.AI.PublicNetworkAccess': {
    name: '037eea7a-bd0a-46c5-9a66-03aea78705d3',
    displayName: 'Azure AI Services resources should restrict network access',
    effects: AUDIT_DENY,
    source: `${FILE}Azure%20Ai%20Services/NetworkAcls_Audit.json`,
  },
  'LZ.KeyVault.PurgeProtection': {
    name: '0b60c0b2-2dc2-4e1c-b5c9-abbed971de53',
    displayName: 'Key vaults should have deletion protection enabled',
    effects: AUDIT_DENY,
    source: `${FILE}Key%20Vault/Recoverable_Audit.json`,
  },
  'LZ.KeyVault.Rbac': {
    name: '12d4fa5e-1f9f-4c21-97a9-b99b3c6611b5',
    displayName: 'Azure Key Vault should use RBAC permission model',
    effects: AUDIT_DENY,
    source: `${FILE}Key%20Vault/Should_Use_RBAC.json`,
  },
  'LZ.KeyVault.PublicNetworkAccess': {
    name: '405c5871-3e91-4644-8a63-58e19d68ff5b',
    displayName: 'Azure Key Vault should disable public network access',
    effects: AUDIT_DENY,
    source: `${FILE}Key%20Vault/AzureKeyVaultPublicNetworkAccess_Audit.json`,
  },
  // An existence check on diagnostic settings: the definition allows AuditIfNotExists only, never Deny.
  'LZ.KeyVault.AuditLogs': {
    name: 'cf820ca0-f99e-4f3e-84fb-66e913812d21',
    displayName: 'Resource logs in Key Vault should be enabled',
    effects: ['AuditIfNotExists', 'Disabled'],
    source: `${FILE}Key%20Vault/AuditDiagnosticLog_Audit.json`,
  },
  'LZ.Storage.SharedKey': {
    name: '8c6a50c6-9ffd-4ae7-986f-5fa6111f9a54',
    displayName: 'Storage accounts should prevent shared key access',
    effects: AUDIT_DENY,
    source: `${FILE}Storage/StorageAccountAllowSharedKeyAccess_Audit.json`,
  },
  'LZ.Storage.PublicNetworkAccess': {
    name: 'b2982f36-99f2-4db5-8eff-283140c09693',
    displayName: 'Storage accounts should disable public network access',
    effects: AUDIT_DENY,
    source: `${FILE}Storage/StoragePublicNetworkAccess_AuditDeny.json`,
  },
  'LZ.APIM.MinApiVersion': {
    name: '549814b6-3212-4203-bdc8-1548d342fb67',
    displayName: 'API Management minimum API version should be set to 2019-12-01 or higher',
    effects: AUDIT_DENY,
    source: `${FILE}API%20Management/MinimumApiVersion_AuditDeny.json`,
  },
  'LZ.APIM.HttpsApis': {
    name: 'ee7495e7-3ba7-40b6-bfee-c29e22cc75d4',
    displayName: 'API Management APIs should use only encrypted protocols',
    effects: AUDIT_DENY,
    source: `${FILE}API%20Management/HTTPEnabled_AuditDeny.json`,
  },
  'LZ.APIM.SubscriptionScope': {
    name: '3aa03346-d8c5-4994-a5bc-7652c2a2aef1',
    displayName: 'API Management subscriptions should not be scoped to all APIs',
    effects: AUDIT_DENY,
    source: `${FILE}API%20Management/AllApiSubscription_AuditDeny.json`,
  },
  // An existence check on an approved private endpoint connection: AuditIfNotExists only, never Deny.
  'LZ.Redis.PrivateEndpoint': {
    name: '960e650e-9ce3-4316-9590-8ee2c016ca2f',
    displayName: 'Azure Cache for Redis Enterprise should use private link',
    effects: ['AuditIfNotExists', 'Disabled'],
    source: `${FILE}Cache/RedisCacheEnterprise_PrivateEndpoint_AINE.json`,
  },
  'LZ.APIM.NamedValuesFromKeyVault': {
    name: 'f1cc7827-022c-473e-836e-5a51cae0b249',
    displayName: 'API Management secret named values should be stored in Azure Key Vault',
    effects: AUDIT_DENY,
    source: `${FILE}API%20Management/NamedValueSecretsInKV_AuditDeny.json`,
  },
};

/** The full ARM id of a built-in definition. */
export function policyDefinitionId(policy: BuiltInPolicy): string {
  return `/providers/Microsoft.Authorization/policyDefinitions/${policy.name}`;
}

/**
 * The effect an assignment uses: Deny where the stage enforces and the definition allows it, else the definition's
 * reporting effect (Audit, or AuditIfNotExists for an existence check).
 */
export function assignmentEffect(policy: BuiltInPolicy, enforce: boolean): PolicyEffect {
  if (enforce && policy.effects.includes('Deny')) return 'Deny';
  return policy.effects.includes('Audit') ? 'Audit' : 'AuditIfNotExists';
}

import { type AzureRegion, regionCode } from './catalog';

/**
 * Azure's naming rules for the resource kinds the blueprint names, from
 * https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules
 * and the abbreviations of the Cloud Adoption Framework
 * (https://learn.microsoft.com/azure/cloud-adoption-framework/ready/azure-best-practices/resource-abbreviations).
 *
 * `style: 'compact'` joins the parts without separators: storage accounts allow no hyphen at all, and Key Vault's 24
 * characters leave no room for them.
 */
interface NameRule {
  readonly abbreviation: string;
  readonly minLength: number;
  readonly maxLength: number;
  /** The whole name must match. */
  readonly pattern: RegExp;
  /** Human wording of `pattern`, used in error messages. */
  readonly allowed: string;
  readonly style: 'hyphen' | 'compact';
  /** Part of a public DNS name (or otherwise unique across Azure): the naming prefix is what keeps it ours. */
  readonly globallyUnique: boolean;
  /** Extra rule beyond the pattern, e.g. Key Vault's "no consecutive hyphens". */
  readonly extra?: { readonly test: (name: string) => boolean; readonly message: string };
}

const ALNUM_HYPHEN = /^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/;
const NETWORK_NAME = /^[a-zA-Z0-9]([a-zA-Z0-9_.-]*[a-zA-Z0-9_])?$/;
const NETWORK_ALLOWED =
  'letters, digits, underscores, periods and hyphens; start with a letter or digit, end with a letter, digit or underscore';

/** Microsoft.Network resources share one character rule; only the abbreviation and the length range differ. */
function networkName(abbreviation: string, minLength: number, maxLength: number): NameRule {
  return {
    abbreviation,
    minLength,
    maxLength,
    pattern: NETWORK_NAME,
    allowed: NETWORK_ALLOWED,
    style: 'hyphen',
    globallyUnique: false,
  };
}

export const NAME_RULES = {
  resourceGroup: {
    abbreviation: 'rg',
    minLength: 1,
    maxLength: 90,
    pattern: /^[-\w.()]*[-\w()]$/,
    allowed: 'letters, digits, underscores, parentheses, hyphens and periods; not ending in a period',
    style: 'hyphen',
    globallyUnique: false,
  },
  openAiAccount: {
    abbreviation: 'oai',
    minLength: 2,
    maxLength: 64,
    pattern: ALNUM_HYPHEN,
    allowed: 'letters, digits and hyphens; start and end with a letter or digit',
    style: 'hyphen',
    globallyUnique: true,
  },
  aiServicesAccount: {
    abbreviation: 'ais',
    minLength: 2,
    maxLength: 64,
    pattern: ALNUM_HYPHEN,
    allowed: 'letters, digits and hyphens; start and end with a letter or digit',
    style: 'hyphen',
    globallyUnique: true,
  },
  /** A Foundry resource: an AIServices account with project management (CAF abbreviation `aif`). */
  foundryAccount: {
    abbreviation: 'aif',
    minLength: 2,
    maxLength: 64,
    pattern: ALNUM_HYPHEN,
    allowed: 'letters, digits and hyphens; start and end with a letter or digit',
    style: 'hyphen',
    globallyUnique: true,
  },
  /** A Foundry project, a child of the Foundry account (CAF abbreviation `proj`). */
  foundryProject: {
    abbreviation: 'proj',
    minLength: 2,
    maxLength: 64,
    pattern: ALNUM_HYPHEN,
    allowed: 'letters, digits and hyphens; start and end with a letter or digit',
    style: 'hyphen',
    globallyUnique: false,
  },
  languageAccount: {
    abbreviation: 'lang',
    minLength: 2,
    maxLength: 64,
    pattern: ALNUM_HYPHEN,
    allowed: 'letters, digits and hyphens; start and end with a letter or digit',
    style: 'hyphen',
    globallyUnique: true,
  },
  contentSafetyAccount: {
    abbreviation: 'cs',
    minLength: 2,
    maxLength: 64,
    pattern: ALNUM_HYPHEN,
    allowed: 'letters, digits and hyphens; start and end with a letter or digit',
    style: 'hyphen',
    globallyUnique: true,
  },
  /** Azure Managed Redis: its name is the first label of `<name>.<region>.redis.azure.net`. */
  managedRedis: {
    abbreviation: 'amr',
    minLength: 1,
    maxLength: 60,
    pattern: /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/,
    allowed: 'lowercase letters, digits and hyphens; start and end with a letter or digit',
    style: 'hyphen',
    globallyUnique: true,
    extra: { test: (name: string) => !name.includes('--'), message: 'no consecutive hyphens' },
  },
  /** The custom subdomain of a Cognitive Services account: one DNS label under `cognitiveservices.azure.com`. */
  customSubdomain: {
    abbreviation: '',
    minLength: 2,
    maxLength: 63,
    pattern: /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/,
    allowed: 'lowercase letters, digits and hyphens; start and end with a letter or digit (a DNS label)',
    style: 'hyphen',
    globallyUnique: true,
  },
  apiManagement: {
    abbreviation: 'apim',
    minLength: 1,
    maxLength: 50,
    pattern: /^[a-zA-Z]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/,
    allowed: 'letters, digits and hyphens; start with a letter, end with a letter or digit',
    style: 'hyphen',
    globallyUnique: true,
  },
  keyVault: {
    abbreviation: 'kv',
    minLength: 3,
    maxLength: 24,
    pattern: /^[a-zA-Z][a-zA-Z0-9-]*[a-zA-Z0-9]$/,
    allowed: 'letters, digits and hyphens; start with a letter, end with a letter or digit',
    style: 'compact',
    globallyUnique: true,
    extra: { test: (name) => !name.includes('--'), message: 'must not contain consecutive hyphens' },
  },
  storageAccount: {
    abbreviation: 'st',
    minLength: 3,
    maxLength: 24,
    pattern: /^[a-z0-9]+$/,
    allowed: 'lowercase letters and digits only',
    style: 'compact',
    globallyUnique: true,
  },
  logAnalyticsWorkspace: {
    abbreviation: 'log',
    minLength: 4,
    maxLength: 63,
    pattern: ALNUM_HYPHEN,
    allowed: 'letters, digits and hyphens; start and end with a letter or digit',
    style: 'hyphen',
    globallyUnique: false,
  },
  applicationInsights: {
    abbreviation: 'appi',
    minLength: 1,
    maxLength: 260,
    pattern: /^[^%&\\?/]*[^%&\\?/ .]$/,
    allowed: 'any characters except % & \\ ? /; not ending in a space or period',
    style: 'hyphen',
    globallyUnique: false,
  },
  /**
   * An Azure Monitor Private Link Scope (Microsoft.Insights/privateLinkScopes). The Cloud Adoption Framework lists no
   * abbreviation; `ampls` is Learn's own name for it.
   */
  monitorPrivateLinkScope: {
    abbreviation: 'ampls',
    minLength: 1,
    maxLength: 255,
    pattern: NETWORK_NAME,
    allowed: NETWORK_ALLOWED,
    style: 'hyphen',
    globallyUnique: false,
  },
  virtualNetwork: networkName('vnet', 2, 64),
  subnet: networkName('snet', 1, 80),
  networkSecurityGroup: networkName('nsg', 1, 80),
  privateEndpoint: networkName('pep', 2, 64),
  /**
   * A private DNS zone's link to a VNet (Microsoft.Network/privateDnsZones/virtualNetworkLinks). The Cloud Adoption
   * Framework has no abbreviation for it; `link` reads plainly. One name per VNet, reused in every zone.
   */
  privateDnsZoneLink: networkName('link', 1, 80),
  publicIp: networkName('pip', 1, 80),
  /** An Application Gateway (the regional WAF in front of the gateway). */
  applicationGateway: networkName('agw', 1, 80),
  /**
   * A WAF policy. Compact letters and digits: the Front Door WAF policy takes nothing else, and the Application
   * Gateway one accepts it too.
   */
  wafPolicy: {
    abbreviation: 'waf',
    minLength: 1,
    maxLength: 128,
    pattern: /^[a-zA-Z][a-zA-Z0-9]*$/,
    allowed: 'letters and digits; start with a letter',
    style: 'compact',
    globallyUnique: false,
  },
  userAssignedIdentity: {
    abbreviation: 'id',
    minLength: 3,
    maxLength: 128,
    pattern: /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/,
    allowed: 'letters, digits, hyphens and underscores; start with a letter or digit',
    style: 'hyphen',
    globallyUnique: false,
  },
  /** A blob container (a tenant's, in the prompt library). */
  storageContainer: {
    abbreviation: '',
    minLength: 3,
    maxLength: 63,
    pattern: /^(?!.*--)[a-z0-9][a-z0-9-]*[a-z0-9]$/,
    allowed: 'lowercase letters, digits and single hyphens; start and end with a letter or digit',
    style: 'hyphen',
    globallyUnique: false,
  },
  keyVaultSecret: {
    abbreviation: '',
    minLength: 1,
    maxLength: 127,
    pattern: /^[a-zA-Z0-9-]+$/,
    allowed: 'letters, digits and hyphens',
    style: 'hyphen',
    globallyUnique: false,
  },
  /** An API Management entity id: product, backend, pool, named value. */
  apimEntity: {
    abbreviation: '',
    minLength: 1,
    maxLength: 80,
    pattern: /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/,
    allowed: 'letters, digits, periods, underscores and hyphens; start with a letter or digit',
    style: 'hyphen',
    globallyUnique: false,
  },
  actionGroup: {
    abbreviation: 'ag',
    minLength: 1,
    maxLength: 260,
    pattern: /^[^*#&+:<>?@%{}\\/]+$/,
    allowed: 'any characters except * # & + : < > ? @ % { } \\ /',
    style: 'hyphen',
    globallyUnique: false,
  },
  /**
   * The short name of an action group, shown in SMS and e-mail notifications: at most 12 characters
   * (https://learn.microsoft.com/azure/azure-monitor/alerts/action-groups). Built from config, not composed.
   */
  actionGroupShortName: {
    abbreviation: '',
    minLength: 1,
    maxLength: 12,
    pattern: /^[^*#&+:<>?@%{}\\/]+$/,
    allowed: 'any characters except * # & + : < > ? @ % { } \\ /',
    style: 'hyphen',
    globallyUnique: false,
  },
  alert: {
    abbreviation: 'alert',
    minLength: 1,
    maxLength: 260,
    pattern: /^[^*#&+:<>?@%{}\\/]+$/,
    allowed: 'any characters except * # & + : < > ? @ % { } \\ /',
    style: 'hyphen',
    globallyUnique: false,
  },
  /** The usage ledger's Event Hubs namespace: a DNS label under servicebus.windows.net. */
  eventHubNamespace: {
    abbreviation: 'evhns',
    minLength: 6,
    maxLength: 50,
    pattern: /^[a-zA-Z][a-zA-Z0-9-]*[a-zA-Z0-9]$/,
    allowed: 'letters, digits and hyphens; start with a letter, end with a letter or digit',
    style: 'hyphen',
    globallyUnique: true,
  },
  dataCollectionEndpoint: {
    abbreviation: 'dce',
    minLength: 3,
    maxLength: 44,
    pattern: ALNUM_HYPHEN,
    allowed: 'letters, digits and hyphens; start and end with a letter or digit',
    style: 'hyphen',
    globallyUnique: false,
  },
  dataCollectionRule: {
    abbreviation: 'dcr',
    minLength: 1,
    maxLength: 64,
    pattern: /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/,
    allowed: 'letters, digits, hyphens and underscores; start with a letter or digit',
    style: 'hyphen',
    globallyUnique: false,
  },
  /** A Logic App (Consumption) workflow. */
  logicApp: {
    abbreviation: 'logic',
    minLength: 1,
    maxLength: 43,
    pattern: /^[a-zA-Z0-9][a-zA-Z0-9_.()-]*$/,
    allowed: 'letters, digits, hyphens, underscores, periods and parentheses',
    style: 'hyphen',
    globallyUnique: false,
  },
  budget: {
    abbreviation: 'budget',
    minLength: 1,
    maxLength: 63,
    pattern: /^[a-zA-Z0-9_-]+$/,
    allowed: 'letters, digits, hyphens and underscores',
    style: 'hyphen',
    globallyUnique: false,
  },
} as const satisfies Record<string, NameRule>;

/** A resource kind that the naming function knows the rules of. */
export type ResourceKind = keyof typeof NAME_RULES;

/** The inputs every resource name is built from. */
export interface NameInputs {
  /** The organisation prefix that keeps globally unique names ours (`cx`). */
  readonly prefix: string;
  /** The workload name (`genai`). */
  readonly workload: string;
  /** The short code of the environment (`dev`, `stg`, `prd`). */
  readonly environment: string;
  /** The region the resource lives in. */
  readonly region: AzureRegion;
}

/** One resource's name request. */
export interface NameRequest extends NameInputs {
  readonly kind: ResourceKind;
  /** What tells this resource apart from its siblings: a tenant slug, a purpose (`pl`, `gw`). @default - none */
  readonly qualifier?: string;
  /** A running number, rendered with two digits (`01`). @default - none */
  readonly instance?: number;
}

/** Builds the name without checking it. */
export function composeName(request: NameRequest): string {
  const rule: NameRule = NAME_RULES[request.kind];
  const parts = [
    rule.abbreviation,
    request.prefix,
    request.workload,
    request.environment,
    regionCode(request.region),
    request.qualifier,
    request.instance === undefined ? undefined : String(request.instance).padStart(2, '0'),
  ].filter((part): part is string => part !== undefined && part !== '');
  const separator = rule.style === 'compact' ? '' : '-';
  const joined = parts.join(separator);
  return rule.style === 'compact' ? joined.replace(/-/g, '') : joined;
}

/** Lists every rule `name` breaks for `kind`; empty when the name is valid. */
export function checkName(kind: ResourceKind, name: string): string[] {
  const rule: NameRule = NAME_RULES[kind];
  const problems: string[] = [];
  if (name.length < rule.minLength || name.length > rule.maxLength) {
    problems.push(`is ${name.length} characters long; allowed are ${rule.minLength}–${rule.maxLength}`);
  }
  if (!rule.pattern.test(name)) problems.push(`allows only ${rule.allowed}`);
  if (rule.extra && !rule.extra.test(name)) problems.push(rule.extra.message);
  return problems;
}

/**
 * Builds the Azure name of one resource from workload, environment, region, qualifier and instance, and checks it
 * against the kind's documented rules.
 *
 * @throws Error naming the kind, the name and every rule it breaks. Config parsing calls {@link checkName} first, so
 * a stack never sees an invalid name.
 */
export function resourceName(request: NameRequest): string {
  const name = composeName(request);
  const problems = checkName(request.kind, name);
  if (problems.length > 0) {
    throw new Error(`${request.kind} name "${name}" ${problems.join('; ')}`);
  }
  return name;
}

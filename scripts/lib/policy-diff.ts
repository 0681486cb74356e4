/**
 * Compares two API Management policy documents "other than by per-environment values": the sizes and names that
 * config sets per environment are replaced by a placeholder, and what remains (the behaviour) must be the same.
 */
import { parseXml, type ParsedXmlElement } from '../../constructs/shared/plan';

/** A value that differs between environments by design, where it sits in a policy, and the config it comes from. */
export interface PerEnvironmentValue {
  /** Element name, or `*` for any element. */
  readonly element: string;
  readonly attribute: string;
  /** Only where another attribute has this value (`set-variable name="tenant-backend"`). */
  readonly where?: { readonly attribute: string; readonly value: string };
  readonly config: string;
}

/**
 * The declared per-environment values. Everything else in a policy (which policies run, in which order, with which
 * switches, headers, periods, dimensions, counter keys, expressions) must be the same in both environments.
 */
export const PER_ENVIRONMENT_POLICY_VALUES: readonly PerEnvironmentValue[] = [
  {
    element: 'llm-token-limit',
    attribute: 'tokens-per-minute',
    config: 'gateway.tokenLimit.tokensPerMinute; tenants.<slug>.allocations.<env>.tokensPerMinute',
  },
  {
    element: 'llm-token-limit',
    attribute: 'token-quota',
    config: 'gateway.tokenLimit.quota.tokens; tenants.<slug>.allocations.<env>.monthlyTokenQuota',
  },
  {
    element: 'azure-openai-token-limit',
    attribute: 'tokens-per-minute',
    config: 'gateway.tokenLimit.tokensPerMinute',
  },
  {
    element: 'azure-openai-token-limit',
    attribute: 'token-quota',
    config: 'gateway.tokenLimit.quota.tokens',
  },
  {
    element: 'category',
    attribute: 'threshold',
    config: "gateway.contentSafety.thresholds; the tenant's content filter",
  },
  {
    element: 'retry',
    attribute: 'count',
    config: 'gateway.retryCount (default: the largest pool minus one)',
  },
  { element: '*', attribute: 'backend-id', config: 'the pools and backends built from endpoints.accounts' },
  {
    element: '*',
    attribute: 'embeddings-backend-id',
    config: 'gateway.semanticCache.embeddingsDeployment (the semantic-cache-embeddings backend)',
  },
  {
    element: 'set-variable',
    attribute: 'value',
    where: { attribute: 'name', value: 'tenant-backend' },
    config: "a dedicated tenant's pools (tenants.<slug>.allocations.<env>.dedicated)",
  },
  {
    element: 'llm-semantic-cache-lookup',
    attribute: 'score-threshold',
    config: 'gateway.semanticCache.scoreThreshold (or tenants.<slug>.semanticCache.scoreThreshold)',
  },
  {
    element: 'llm-semantic-cache-store',
    attribute: 'duration',
    config: 'gateway.semanticCache.durationSeconds (or tenants.<slug>.semanticCache.durationSeconds)',
  },
];

/** The placeholder a per-environment value becomes. */
export const PER_ENVIRONMENT = '‹per environment›';

interface Element {
  readonly name: string;
  readonly attributes: ReadonlyArray<readonly [string, string]>;
  readonly children: readonly Element[];
  readonly text: string;
}

/** Parses with the rule pack's strict reader, keeping attributes in document order. */
function parse(xml: string, what: string): Element {
  let root: ParsedXmlElement;
  try {
    root = parseXml(xml);
  } catch (error) {
    throw new Error(`${what}: not well-formed XML (${(error as Error).message})`, { cause: error });
  }
  const toElement = (node: ParsedXmlElement): Element => ({
    name: node.name,
    attributes: Object.entries(node.attributes),
    children: node.children.map(toElement),
    text: node.text.trim(),
  });
  return collapseRegionalBranches(toElement(root));
}

/** A `when` that selects the regional gateway it runs in (a multi-region gateway). */
const REGION_SELECTOR = /^@\(context\.Deployment\.Region\.Equals\(/;

/**
 * A multi-region gateway routes each region to its own pools (`gateway.regions`, a per-environment value) and every
 * other region to the shared pools: the branches differ only in pool ids, so the comparison keeps the fallback.
 */
function collapseRegionalBranches(element: Element): Element {
  const children = element.children.flatMap((child) => {
    const whens = child.children.filter((c) => c.name === 'when');
    const otherwise = child.children.find((c) => c.name === 'otherwise');
    const regional =
      child.name === 'choose' &&
      otherwise !== undefined &&
      whens.length > 0 &&
      whens.every((w) => REGION_SELECTOR.test(w.attributes.find(([n]) => n === 'condition')?.[1] ?? ''));
    return regional ? otherwise.children.map(collapseRegionalBranches) : [collapseRegionalBranches(child)];
  });
  return { ...element, children };
}

/** `when` conditions that select one deployment: a route, or a dedicated tenant's model. */
const DEPLOYMENT_SELECTOR = /context\.Variables\["deployment-id"\] == "([^"]+)"\)$/;

/** The deployment a `when` selects, if it selects one. */
function selectedDeployment(element: Element): string | undefined {
  if (element.name !== 'when') return undefined;
  const condition = element.attributes.find(([name]) => name === 'condition')?.[1];
  return condition ? DEPLOYMENT_SELECTOR.exec(condition)?.[1] : undefined;
}

function selectedDeployments(root: Element): Set<string> {
  const found = new Set<string>();
  const walk = (e: Element) => {
    const deployment = selectedDeployment(e);
    if (deployment) found.add(deployment);
    e.children.forEach(walk);
  };
  walk(root);
  return found;
}

function isPerEnvironment(element: Element, attribute: string): boolean {
  return PER_ENVIRONMENT_POLICY_VALUES.some(
    (rule) =>
      (rule.element === '*' || rule.element === element.name) &&
      rule.attribute === attribute &&
      (!rule.where ||
        element.attributes.some(([n, v]) => n === rule.where!.attribute && v === rule.where!.value)),
  );
}

/**
 * The policy as lines, one per element (indented by depth) and one per text, with the per-environment values
 * replaced and the deployment selectors in `skip` left out.
 */
function canonicalLines(root: Element, skip: ReadonlySet<string>): string[] {
  const lines: string[] = [];
  const walk = (e: Element, depth: number) => {
    const deployment = selectedDeployment(e);
    if (deployment && skip.has(deployment)) return;
    const pad = '  '.repeat(depth);
    const attributes = e.attributes
      .map(([name, value]) => ` ${name}="${isPerEnvironment(e, name) ? PER_ENVIRONMENT : value}"`)
      .join('');
    lines.push(`${pad}<${e.name}${attributes}>`);
    if (e.text) lines.push(`${pad}  ${e.text}`);
    e.children.forEach((c) => walk(c, depth + 1));
  };
  walk(root, 0);
  return lines;
}

/** A line-based diff (longest common subsequence): `  ` same, `- ` only in `a`, `+ ` only in `b`. */
function diffLines(a: readonly string[], b: readonly string[]): string[] {
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push(`  ${a[i]}`);
      i++;
      j++;
    } else if (i < n && (j === m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      out.push(`- ${a[i]}`);
      i++;
    } else {
      out.push(`+ ${b[j]}`);
      j++;
    }
  }
  return out;
}

/** Only the changed lines and `context` lines around each, `…` between hunks. */
function hunks(diff: readonly string[], context = 2): string[] {
  const keep = new Set<number>();
  diff.forEach((line, i) => {
    if (!line.startsWith('  ')) for (let k = i - context; k <= i + context; k++) keep.add(k);
  });
  const out: string[] = [];
  let last = -2;
  diff.forEach((line, i) => {
    if (!keep.has(i)) return;
    if (i > last + 1 && out.length > 0) out.push('  …');
    out.push(line);
    last = i;
  });
  return out;
}

/**
 * The differences between a policy in the source environment (`from`) and the target (`to`) once per-environment
 * values are normalised: an empty list when they behave the same. A deployment that only `from` selects (a model
 * staging tries out) is not a difference; one that only `to` selects is.
 */
export function policyDifferences(fromXml: string, toXml: string, what: string): string[] {
  const from = parse(fromXml, `${what} (from)`);
  const to = parse(toXml, `${what} (to)`);
  const toSelects = selectedDeployments(to);
  const onlyFrom = new Set([...selectedDeployments(from)].filter((d) => !toSelects.has(d)));
  const a = canonicalLines(from, onlyFrom);
  const b = canonicalLines(to, new Set());
  const diff = diffLines(a, b);
  return diff.some((line) => !line.startsWith('  ')) ? hunks(diff) : [];
}

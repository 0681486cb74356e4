/**
 * Content safety runs once per request, with the tenant's thresholds. Proven by walking every policy chain a request
 * can take through the synthesized plan: each product policy (its `<base />` runs nothing above it: no global policy)
 * followed by the API policy, and the API policy alone for a request that comes through no product. Runs over every
 * environment the project loads.
 */
import { describe, expect, it } from 'vitest';
import { NO_PRODUCT_CONDITION } from '../../constructs/ai-gateway/policies/llm';
import { body as armBody } from '../../constructs/shared/plan';
import { type AzureRegion, regionDisplayName } from '../../constructs/shared/catalog';
import { loadEnvironments } from '../../environments';
import { tenantsIn } from '../../environments/sections/tenants';
import { synthEnvironment } from '../helpers/synth';
import { child, type Element, findAll, parseXml } from '../helpers/xml';

/** The numbers of content-safety checks a request can run through `elements`, over every branch it can take. */
function checks(elements: readonly Element[], hasProduct: boolean): number[] {
  let counts = [0];
  for (const element of elements) {
    let here: number[];
    if (element.name === 'llm-content-safety') here = [1];
    else if (element.name === 'choose') {
      const whens = element.children.filter((c) => c.name === 'when');
      const otherwise = element.children.find((c) => c.name === 'otherwise');
      const branches: Element[][] = [];
      let decided = false;
      for (const when of whens) {
        const condition = when.attributes['condition'];
        if (condition === `@(${NO_PRODUCT_CONDITION})`) {
          // The one condition whose outcome the chain decides.
          if (!hasProduct) {
            branches.push([...when.children]);
            decided = true;
            break;
          }
          continue;
        }
        branches.push([...when.children]);
      }
      if (!decided) branches.push([...(otherwise?.children ?? [])]);
      here = [...new Set(branches.flatMap((b) => checks(b, hasProduct)))];
    } else here = checks(element.children, hasProduct);
    counts = [...new Set(counts.flatMap((c) => here.map((h) => c + h)))];
  }
  return counts.sort();
}

const inbound = (xml: unknown) => child(parseXml(String(xml)), 'inbound')!.children;

describe.each(loadEnvironments().map((env) => [env.name, env] as const))('%s', (_name, env) => {
  const synth = synthEnvironment(env);
  const api = synth.only('azurerm_api_management_api_policy');
  const products = synth.resources('azurerm_api_management_product_policy');
  const backend = synth
    .resources('azapi_resource')
    .some((r) => r.config['name'] === 'content-safety' && String(r.config['type']).includes('/backends@'));
  const expected = backend ? [1] : [0];

  it('checks content safety exactly once on every chain: each product then the API, and the API alone', () => {
    const apiInbound = inbound(api.config['xml_content']);
    expect(checks(apiInbound, false)).toEqual(expected);
    expect(products.length).toBe(tenantsIn(env).filter((t) => t.hasAccess).length);
    for (const product of products) {
      // The product policy runs at the API's <base />, before the rest of the API's inbound section.
      expect(
        checks([...inbound(product.config['xml_content']), ...apiInbound], true),
        product.address,
      ).toEqual(expected);
    }
  });

  it.runIf(backend)(
    "applies the stricter of the gateway's and the tenant's thresholds in each tenant's one check",
    () => {
      for (const tenant of tenantsIn(env).filter((t) => t.hasAccess)) {
        const owner = synth
          .resources('azurerm_api_management_product')
          .find((p) => p.config['product_id'] === tenant.slug)!;
        const product = products.find((p) =>
          [tenant.slug, `\${${owner.address}.product_id}`].includes(String(p.config['product_id'])),
        )!;
        const safety = findAll(parseXml(String(product.config['xml_content'])), 'llm-content-safety');
        expect(safety).toHaveLength(1);
        const thresholds = Object.fromEntries(
          findAll(safety[0]!, 'category').map((c) => [
            c.attributes['name'],
            Number(c.attributes['threshold']),
          ]),
        );
        // A filter that blocks from Low blocks from level 2 of the eight-level scale, from Medium at 4, from High at 6.
        const level = { Low: 2, Medium: 4, High: 6 } as const;
        const categories = env.endpoints.contentFilters[tenant.tenant.contentFilter]!.categories;
        const own = {
          hate: level[categories.hate.prompt],
          sexual: level[categories.sexual.prompt],
          selfHarm: level[categories.selfHarm.prompt],
          violence: level[categories.violence.prompt],
        };
        const gateway = env.gateway.contentSafety.thresholds;
        expect(thresholds).toEqual({
          Hate: Math.min(own.hate, gateway.hate),
          Sexual: Math.min(own.sexual, gateway.sexual),
          SelfHarm: Math.min(own.selfHarm, gateway.selfHarm),
          Violence: Math.min(own.violence, gateway.violence),
        });
        expect(safety[0]!.attributes['shield-prompt']).toBe(String(env.gateway.contentSafety.shieldPrompt));
      }
    },
  );
});

/**
 * Every gateway region has a Content Safety account of its own: in its region, behind a private endpoint where the
 * network is private, with "Cognitive Services User" for the gateway's identity, a backend, and a policy that picks
 * that backend in that region. Runs over every environment the project loads.
 */
describe.each(loadEnvironments().map((env) => [env.name, env] as const))(
  '%s content safety per gateway region',
  (_name, env) => {
    const synth = synthEnvironment(env);
    const plan = synth.plan;
    const service = synth.only('azurerm_api_management');
    const regions = [
      String(service.config['location']),
      ...((service.config['additional_location'] as { location: string }[] | undefined) ?? []).map(
        (l) => l.location,
      ),
    ];
    const accounts = synth
      .resources('azurerm_cognitive_account')
      .filter((a) => a.config['kind'] === 'ContentSafety');
    const backends = synth
      .resources('azapi_resource')
      .filter(
        (r) =>
          String(r.config['name']).startsWith('content-safety') &&
          String(r.config['type']).includes('/backends@'),
      );

    it.runIf(env.gateway.contentSafety.enabled)(
      'gives each gateway region its own account, role, backend and policy branch',
      () => {
        const policy = String(synth.only('azurerm_api_management_api_policy').config['xml_content']);
        const primaryBackend = backends.find((b) => b.config['name'] === 'content-safety');
        expect(primaryBackend).toBeDefined();
        for (const region of regions.slice(1)) {
          const account = accounts.find((a) => a.config['location'] === region);
          expect(account, region).toBeDefined();
          const backend = backends.find((b) =>
            String((armBody(b)['properties'] as { url: string }).url).startsWith(
              `https://${String(account!.config['name'])}.`,
            ),
          );
          expect(backend, region).toBeDefined();
          const grant = synth
            .resources('azurerm_role_assignment')
            .find(
              (r) =>
                r.config['scope'] === `\${${account!.address}.id}` &&
                r.config['principal_id'] === `\${${service.address}.identity[0].principal_id}`,
            );
          expect(grant?.config['role_definition_name'], region).toBe('Cognitive Services User');
          if (env.network.mode !== 'none') {
            expect(
              synth
                .resources('azurerm_private_endpoint')
                .some((pe) =>
                  JSON.stringify(pe.config['private_service_connection']).includes(`${account!.address}.id`),
                ),
              region,
            ).toBe(true);
          }
          // The check in this region calls this region's backend.
          const display = regionDisplayName(region as AzureRegion);
          expect(policy).toContain(
            `context.Deployment.Region.Equals(&quot;${display}&quot;, StringComparison.OrdinalIgnoreCase) ? &quot;${String(backend!.config['name'])}&quot;`,
          );
        }
        expect(plan.name).toBe(env.name);
      },
    );
  },
);

/**
 * Reading one resource's configuration: dotted paths, nested blocks, the request body of azapi resources (with its
 * write-only part), one setting whichever provider declares the resource, and API Management policy documents.
 */
import type { PlanResource } from './plan';
import { parseXml, type ParsedXmlElement } from './xml';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The value at a dotted path (`network_acls.default_action`); a single block may be an object or a 1-element list. */
export function field(config: unknown, path: string): unknown {
  let current: unknown = config;
  for (const key of path.split('.')) {
    if (Array.isArray(current)) current = current.length === 1 ? current[0] : undefined;
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Json)[key];
  }
  return current;
}

/** A nested block list, whether cdktf wrote one block as an object or several as an array. */
export function blocks(value: unknown): Json[] {
  if (Array.isArray(value)) return value.filter((v): v is Json => v !== null && typeof v === 'object');
  return value !== null && typeof value === 'object' ? [value as Json] : [];
}

/** JSON merge patch (RFC 7386): objects merge key by key, `null` removes a key, anything else replaces. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const result: Json = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

const BODIES = new WeakMap<PlanResource, Json>();

/**
 * The request body of an azapi resource as ARM receives it: `body` with `sensitive_body` merge-patched into it
 * (azapi 2.x keeps write-only values such as secrets in `sensitive_body`). Empty for other resources.
 */
export function body(resource: PlanResource): Json {
  let found = BODIES.get(resource);
  if (!found) {
    const plain = isObject(resource.config['body']) ? resource.config['body'] : {};
    const sensitive = resource.config['sensitive_body'];
    found = isObject(sensitive) ? (mergePatch(plain, sensitive) as Json) : plain;
    BODIES.set(resource, found);
  }
  return found;
}

/** One setting, whichever provider declares the resource: an azurerm attribute, or a path in the azapi body. */
export function setting(resource: PlanResource, azurermAttribute: string, azapiPath: string): unknown {
  return resource.type.startsWith('azapi_')
    ? field(body(resource), azapiPath)
    : resource.config[azurermAttribute];
}

/** The XML of an API Management policy resource (azurerm `xml_content`, azapi `properties.value`). */
export function policyXml(resource: PlanResource): string | undefined {
  const xml = setting(resource, 'xml_content', 'properties.value');
  return typeof xml === 'string' ? xml : undefined;
}

const DOCUMENTS = new WeakMap<PlanResource, ParsedXmlElement | string>();

/** A policy resource's document, parsed once, or why it cannot be read. */
export function policyDocument(resource: PlanResource): ParsedXmlElement | string {
  let doc = DOCUMENTS.get(resource);
  if (doc === undefined) {
    const xml = policyXml(resource);
    if (xml === undefined)
      doc = 'the policy has no inline XML (xml_link and tokens cannot be checked at synth)';
    else {
      try {
        doc = parseXml(xml);
      } catch (error) {
        doc = `the policy is not well-formed XML: ${(error as Error).message}`;
      }
    }
    DOCUMENTS.set(resource, doc);
  }
  return doc;
}

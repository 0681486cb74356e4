import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** A parsed XML element: name, attributes (strings, as written) and children in document order. */
export interface Element {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly Element[];
  readonly text: string;
}

/** Parses a policy document; fails the test with the parser's message when it is not well-formed XML. */
export function parseXml(xml: string): Element {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`not well-formed XML: ${valid.err.msg} at line ${valid.err.line}`);
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseAttributeValue: false,
    parseTagValue: false,
    trimValues: true,
  });
  const toElement = (node: Record<string, unknown>): Element => {
    const name = Object.keys(node).find((k) => k !== ':@')!;
    const content = (node[name] as Record<string, unknown>[]) ?? [];
    return {
      name,
      attributes: (node[':@'] as Record<string, string>) ?? {},
      children: content.filter((c) => !('#text' in c)).map(toElement),
      text: content
        .filter((c) => '#text' in c)
        .map((c) => String(c['#text']))
        .join(''),
    };
  };
  return toElement((parser.parse(xml) as Record<string, unknown>[])[0]!);
}

/** Every element below `root` (itself included) with this name, depth first. */
export function findAll(root: Element, name: string): Element[] {
  return [...(root.name === name ? [root] : []), ...root.children.flatMap((c) => findAll(c, name))];
}

/** The single element with this name; fails when there is not exactly one. */
export function findOne(root: Element, name: string): Element {
  const found = findAll(root, name);
  if (found.length !== 1) throw new Error(`expected one <${name}>, found ${found.length}`);
  return found[0]!;
}

/** The direct child with this name, if any. */
export function child(root: Element, name: string): Element | undefined {
  return root.children.find((c) => c.name === name);
}

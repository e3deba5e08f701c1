import { XMLBuilder, XMLParser } from "fast-xml-parser";

/** Attributes are keys starting with `@_`, as fast-xml-parser spells them. */
const OPTIONS = {
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  format: true,
  suppressEmptyNode: true,
};

/** Renders a typed object as XML. */
export function toXml(value: object): string {
  return new XMLBuilder(OPTIONS).build(value) as string;
}

/** Parses XML that libvirt printed. */
export function fromXml<T = Record<string, unknown>>(xml: string): T {
  return new XMLParser({
    ...OPTIONS,
    isArray: (name) => ["host", "volume", "disk", "entry", "interface"].includes(name),
  }).parse(xml) as T;
}

import { XMLParser } from "fast-xml-parser";

/**
 * An XML element as the driver describes it, in fast-xml-parser's notation:
 * keys starting with `@_` are attributes, `#text` is the element's text, any
 * other key is a child element (an array repeats it). A child or attribute
 * whose value is `undefined` is left out; an element with nothing in it is
 * written empty (`<acpi/>`).
 */
export type XmlValue = string | number | boolean | undefined | XmlElement | XmlValue[];
export interface XmlElement {
  [key: string]: XmlValue;
}

/** A value the builder cannot write as XML: a character XML 1.0 does not allow, or a bad name. */
export class XmlValueError extends Error {
  override readonly name = "XmlValueError";
  constructor(
    /** Where in the document, e.g. `domain.sysinfo.oemStrings.entry[0]`. */
    readonly path: string,
    readonly value: string,
    reason: string,
  ) {
    super(`minos: cannot write ${JSON.stringify(value)} at ${path} as XML: ${reason}`);
  }
}

/** XML 1.0's `Char` production: no NUL or other C0 controls but tab, LF and CR, no lone surrogates, no U+FFFE/U+FFFF. */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
/** Element and attribute names the driver uses: ASCII XML names, optionally with one prefix. */
const NAME = /^[A-Za-z_][A-Za-z0-9._-]*(?::[A-Za-z_][A-Za-z0-9._-]*)?$/;

const TEXT_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  "\r": "&#13;",
};
const ATTRIBUTE_ESCAPES: Record<string, string> = {
  ...TEXT_ESCAPES,
  '"': "&quot;",
  "'": "&apos;",
  // A parser turns these into spaces in an attribute unless they are references.
  "\t": "&#9;",
  "\n": "&#10;",
};

function checked(path: string, value: string | number | boolean): string {
  const text = String(value);
  const bad = NOT_XML_CHAR.exec(text);
  if (bad)
    throw new XmlValueError(
      path,
      text,
      `U+${(bad[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")} is not a character XML 1.0 allows, even escaped`,
    );
  return text;
}

/** Text content, escaped: `&`, `<`, `>` and CR as references. */
export function escapeText(path: string, value: string | number | boolean): string {
  return checked(path, value).replace(/[&<>\r]/g, (c) => TEXT_ESCAPES[c] as string);
}

/** An attribute value, escaped for either quote, with tab, LF and CR kept as references. */
export function escapeAttribute(path: string, value: string | number | boolean): string {
  return checked(path, value).replace(/[&<>"'\t\n\r]/g, (c) => ATTRIBUTE_ESCAPES[c] as string);
}

function checkName(path: string, name: string): string {
  if (!NAME.test(name)) throw new XmlValueError(path, name, "not an XML name the driver writes");
  return name;
}

function element(name: string, value: XmlValue, path: string, indent: string): string[] {
  if (value === undefined) return [];
  if (Array.isArray(value))
    return value.flatMap((v, i) => element(name, v, `${path}[${i}]`, indent));
  checkName(path, name);
  if (typeof value !== "object") {
    const text = escapeText(path, value);
    return [text === "" ? `${indent}<${name}/>` : `${indent}<${name}>${text}</${name}>`];
  }
  let attributes = "";
  let text: string | undefined;
  const children: string[] = [];
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    if (key.startsWith("@_")) {
      const attribute = checkName(`${path}.${key}`, key.slice(2));
      if (typeof v === "object")
        throw new XmlValueError(`${path}.${key}`, String(v), "an attribute holds text only");
      attributes += ` ${attribute}="${escapeAttribute(`${path}.${key}`, v)}"`;
    } else if (key === "#text") {
      if (typeof v === "object")
        throw new XmlValueError(`${path}.#text`, String(v), "text holds no elements");
      text = escapeText(`${path}.#text`, v);
    } else {
      children.push(...element(key, v, `${path}.${key}`, `${indent}  `));
    }
  }
  if (children.length > 0 && text !== undefined && text !== "")
    throw new XmlValueError(path, text, "the driver writes no mixed content");
  if (children.length > 0)
    return [`${indent}<${name}${attributes}>`, ...children, `${indent}</${name}>`];
  return [
    text === undefined || text === ""
      ? `${indent}<${name}${attributes}/>`
      : `${indent}<${name}${attributes}>${text}</${name}>`,
  ];
}

/**
 * The one XML builder of the driver: everything it hands libvirt (domain and
 * network definitions, DHCP host entries for `net-update`, ownership
 * metadata) is written here. Text and attribute values are always escaped
 * (`&`, `<`, `>`, both quotes, and the whitespace a parser would otherwise
 * fold), so no value can end an attribute, open an element or start an
 * entity; values XML cannot carry at all (NUL and other control characters)
 * are refused with the place they were found, instead of reaching libvirt.
 */
export function toXml(document: XmlElement): string {
  const roots = Object.entries(document).filter(([, v]) => v !== undefined);
  if (roots.length !== 1 || Array.isArray(roots[0]?.[1]))
    throw new XmlValueError(
      "(document)",
      roots.map(([k]) => k).join(","),
      "needs one root element",
    );
  const [name, value] = roots[0] as [string, XmlValue];
  return `${element(name, value, name, "").join("\n")}\n`;
}

/** Parses XML that libvirt printed. */
export function fromXml<T = Record<string, unknown>>(xml: string): T {
  return new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "@_",
    isArray: (name) => ["host", "volume", "disk", "entry", "interface"].includes(name),
  }).parse(xml) as T;
}

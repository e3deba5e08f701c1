import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import {
  canValidateXml,
  validateLibvirtXml as validate,
} from "../../../test/support/libvirt-schemas.js";
import { haveTool } from "../../../test/support/system-tools.js";
import type { DomainSpec } from "../src/index.js";
import { domainXml, LibvirtInputError, networkXml } from "../src/index.js";
import { checkReservations, dhcpHostXml } from "../src/network-xml.js";
import { toXml, XmlValueError } from "../src/xml.js";

/** Strings that end attributes, open elements, start entities or get folded by a parser. */
const HOSTILE = [
  `q'u"o<t>e&amp;`,
  `"/><evil attr='x'/><x a="`,
  "]]><![CDATA[x]]>",
  "&lt;already escaped&gt;",
  "&#0;&#x41;&bogus;",
  "tab\tnew\nline\r\ncr\r",
  "  leading and trailing  ",
  "<!-- comment --><?pi x?>",
  "ünïcödé ✓ 🐧",
];

const dir = mkdtempSync(join(tmpdir(), "minos-xml-builder-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const haveXmllint = haveTool("xmllint", "xmllint");

let files = 0;
/** libxml2's reading of one XPath string value of a document: the oracle, not our own parser. */
function xpath(xml: string, expression: string): string {
  const file = join(dir, `doc-${files++}.xml`);
  writeFileSync(file, xml);
  const out = execFileSync("xmllint", ["--xpath", `string(${expression})`, file], {
    encoding: "utf8",
  });
  // xmllint ends what it prints with one newline.
  return out.endsWith("\n") ? out.slice(0, -1) : out;
}

const base: DomainSpec = {
  name: "n0",
  virtType: "qemu",
  arch: "x86_64",
  vcpus: 1,
  memoryMiB: 256,
  firmware: "bios",
  disks: [{ pool: "default", volume: "n0.qcow2", format: "qcow2" }],
};

describe("the one XML builder", () => {
  it("escapes every hostile string in attributes and text so the document is well formed", () => {
    const xml = toXml({
      r: { v: HOSTILE.map((s) => ({ "@_a": s, "#text": s })) },
    });
    // Only the builder's own markup: one root, one <v> per string, nothing injected.
    expect(xml.match(/</g)?.length).toBe(2 + 2 * HOSTILE.length);
    expect(xml).not.toMatch(/<evil|<!|<\?/);
    expect(xml).not.toMatch(/&(?!amp;|lt;|gt;|quot;|apos;|#9;|#10;|#13;)/);
  });

  it.skipIf(!haveXmllint)(
    "writes hostile strings that libxml2 reads back exactly, in attributes and text",
    () => {
      const xml = toXml({
        r: { v: HOSTILE.map((s) => ({ "@_a": s, "#text": s })) },
      });
      HOSTILE.forEach((s, i) => {
        expect(xpath(xml, `/r/v[${i + 1}]/@a`)).toBe(s);
        expect(xpath(xml, `/r/v[${i + 1}]`)).toBe(s);
      });
    },
  );

  it.skipIf(!haveXmllint)(
    "round-trips any string XML can carry, and refuses any it cannot (fuzzed)",
    () => {
      const alphabet = fc.constantFrom(
        ..."<>&'\"\t\n\r ;#xX0a]!?-/=\u0000\u0001\u001f\u007f\u0085\ufffe\uffff\ud800é🐧",
      );
      fc.assert(
        fc.property(fc.oneof(fc.string({ unit: alphabet }), fc.string({ unit: "binary" })), (s) => {
          const notXml =
            /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.test(s) ||
            // A lone surrogate (the regex above reads code points).
            /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
          if (notXml) {
            expect(() => toXml({ r: { "@_a": s } })).toThrow(XmlValueError);
            expect(() => toXml({ r: s })).toThrow(XmlValueError);
            return;
          }
          const xml = toXml({ r: { v: { "@_a": s, "#text": s } } });
          expect(xpath(xml, "/r/v/@a")).toBe(s);
          expect(xpath(xml, "/r/v")).toBe(s);
        }),
        { numRuns: 60 },
      );
    },
  );

  it("refuses characters XML cannot carry, naming where they were", () => {
    expect(() => toXml({ domain: { name: "a\u0000b" } })).toThrow(
      /cannot write "a\\u0000b" at domain\.name as XML: U\+0000 is not a character XML 1\.0 allows/,
    );
    expect(() =>
      domainXml({ ...base, firstBoot: { kind: "smbios", oemStrings: ["ok", "bell\u0007"] } }),
    ).toThrow(/at domain\.sysinfo\.oemStrings\.entry\[1\]/);
    expect(() => toXml({ r: { "@_a b": "x" } })).toThrow(XmlValueError);
  });

  it("writes what the old builder wrote for ordinary values", () => {
    expect(toXml({ a: { "@_x": 1, b: "", c: 0, d: { "@_y": "z" }, e: undefined } })).toBe(
      '<a x="1">\n  <b/>\n  <c>0</c>\n  <d y="z"/>\n</a>\n',
    );
  });
});

describe.skipIf(!haveXmllint)("every document the driver writes goes through it", () => {
  const hostile = `a'b"c<d>e&f`;

  it("domain XML: names, paths, kernel command line, SMBIOS strings", () => {
    const spec: DomainSpec = {
      ...base,
      name: hostile,
      disks: [{ pool: hostile, volume: hostile, format: "qcow2" }],
      network: { name: hostile, mac: "52:54:00:00:00:01" },
      serialLog: `/var/log/${hostile}`,
      kernel: { path: `/k/${hostile}`, cmdline: `console=ttyS0 x="${hostile}"` },
      firstBoot: { kind: "smbios", oemStrings: [hostile, `talos.config=http://h/?a=1&b=<2>`] },
    };
    const xml = domainXml(spec);
    expect(xpath(xml, "/domain/name")).toBe(hostile);
    expect(xpath(xml, "/domain/devices/disk/source/@pool")).toBe(hostile);
    expect(xpath(xml, "/domain/devices/disk/source/@volume")).toBe(hostile);
    expect(xpath(xml, "/domain/devices/interface/source/@network")).toBe(hostile);
    expect(xpath(xml, "/domain/devices/serial/source/@path")).toBe(`/var/log/${hostile}`);
    expect(xpath(xml, "/domain/os/kernel")).toBe(`/k/${hostile}`);
    expect(xpath(xml, "/domain/os/cmdline")).toBe(`console=ttyS0 x="${hostile}"`);
    expect(xpath(xml, "/domain/sysinfo/oemStrings/entry[1]")).toBe(hostile);
    expect(xpath(xml, "/domain/sysinfo/oemStrings/entry[2]")).toBe(
      "talos.config=http://h/?a=1&b=<2>",
    );
    if (canValidateXml())
      expect(validate("domain", xml.replace(/<name>[^<]*<\/name>/, "<name>n0</name>")).code).toBe(
        0,
      );
  });

  it("network XML and the host entries net-update takes", () => {
    const host = { mac: "52:54:00:AA:00:01", ip: "10.9.0.10", name: hostile };
    const xml = networkXml({ uri: "", name: hostile, cidr: "10.9.0.0/24", hosts: [host] });
    expect(xpath(xml, "/network/name")).toBe(hostile);
    expect(xpath(xml, "/network/ip/dhcp/host/@name")).toBe(hostile);
    const entry = dhcpHostXml(host);
    expect(entry).toBe(
      `<host mac="52:54:00:aa:00:01" name="a&apos;b&quot;c&lt;d&gt;e&amp;f" ip="10.9.0.10"/>`,
    );
    expect(xpath(entry, "/host/@name")).toBe(hostile);
  });
});

describe("DHCP reservations", () => {
  const ok = { mac: "52:54:00:aa:00:10", ip: "10.9.0.10", name: "cp-0.lab" };

  it("takes host names, MACs and IPv4 addresses", () => {
    expect(() => checkReservations([ok, { ...ok, name: "Worker-12" }])).not.toThrow();
  });

  it.each([
    ["name", `a'b`],
    ["name", "a<b"],
    ["name", "a&b"],
    ["name", 'a"b'],
    ["name", "-lead"],
    ["name", ""],
    ["name", "x".repeat(64)],
    ["mac", "52:54:00:aa:00"],
    ["mac", "52:54:00:aa:00:1g"],
    ["ip", "10.9.0.256"],
    ["ip", "10.9.0.10'"],
  ] as const)("refuses %s %j, naming it", (field, value) => {
    const hosts = [ok, { ...ok, [field]: value }];
    expect(() => checkReservations(hosts)).toThrow(LibvirtInputError);
    expect(() => checkReservations(hosts)).toThrow(
      new RegExp(`^minos: invalid hosts\\[1\\]\\.${field}: `),
    );
  });
});

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
import { checkReservations, dhcpHostXml, dnsTxtXml } from "../src/network-xml.js";
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

describe("reserved blocks", () => {
  const cidr = "10.9.0.0/24";
  const hosts = [{ mac: "52:54:00:aa:00:10", ip: "10.9.0.10", name: "cp-0" }];
  const addresses = [{ ip: "10.9.0.5", name: "lab-api" }];
  const block = { name: "lab-load-balancers", first: "10.9.0.120", last: "10.9.0.127" };

  it("records a block as a DNS TXT record, beside the reserved addresses' host entries", () => {
    const xml = networkXml({ uri: "", name: "n", cidr, hosts, addresses, ranges: [block] });
    expect(xpath(xml, "/network/dns/txt/@name")).toBe("lab-load-balancers");
    expect(xpath(xml, "/network/dns/txt/@value")).toBe("10.9.0.120-10.9.0.127");
    expect(xpath(xml, "/network/dns/host/@ip")).toBe("10.9.0.5");
    // The block stays below the range DHCP leases from.
    expect(xpath(xml, "/network/ip/dhcp/range/@start")).toBe("10.9.0.128");
    expect(dnsTxtXml(block)).toBe('<txt name="lab-load-balancers" value="10.9.0.120-10.9.0.127"/>');
    expect(networkXml({ uri: "", name: "n", cidr, hosts })).not.toContain("<dns");
  });

  it("takes a block between the gateway and the DHCP range, clear of every reservation", () => {
    expect(() => checkReservations(hosts, addresses, cidr, [block])).not.toThrow();
    expect(() =>
      checkReservations(hosts, addresses, cidr, [{ ...block, first: "10.9.0.11" }]),
    ).not.toThrow();
  });

  it.each([
    ["a name DNS cannot take", { name: "lab lb" }, /ranges\[0\]\.name/],
    ["a first address that is none", { first: "10.9.0.300" }, /ranges\[0\]\.first/],
    [
      "a last address below the first",
      { last: "10.9.0.119" },
      /ranges\[0\]\.last: .*from 10\.9\.0\.120 up/,
    ],
    ["the gateway", { first: "10.9.0.1" }, /ranges\[0\]\.first: .*10\.9\.0\.2 to 10\.9\.0\.127/],
    ["DHCP's first lease", { last: "10.9.0.128" }, /ranges\[0\]\.last: .*DHCP range/],
    ["another network's address", { first: "10.10.0.120" }, /ranges\[0\]\.first/],
    [
      "a host reservation",
      { first: "10.9.0.10" },
      /ranges\[0\]: .*without 10\.9\.0\.10, which cp-0 has/,
    ],
    [
      "the API's address",
      { first: "10.9.0.2", last: "10.9.0.8" },
      /without 10\.9\.0\.5, which lab-api has/,
    ],
  ] as const)("refuses %s, naming it", (_, change, message) => {
    const ranges = [{ ...block, ...change }];
    expect(() => checkReservations(hosts, addresses, cidr, ranges)).toThrow(LibvirtInputError);
    expect(() => checkReservations(hosts, addresses, cidr, ranges)).toThrow(message);
  });

  it("refuses two blocks that overlap or share a name", () => {
    const other = { name: "other", first: "10.9.0.100", last: "10.9.0.120" };
    expect(() => checkReservations(hosts, addresses, cidr, [block, other])).toThrow(
      /ranges\[1\]: .*ranges\[0\] has that name or overlaps it/,
    );
    const named = { ...block, first: "10.9.0.100", last: "10.9.0.101" };
    expect(() => checkReservations(hosts, addresses, cidr, [block, named])).toThrow(/ranges\[1\]/);
    expect(() =>
      checkReservations(hosts, addresses, cidr, [block, { ...other, last: "10.9.0.119" }]),
    ).not.toThrow();
  });
});

import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import {
  diskProvider,
  LibvirtInputError,
  Network,
  networkProvider,
  validateLibvirtUri,
  virsh,
} from "../src/index.js";
import { isLocalUri, LIBVIRT_URI_ALLOWED } from "../src/uri.js";

const ACCEPTED = [
  "qemu:///system",
  "qemu:///session",
  "qemu+unix:///system",
  "qemu+unix:///session?socket=/run/user/1000/libvirt/virtqemud-sock",
  "qemu+ssh://user@host/system",
  "qemu+ssh://root@hail.cloud.example.com:2222/system?keyfile=/home/me/.ssh/id_ed25519&no_tty=1",
  "qemu+ssh://kvm-1/system?known_hosts=/etc/ssh/known&known_hosts_verify=auto&sshauth=agent,privkey",
  "qemu+libssh2://user@10.0.0.5/system?known_hosts_verify=ignore",
  "qemu+libssh://[2001:db8::1]:22/system",
  "qemu+tls://host.example.com/system?pkipath=/etc/pki/libvirt&no_verify=0",
  "qemu://host.example.com/system",
  "qemu+tcp://192.168.1.2:16509/system?mode=direct&proxy=native",
  "test:///default",
];

const REFUSED: [string, RegExp][] = [
  ["", /not of the form/],
  ["localhost", /not of the form/],
  ["qemu://", /not of the form/],
  ["qemu:///", /path must be/],
  ["qemu:///embed?root=/tmp/x", /path must be/],
  ["QEMU:///system", /not of the form/],
  ["xen:///system", /driver "xen" is not QEMU's/],
  ["lxc:///system", /driver "lxc"/],
  ["test:///tmp/node.xml", /test:\/\/\/default/],
  ["test+ssh://h/default", /local only/],
  ["qemu+ext:///system?command=/bin/sh", /transport "ext"/],
  ["qemu+ssh:///system", /needs a host/],
  ["qemu+unix://host/system", /takes no host/],
  ["qemu+ssh://-oProxyCommand=touch%20x/system", /host/],
  ["qemu+ssh://-oProxyCommand=x@host/system", /user/],
  ["qemu+ssh://us er@host/system", /user/],
  ["qemu+ssh://host:0/system", /port/],
  ["qemu+ssh://host:65536/system", /port/],
  ["qemu+ssh://host:22x/system", /port/],
  ["qemu+ssh://host/system?command=/tmp/evil", /parameter "command"/],
  ["qemu+ssh://host/system?netcat=/tmp/evil", /parameter "netcat"/],
  ["qemu+ssh://host/system?name=qemu:///session", /parameter "name"/],
  ["qemu+ssh://host/system?keyfile=relative", /parameter keyfile/],
  ["qemu+ssh://host/system?keyfile=/a&keyfile=/b", /given twice/],
  ["qemu+ssh://host/system?no_verify=yes", /parameter no_verify/],
  ["qemu:///system#frag", /not of the form/],
  ["qemu:///system\n", /path must be/],
  ["qemu+ssh://0/system", /host "0"/],
  ["qemu+ssh://[fe80::1%25eth0]/system", /host/],
  ["qemu:///system ", /path must be/],
  ["qemu+ssh://ho;st/system", /host/],
  ["qemu+ssh://host$(id)/system", /host/],
  ["qemu+ssh://999.1.1.1/system", /host/],
  ["qemu+ssh://[::g]/system", /host/],
  ["qemu://user@/system", /user needs a host/],
  ["qemu://:22/system", /port needs a host/],
];

/** What an accepted URI can never hold, checked without the validator's own rules. */
function safe(uri: string): boolean {
  const url = new URL(uri);
  return (
    /^[A-Za-z0-9._~:/?&=+,@[\]-]+$/.test(uri) &&
    // No user or host that ssh would read as an option.
    !/^[a-z0-9+]+:\/\/(?:-|[^/@?]*@-)/.test(uri) &&
    !/[?&](?:command|netcat|name|tls_priority)=/.test(uri) &&
    /^(?:qemu(?:\+(?:unix|ssh|libssh|libssh2|tls|tcp))?|test):$/.test(url.protocol)
  );
}

/** A validator may accept or throw a LibvirtInputError about `uri`, never anything else. */
function acceptsOrRefuses(value: unknown): "accepted" | "refused" {
  try {
    expect(validateLibvirtUri(value)).toBe(value);
    return "accepted";
  } catch (e) {
    if (!(e instanceof LibvirtInputError)) throw e;
    expect(e.argument).toBe("uri");
    expect(e.value).toBe(value);
    expect(e.message).toMatch(/^minos: invalid uri: /);
    expect(e.message).toContain(LIBVIRT_URI_ALLOWED);
    return "refused";
  }
}

describe("libvirt URI validation", () => {
  it.each(ACCEPTED)("accepts %s", (uri) => {
    expect(validateLibvirtUri(uri)).toBe(uri);
    expect(safe(uri)).toBe(true);
  });

  it.each(REFUSED)("refuses %j, naming uri, the value and what is allowed", (uri, why) => {
    expect(() => validateLibvirtUri(uri)).toThrow(LibvirtInputError);
    expect(() => validateLibvirtUri(uri)).toThrow(why);
    expect(() => validateLibvirtUri(uri)).toThrow(`minos: invalid uri: ${JSON.stringify(uri)}; `);
  });

  it("refuses what is not a string", () => {
    for (const value of [undefined, null, 7, {}, ["qemu:///system"]])
      expect(acceptsOrRefuses(value)).toBe("refused");
  });

  it("tells local URIs from remote ones", () => {
    expect(isLocalUri("qemu:///system")).toBe(true);
    expect(isLocalUri("qemu+unix:///session")).toBe(true);
    expect(isLocalUri("test:///default")).toBe(true);
    expect(isLocalUri("qemu+ssh://h/system")).toBe(false);
    expect(isLocalUri("qemu://h/system")).toBe(false);
  });
});

describe("libvirt URI validation, fuzzed", () => {
  const label = fc.stringMatching(/^[a-z](?:[a-z0-9-]{0,10}[a-z0-9])?$/);
  const host = fc.oneof(
    fc.array(label, { minLength: 1, maxLength: 4 }).map((l) => l.join(".")),
    fc.ipV4(),
    fc.ipV6().map((a) => `[${a}]`),
  );
  const path = fc.stringMatching(/^(?:\/[a-z0-9._-]{1,8}){1,4}$/);
  const parameter = fc.oneof(
    path.map((p) => `keyfile=${p}`),
    path.map((p) => `known_hosts=${p}`),
    fc.constantFrom("no_tty=1", "no_verify=0", "known_hosts_verify=ignore", "sshauth=agent"),
  );
  const validUri = fc.oneof(
    fc.constantFrom("qemu:///system", "qemu:///session", "qemu+unix:///system", "test:///default"),
    fc
      .record({
        transport: fc.constantFrom("", "+ssh", "+libssh", "+libssh2", "+tls", "+tcp"),
        user: fc.option(fc.stringMatching(/^[a-z_][a-z0-9_.-]{0,15}$/), { nil: undefined }),
        host,
        port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
        path: fc.constantFrom("/system", "/session"),
        parameters: fc.uniqueArray(parameter, {
          maxLength: 3,
          selector: (p) => p.split("=")[0],
        }),
      })
      .map(
        (u) =>
          `qemu${u.transport}://${u.user ? `${u.user}@` : ""}${u.host}${u.port ? `:${u.port}` : ""}${u.path}${u.parameters.length > 0 ? `?${u.parameters.join("&")}` : ""}`,
      ),
  );

  it("accepts every URI of the documented forms, unchanged", () => {
    fc.assert(
      fc.property(validUri, (uri) => {
        expect(acceptsOrRefuses(uri)).toBe("accepted");
        expect(safe(uri)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("accepts nothing unsafe when valid URIs are mutated with hostile characters", () => {
    const hostile = fc.constantFrom(
      ..." \t\n\r'\"`$;|&<>\\%#?=@:/[]-\u0000\u00e9".split(""),
      "-o",
      "command=",
      "&command=/bin/sh",
      "..",
    );
    fc.assert(
      fc.property(validUri, fc.nat(), hostile, fc.boolean(), (uri, at, insert, replace) => {
        const i = at % (uri.length + 1);
        const mutated = uri.slice(0, i) + insert + uri.slice(replace ? i + 1 : i);
        if (acceptsOrRefuses(mutated) === "accepted") expect(safe(mutated)).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it("answers anything at all with acceptance or a LibvirtInputError about uri", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ unit: "binary" }),
          fc.webUrl(),
          fc.anything({ withBigInt: false, withNullPrototype: true }),
        ),
        (value) => {
          if (acceptsOrRefuses(value) === "accepted") expect(safe(value as string)).toBe(true);
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe("URIs are checked before anything runs", () => {
  // A virsh that records it ran: refused URIs must never get this far.
  const bin = mkdtempSync(join(tmpdir(), "minos-fake-virsh-"));
  const ran = join(bin, "ran");
  writeFileSync(join(bin, "virsh"), `#!/bin/sh\necho "$@" >> '${ran}'\n`);
  chmodSync(join(bin, "virsh"), 0o755);
  afterAll(() => rmSync(bin, { recursive: true, force: true }));

  async function withFakeVirsh(fn: () => Promise<void>): Promise<void> {
    const path = process.env.PATH;
    process.env.PATH = `${bin}:${path}`;
    try {
      await fn();
    } finally {
      process.env.PATH = path;
    }
  }

  it("in the providers and in every virsh call", async () => {
    const uri = "qemu+ext:///system?command=/tmp/evil";
    await withFakeVirsh(async () => {
      await expect(virsh(uri, ["list"])).rejects.toThrow(LibvirtInputError);
      await expect(
        networkProvider.create({ uri, name: "n", cidr: "10.9.0.0/24", hosts: [] }),
      ).rejects.toThrow(/^minos: invalid uri: "qemu\+ext:/);
      await expect(
        diskProvider.create({
          uri,
          pool: "default",
          name: "d.qcow2",
          basePath: "/b",
          baseFormat: "qcow2",
          sizeGiB: 1,
        }),
      ).rejects.toThrow(LibvirtInputError);
      await expect(networkProvider.delete("n", { uri } as never)).rejects.toThrow(
        LibvirtInputError,
      );
      // The fake is reachable: a good URI gets to it.
      await virsh("test:///default", ["list"]);
    });
    expect(existsSync(ran)).toBe(true);
    expect(readFileSync(ran, "utf8")).toBe("--connect test:///default list\n");
  });

  it("in the resource constructors, while the program runs", () => {
    expect(() => new Network("lab", { uri: "qemu:///systen", cidr: "10.9.0.0/24" })).toThrow(
      /^minos: invalid uri: "qemu:\/\/\/systen"; the path must be \/system or \/session/,
    );
  });
});

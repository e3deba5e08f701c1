import { describe, expect, it } from "vitest";
import { decodeResource as decode } from "../../../test/support/ignition-files.js";
import { ignition, MinosError } from "../src/index.js";

const { buildIgnition, inlineResource, mergeIgnition, renderIgnition, ignitionSize } = ignition;

describe("inline contents", () => {
  it("keeps short text readable", () => {
    expect(inlineResource("hello\n")).toEqual({ source: "data:,hello%0A" });
  });
  it("gzips repetitive text when that is smaller", () => {
    const text = "kubernetes ".repeat(200);
    const r = inlineResource(text);
    expect(r.compression).toBe("gzip");
    expect(r.source.length).toBeLessThan(text.length / 5);
    expect(decode(r)).toBe(text);
  });
  it("uses base64 for binary that does not compress", () => {
    const bytes = new Uint8Array(64).map((_, i) => (i * 151 + 7) % 256);
    const r = inlineResource(bytes);
    expect(r.compression).toBeUndefined();
    expect(Buffer.from(r.source.split(",")[1] ?? "", "base64")).toEqual(Buffer.from(bytes));
  });
  it("round-trips every form and picks the shortest", () => {
    for (const text of ["a b\tc%d/é", "x".repeat(3), JSON.stringify({ a: [1, 2, 3] }).repeat(30)]) {
      const r = inlineResource(text);
      expect(decode(r)).toBe(text);
      expect(r.source.length).toBeLessThanOrEqual(`data:,${encodeURIComponent(text)}`.length);
    }
  });
  it("gzips deterministically: no timestamp, fixed OS byte", () => {
    const a = inlineResource("z".repeat(500));
    const b = inlineResource("z".repeat(500));
    expect(a).toEqual(b);
    const gz = Buffer.from(a.source.split(",")[1] ?? "", "base64");
    expect(gz.readUInt32LE(4)).toBe(0);
  });
});

describe("building a config", () => {
  const spec: ignition.IgnitionSpec = {
    files: [
      { path: "/etc/z", contents: "z" },
      { path: "/etc/a", mode: 0o600, contents: "a" },
      {
        path: "/opt/big.raw",
        contents: { url: "https://example.test/big.raw", hash: "sha256-00" },
      },
    ],
    units: [
      { name: "z.service", enabled: true, contents: "[Unit]\n" },
      { name: "a.service", mask: true },
    ],
    users: [{ name: "core", sshAuthorizedKeys: ["ssh-ed25519 AAAA a"] }],
  };

  it("writes spec 3.3.0 with sorted files and units and default modes", () => {
    const config = buildIgnition(spec);
    expect(config.ignition.version).toBe("3.3.0");
    expect(config.storage?.files?.map((f) => [f.path, f.mode])).toEqual([
      ["/etc/a", 0o600],
      ["/etc/z", 0o644],
      ["/opt/big.raw", 0o644],
    ]);
    expect(config.storage?.files?.[2]?.contents).toEqual({
      source: "https://example.test/big.raw",
      verification: { hash: "sha256-00" },
    });
    expect(config.systemd?.units?.map((u) => u.name)).toEqual(["a.service", "z.service"]);
  });

  it("renders byte-identical JSON however the spec was ordered", () => {
    const reordered: ignition.IgnitionSpec = {
      users: spec.users,
      units: [...(spec.units ?? [])].reverse(),
      files: [...(spec.files ?? [])].reverse(),
    };
    expect(renderIgnition(buildIgnition(reordered))).toBe(renderIgnition(buildIgnition(spec)));
    expect(renderIgnition(buildIgnition(spec))).toMatch(
      /^\{"ignition":\{"version":"3\.3\.0"\},"passwd":/,
    );
  });

  it("reports size", () => {
    expect(ignitionSize("abcd")).toEqual({ bytes: 4, base64Bytes: 8 });
    expect(ignitionSize("é")).toEqual({ bytes: 2, base64Bytes: 4 });
  });
});

describe("merging user fragments", () => {
  const base = buildIgnition({
    files: [{ path: "/etc/a", contents: "minos" }],
    units: [
      {
        name: "kubeadm.service",
        enabled: true,
        contents: "[Unit]\n",
        dropins: [{ name: "10.conf", contents: "x" }],
      },
    ],
    users: [{ name: "core", sshAuthorizedKeys: ["ssh-ed25519 AAAA a"] }],
  });

  it("replaces files and unit fields by key, adds new ones, accumulates SSH keys", () => {
    const merged = mergeIgnition(base, [
      {
        ignition: { version: "3.3.0" },
        storage: {
          files: [
            { path: "/etc/a", contents: { source: "data:,user" } },
            { path: "/etc/b", contents: { source: "data:,b" } },
          ],
        },
        systemd: {
          units: [
            {
              name: "kubeadm.service",
              enabled: false,
              dropins: [{ name: "20.conf", contents: "y" }],
            },
          ],
        },
        passwd: {
          users: [
            { name: "core", sshAuthorizedKeys: ["ssh-ed25519 AAAA a", "ssh-ed25519 BBBB b"] },
          ],
        },
      },
    ]);
    expect(merged.storage?.files?.map((f) => [f.path, f.contents.source])).toEqual([
      ["/etc/a", "data:,user"],
      ["/etc/b", "data:,b"],
    ]);
    const unit = merged.systemd?.units?.[0];
    expect(unit).toMatchObject({ name: "kubeadm.service", enabled: false, contents: "[Unit]\n" });
    expect(unit?.dropins?.map((d) => d.name)).toEqual(["10.conf", "20.conf"]);
    expect(merged.passwd?.users?.[0]?.sshAuthorizedKeys).toEqual([
      "ssh-ed25519 AAAA a",
      "ssh-ed25519 BBBB b",
    ]);
  });

  it("merges in order: a later fragment wins", () => {
    const merged = mergeIgnition(base, [
      { storage: { files: [{ path: "/etc/a", contents: { source: "data:,one" } }] } },
      { storage: { files: [{ path: "/etc/a", contents: { source: "data:,two" } }] } },
    ]);
    expect(merged.storage?.files?.[0]?.contents.source).toBe("data:,two");
  });

  it.each([
    [["not an object"]],
    [[{ ignition: { version: "2.3.0" } }]],
    [[{ ignition: { version: "3.4.0" } }]],
  ])("refuses %j", (fragments) => {
    expect(() => mergeIgnition(base, fragments)).toThrow(MinosError);
  });
});

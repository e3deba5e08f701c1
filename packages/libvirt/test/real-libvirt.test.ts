import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import type { Server } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Libvirt } from "../../../test/support/libvirt.js";
import {
  GUEST_DIR,
  haveLibvirt,
  probeInitrd,
  probeOutput,
  probes,
  startLibvirt,
} from "../../../test/support/libvirt.js";
import { haveTool } from "../../../test/support/system-tools.js";
import { shutdownWait } from "../src/domain-runtime.js";
import type { BaseImageInputs, DomainInputs, NetworkInputs } from "../src/index.js";
import {
  baseImageProvider,
  baseImageVolume,
  configDiskProvider,
  diskProvider,
  domainProvider,
  networkProvider,
  VirshError,
  virsh,
} from "../src/index.js";
import { log } from "../src/log.js";
import { dhcpHostXml } from "../src/network-xml.js";
import { markIn, NotOwnedError } from "../src/ownership.js";
import type { VolumeRecord } from "../src/volume-records.js";
import { readRecord } from "../src/volume-records.js";
import { volumeNames } from "../src/volumes.js";
import { fromXml } from "../src/xml.js";

const runReal = haveLibvirt();
/** The aarch64 firmware Debian's qemu-efi-aarch64 installs, as the kvm platform defaults to. */
const AAVMF = {
  code: "/usr/share/AAVMF/AAVMF_CODE.fd",
  varsTemplate: "/usr/share/AAVMF/AAVMF_VARS.fd",
};
/** aarch64 guests, emulated: on an x86_64 host, where KVM cannot run them. */
const runArm = () =>
  runReal &&
  process.arch === "x64" &&
  haveTool("QEMU for aarch64", "qemu-system-aarch64") &&
  haveTool("aarch64 UEFI firmware", AAVMF.code);

/**
 * A small direct-kernel-boot guest; tests add what they are about. Software
 * emulation, which every host runs: some CI hosts list a /dev/kvm that their
 * guests cannot use, and libvirt's capabilities offer kvm there all the same.
 */
const guest = (name: string, over: Partial<DomainInputs>): DomainInputs => ({
  uri: lv.uri,
  name: `minos-t-${name}-${lv.pool.slice(-6)}`,
  virtType: "qemu",
  arch: "x86_64",
  vcpus: 1,
  memoryMiB: 256,
  firmware: "bios",
  disks: [],
  autostart: false,
  ...over,
});
let lv: Libvirt;
let server: Server;
let base = "";
const served = new Map<string, Buffer>();
const hits: string[] = [];

/** Runs `fn` with `text` in a file of its own. */
async function withFile<T>(text: string, fn: (file: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "minos-t-"));
  try {
    const file = join(dir, "object.xml");
    writeFileSync(file, text);
    return await fn(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");
const vols = () => volumeNames(lv.uri, lv.pool);
/**
 * The driver's temporary directories made by this process since this file
 * started (an earlier killed run may have left its own, and other test runs
 * on this machine make theirs).
 */
const ourTemp = () =>
  readdirSync(tmpdir()).filter((f) => f.startsWith(`minos-libvirt-${process.pid}-`));
const before = new Set(ourTemp());
const leftoverTemp = () => ourTemp().filter((f) => !before.has(f));

beforeAll(async () => {
  if (!runReal) return;
  lv = startLibvirt();
  // A real qcow2 image, served plain and compressed three ways.
  const file = join(lv.poolDir, "source.qcow2");
  execFileSync("qemu-img", ["create", "-q", "-f", "qcow2", file, "64M"]);
  const image = readFileSync(file);
  execFileSync("rm", [file]);
  served.set("/img/test.qcow2", image);
  served.set("/img/test.qcow2.gz", gzipSync(image));
  served.set("/img/test.qcow2.xz", execFileSync("xz", ["-c"], { input: image }));
  served.set("/img/test.qcow2.bz2", execFileSync("bzip2", ["-c"], { input: image }));
  served.set(
    "/img/SHA256SUMS",
    Buffer.from(`${sha256(image)}  test.qcow2\n${"0".repeat(64)}  other.img\n`),
  );
  server = createServer((req, res) => {
    hits.push(req.url ?? "");
    const body = served.get(req.url ?? "");
    if (!body) return res.writeHead(404).end();
    res.writeHead(200, { "content-length": body.length }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  if (!runReal) return;
  await new Promise<void>((r) => server.close(() => r()));
  lv.stop();
});

describe.skipIf(!runReal)("libvirt driver against a real libvirtd", () => {
  describe("Network", () => {
    // A /24 of its own per run (from the pool's random name): runs on one host
    // at once, or a network an interrupted run left, would hold the same one.
    const subnet = () =>
      `10.213.${16 + ((createHash("sha256").update(lv.pool).digest()[0] ?? 0) % 224)}`;
    const net = (): NetworkInputs => ({
      uri: lv.uri,
      name: `minos-t-${lv.pool.slice(-6)}`,
      cidr: `${subnet()}.0/24`,
      hosts: [{ mac: "52:54:00:AA:00:10", ip: `${subnet()}.10`, name: "cp-0" }],
    });

    it("creates a NAT network whose reservations libvirt reports, updates them in place, and deletes it", async () => {
      const inputs = net();
      const created = await networkProvider.create(inputs);
      expect(created.outs.bridge).toMatch(/^virbr\d+$/);
      const xml = await virsh(lv.uri, ["net-dumpxml", inputs.name]);
      expect(xml).toContain("<forward mode='nat'");
      const at = subnet();
      expect(xml).toContain(`<ip address='${at}.1' netmask='255.255.255.0'>`);
      expect(xml).toContain(`<range start='${at}.128' end='${at}.254'`);
      expect(xml).toContain(`<host mac='52:54:00:aa:00:10' name='cp-0' ip='${at}.10'/>`);
      expect(await virsh(lv.uri, ["net-info", inputs.name])).toMatch(/Active:\s+yes/);

      const grown = {
        ...inputs,
        hosts: [...inputs.hosts, { mac: "52:54:00:aa:00:11", ip: `${at}.11`, name: "worker-0" }],
      };
      expect(await networkProvider.diff(inputs.name, inputs, grown)).toMatchObject({
        changes: true,
        replaces: [],
      });
      await networkProvider.update(inputs.name, created.outs, grown);
      expect(await virsh(lv.uri, ["net-dumpxml", inputs.name])).toContain(
        `name='worker-0' ip='${at}.11'`,
      );
      expect(
        await networkProvider.diff(inputs.name, inputs, { ...inputs, cidr: "10.212.0.0/24" }),
      ).toMatchObject({ replaces: ["cidr"] });

      expect((await networkProvider.read(inputs.name, created.outs)).id).toBe(inputs.name);
      await networkProvider.delete(inputs.name, created.outs);
      expect(await networkProvider.read(inputs.name, created.outs)).toEqual({});
      await networkProvider.delete(inputs.name, created.outs);
    });

    it("hands net-update escaped host entries, and refuses names libvirt would write back broken", async () => {
      const inputs = net();
      const created = await networkProvider.create(inputs);
      const hostNames = async () =>
        (
          fromXml<{ network: { ip: { dhcp: { host: { "@_mac": string; "@_name": string }[] } } } }>(
            await virsh(lv.uri, ["net-dumpxml", "--inactive", inputs.name]),
          ).network.ip.dhcp.host ?? []
        ).map((h) => [h["@_mac"], h["@_name"]]);
      try {
        // Quotes and > are what libvirt 9.0 also writes back intact; our entry escapes them.
        const hostile = `a"b>c"d`;
        const entry = dhcpHostXml({
          mac: "52:54:00:aa:00:20",
          ip: `${subnet()}.20`,
          name: hostile,
        });
        expect(entry).toContain('name="a&quot;b&gt;c&quot;d"');
        await virsh(lv.uri, [
          "net-update",
          inputs.name,
          "add",
          "ip-dhcp-host",
          entry,
          "--live",
          "--config",
        ]);
        expect(await hostNames()).toContainEqual(["52:54:00:aa:00:20", hostile]);

        // ' < & libvirt parses from our escaped entry but saves unescaped: refused before virsh runs.
        const before = await virsh(lv.uri, ["net-dumpxml", "--inactive", inputs.name]);
        const news = {
          ...inputs,
          hosts: [
            ...inputs.hosts,
            { mac: "52:54:00:aa:00:21", ip: `${subnet()}.21`, name: "q'u<o&te" },
          ],
        };
        await expect(networkProvider.update(inputs.name, created.outs, news)).rejects.toThrow(
          /^minos: invalid hosts\[1\]\.name: "q'u<o&te"; use a host name/,
        );
        expect(await virsh(lv.uri, ["net-dumpxml", "--inactive", inputs.name])).toBe(before);
      } finally {
        await networkProvider.delete(inputs.name, created.outs);
      }
    });

    /** A network minos did not make: plain XML, defined and started with virsh. */
    async function foreignNetwork(name: string, third: number) {
      await withFile(
        `<network><name>${name}</name><forward mode='nat'/><ip address='10.214.${third}.1' netmask='255.255.255.0'/></network>`,
        (file) => virsh(lv.uri, ["net-define", file]),
      );
      await virsh(lv.uri, ["net-start", name]);
      return name;
    }
    /** Everything libvirt says about a network: both definitions and its state. */
    const networkState = async (name: string) => ({
      live: await virsh(lv.uri, ["net-dumpxml", name]),
      persistent: await virsh(lv.uri, ["net-dumpxml", "--inactive", name]),
      info: await virsh(lv.uri, ["net-info", name]),
    });
    const dropNetwork = async (name: string) => {
      await virsh(lv.uri, ["net-destroy", name]).catch(() => undefined);
      await virsh(lv.uri, ["net-undefine", name]).catch(() => undefined);
    };
    const third = () => 16 + ((createHash("sha256").update(lv.pool).digest()[1] ?? 0) % 224);

    it("marks the network it makes with its owner id and a UUID of its own", async () => {
      const inputs = net();
      const created = await networkProvider.create(inputs);
      try {
        expect(created.outs.owner).toMatch(/^[0-9a-f-]{36}$/);
        const xml = await virsh(lv.uri, ["net-dumpxml", "--inactive", inputs.name]);
        expect(xml).toContain(
          `<minos:owner xmlns:minos="https://minos.dev/libvirt/1" id="${created.outs.owner}"/>`,
        );
        expect(markIn(xml).owner).toBe(created.outs.owner);
        // net-update rewrites the definition; the mark stays.
        const grown = {
          ...inputs,
          hosts: [...inputs.hosts, { mac: "52:54:00:aa:00:12", ip: `${subnet()}.12`, name: "w-1" }],
        };
        const updated = await networkProvider.update(inputs.name, created.outs, grown);
        expect(updated.outs.owner).toBe(created.outs.owner);
        expect(markIn(await virsh(lv.uri, ["net-dumpxml", "--inactive", inputs.name])).owner).toBe(
          created.outs.owner,
        );
      } finally {
        await networkProvider.delete(inputs.name, created.outs);
      }
    });

    it("refuses a network of the same name it did not make, leaving it byte-identical and running", async () => {
      const inputs = net();
      await foreignNetwork(inputs.name, third());
      try {
        const before = await networkState(inputs.name);
        await expect(networkProvider.create(inputs)).rejects.toThrow(NotOwnedError);
        await expect(networkProvider.create(inputs)).rejects.toThrow(
          `minos: network "${inputs.name}" already exists on ${lv.uri} and minos did not make it for this resource (it carries no minos owner mark); minos leaves it untouched.`,
        );
        expect(await networkState(inputs.name)).toEqual(before);
        expect(before.info).toMatch(/Active:\s+yes/);
      } finally {
        await dropNetwork(inputs.name);
      }
    });

    it("refuses one another minos resource made, too", async () => {
      const inputs = net();
      const other = await networkProvider.create(inputs);
      try {
        const before = await networkState(inputs.name);
        await expect(networkProvider.create(inputs)).rejects.toThrow(
          `(it carries minos owner mark ${other.outs.owner}, another resource's); minos leaves it untouched`,
        );
        expect(await networkState(inputs.name)).toEqual(before);
      } finally {
        await networkProvider.delete(inputs.name, other.outs);
      }
    });

    it("after a failed create removes only what it defined", async () => {
      // Its addresses are taken by a running network of another name: net-start fails.
      const foreign = await foreignNetwork(`minos-t-other-${lv.pool.slice(-6)}`, third());
      const inputs = { ...net(), cidr: `10.214.${third()}.0/24`, hosts: [] };
      try {
        const before = await networkState(foreign);
        await expect(networkProvider.create(inputs)).rejects.toSatisfy(
          (e) => e instanceof VirshError && e.message.includes("net-start"),
        );
        await expect(virsh(lv.uri, ["net-info", inputs.name])).rejects.toSatisfy(
          (e) => e instanceof VirshError && e.notFound,
        );
        expect(await networkState(foreign)).toEqual(before);
      } finally {
        await dropNetwork(foreign);
        await dropNetwork(inputs.name);
      }
    });

    it("reads, updates and deletes only its own network: a replacement is left alone", async () => {
      const inputs = net();
      const created = await networkProvider.create(inputs);
      // Behind minos's back: its network goes, another takes the name.
      await dropNetwork(inputs.name);
      await foreignNetwork(inputs.name, third());
      const warn = vi.spyOn(log, "warn");
      try {
        const before = await networkState(inputs.name);
        expect(await networkProvider.read(inputs.name, created.outs)).toEqual({});
        await expect(
          networkProvider.update(inputs.name, created.outs, { ...inputs, hosts: [] }),
        ).rejects.toThrow(
          `minos: network "${inputs.name}" on ${lv.uri} is not the one this resource made (it carries no minos owner mark); minos leaves it untouched and changes nothing.`,
        );
        await networkProvider.delete(inputs.name, created.outs);
        expect(warn).toHaveBeenCalledWith(
          expect.stringContaining(`minos: leaving network "${inputs.name}" on ${lv.uri} untouched`),
        );
        expect(await networkState(inputs.name)).toEqual(before);
        // State written before minos marked networks has no owner: also not proof enough.
        const { owner: _, ...unmarked } = created.outs;
        await networkProvider.delete(inputs.name, unmarked);
        expect(await networkState(inputs.name)).toEqual(before);
      } finally {
        warn.mockRestore();
        await dropNetwork(inputs.name);
      }
    });
  });

  describe("BaseImage and Disk", () => {
    const image = (over: Partial<BaseImageInputs>): BaseImageInputs => ({
      uri: lv.uri,
      pool: lv.pool,
      url: `${base}/img/test.qcow2`,
      digest: { algorithm: "sha256", value: sha256(served.get("/img/test.qcow2") as Buffer) },
      format: "qcow2",
      compression: "none",
      ...over,
    });

    it("downloads, verifies and stores an image once, shared by digest", async () => {
      const inputs = image({});
      const first = await baseImageProvider.create(inputs);
      expect(first.outs.verified).toBe(`sha256:${sha256(served.get("/img/test.qcow2") as Buffer)}`);
      expect(readFileSync(first.outs.path)).toEqual(served.get("/img/test.qcow2"));
      const info = JSON.parse(
        execFileSync("qemu-img", ["info", "--output=json", first.outs.path]).toString(),
      );
      expect(info.format).toBe("qcow2");
      const downloads = hits.filter((h) => h === "/img/test.qcow2").length;
      const again = await baseImageProvider.create(inputs);
      expect(again.id).toBe(first.id);
      expect(hits.filter((h) => h === "/img/test.qcow2").length).toBe(downloads);
      await baseImageProvider.delete(first.id, first.outs);
      expect(await vols()).not.toContain(first.id);
    });

    it.each(["gz", "xz", "bz2"] as const)(
      "decompresses %s, verifying the published (compressed) bytes",
      async (compression) => {
        const body = served.get(`/img/test.qcow2.${compression}`) as Buffer;
        const created = await baseImageProvider.create(
          image({
            url: `${base}/img/test.qcow2.${compression}`,
            compression,
            digest: { algorithm: "sha256", value: sha256(body) },
          }),
        );
        expect(readFileSync(created.outs.path)).toEqual(served.get("/img/test.qcow2"));
        await baseImageProvider.delete(created.id, created.outs);
      },
    );

    it("finds the digest in a published digest list", async () => {
      const created = await baseImageProvider.create(
        image({ digest: { algorithm: "sha256", url: `${base}/img/SHA256SUMS` } }),
      );
      expect(created.outs.verified).toBe(
        `sha256:${sha256(served.get("/img/test.qcow2") as Buffer)}`,
      );
      await baseImageProvider.delete(created.id, created.outs);
    });

    it("keys unverified images by their full URL: two releases' files of one name get volumes of their own", async () => {
      const urls = ["v1.13.3", "v1.13.4"].map((v) => `${base}/${v}/metal-amd64.raw.xz`);
      const payloads = urls.map(() => randomBytes(256 * 1024));
      urls.forEach((url, i) => {
        served.set(
          new URL(url).pathname,
          execFileSync("xz", ["-c", "-0"], { input: payloads[i], maxBuffer: 2 ** 24 }),
        );
      });
      const unverified = (url: string) =>
        image({ url, digest: { insecureSkipVerify: true }, format: "raw", compression: "xz" });
      const [a, b] = [
        await baseImageProvider.create(unverified(urls[0] as string)),
        await baseImageProvider.create(unverified(urls[1] as string)),
      ] as const;
      try {
        expect(a.id).not.toBe(b.id);
        for (const [created, i] of [
          [a, 0],
          [b, 1],
        ] as const) {
          expect(created.id).toMatch(/^minos-base-url-[0-9a-f]{32}-xz\.raw$/);
          expect(created.outs.verified).toBe("unverified");
          expect(readFileSync(created.outs.path).equals(payloads[i] as Buffer)).toBe(true);
          expect(await readRecord(lv.uri, lv.pool, created.id)).toMatchObject({
            kind: "baseImage",
            source: { url: urls[i], compression: "xz" },
            sha256: sha256(payloads[i] as Buffer),
            bytes: 256 * 1024,
          });
        }
        // The same URL again: the volume is re-checked and shared, not downloaded twice.
        const downloads = hits.length;
        const again = await baseImageProvider.create(unverified(urls[0] as string));
        expect(again.id).toBe(a.id);
        expect(hits.length).toBe(downloads);
      } finally {
        await baseImageProvider.delete(a.id, a.outs);
        await baseImageProvider.delete(b.id, b.outs);
      }
      expect((await vols()).filter((v) => v.startsWith("minos-base-url-"))).toEqual([]);
    });

    it("re-checks a stored image before reusing it: a changed one, or one minos did not store, is refused and left alone", async () => {
      const inputs = image({});
      const created = await baseImageProvider.create(inputs);
      const file = created.outs.path;
      try {
        // Same size, other bytes: only hashing the volume notices.
        writeFileSync(file, Buffer.from("not the image"), { flag: "r+" });
        const changed = sha256(readFileSync(file));
        const downloads = hits.length;
        await expect(baseImageProvider.create(inputs)).rejects.toThrow(
          new RegExp(
            `^minos: volume "${lv.pool}/${created.id}" on ${lv.uri} is where minos keeps ${base}/img/test\\.qcow2, but it is not a base image minos stored \\(its content \\(sha256 ${changed}\\) is not what minos stored \\(${sha256(served.get("/img/test.qcow2") as Buffer)}\\)\\); minos leaves it untouched and does not use it`,
          ),
        );
        expect(sha256(readFileSync(file))).toBe(changed);
        expect(hits.length).toBe(downloads);
      } finally {
        await virsh(lv.uri, ["vol-delete", "--pool", lv.pool, created.id]);
        await virsh(lv.uri, ["vol-delete", "--pool", lv.pool, `${created.id}.minos-owner`]);
      }

      // A volume under the key that minos never stored (no record) is not used either.
      const url = `${base}/v9/metal-amd64.raw.xz`;
      const key = baseImageVolume(url, {}, "raw", "xz");
      await virsh(lv.uri, ["vol-create-as", lv.pool, key, "4096", "--format", "raw"]);
      try {
        const before = await virsh(lv.uri, ["vol-dumpxml", "--pool", lv.pool, key]);
        await expect(
          baseImageProvider.create(
            image({ url, digest: { insecureSkipVerify: true }, format: "raw", compression: "xz" }),
          ),
        ).rejects.toThrow(`(it has no minos ownership record ${key}.minos-owner)`);
        expect(await virsh(lv.uri, ["vol-dumpxml", "--pool", lv.pool, key])).toBe(before);
      } finally {
        await virsh(lv.uri, ["vol-delete", "--pool", lv.pool, key]);
      }
    });

    it("refuses a wrong digest, leaving no volume and no temporary file", async () => {
      const before = await vols();
      const wrong = "f".repeat(64);
      await expect(
        baseImageProvider.create(image({ digest: { algorithm: "sha256", value: wrong } })),
      ).rejects.toThrow(
        new RegExp(
          `has sha256 ${sha256(served.get("/img/test.qcow2") as Buffer)}, expected ${wrong}; nothing was stored`,
        ),
      );
      expect(await vols()).toEqual(before);
      expect(leftoverTemp()).toEqual([]);
    });

    it("makes an overlay disk backed by the base, and keeps the base while a disk uses it", async () => {
      const baseImage = await baseImageProvider.create(image({}));
      const disk = {
        uri: lv.uri,
        pool: lv.pool,
        name: "node-0.qcow2",
        basePath: baseImage.outs.path,
        baseFormat: "qcow2" as const,
        sizeGiB: 2,
      };
      const created = await diskProvider.create(disk);
      const info = JSON.parse(
        execFileSync("qemu-img", ["info", "--output=json", created.outs.path]).toString(),
      );
      expect(info).toMatchObject({
        format: "qcow2",
        "virtual-size": 2 * 2 ** 30,
        "backing-filename": baseImage.outs.path,
      });

      await baseImageProvider.delete(baseImage.id, baseImage.outs);
      expect(await vols()).toContain(baseImage.id);

      expect(await diskProvider.diff("node-0.qcow2", disk, { ...disk, sizeGiB: 3 })).toMatchObject({
        changes: true,
        replaces: [],
      });
      const grown = await diskProvider.update("node-0.qcow2", created.outs, {
        ...disk,
        sizeGiB: 3,
      });
      expect(grown.outs).toMatchObject({ path: created.outs.path, owner: created.outs.owner });
      expect(
        JSON.parse(
          execFileSync("qemu-img", ["info", "--output=json", created.outs.path]).toString(),
        )["virtual-size"],
      ).toBe(3 * 2 ** 30);
      expect(await diskProvider.diff("node-0.qcow2", disk, { ...disk, sizeGiB: 1 })).toMatchObject({
        replaces: ["sizeGiB"],
      });

      await diskProvider.delete("node-0.qcow2", created.outs);
      await diskProvider.delete("node-0.qcow2", created.outs);
      await baseImageProvider.delete(baseImage.id, baseImage.outs);
      expect(await vols()).not.toContain(baseImage.id);
    });
  });

  describe("ConfigDisk", () => {
    it("is mounted by a guest that reads its user-data from the CD-ROM", async () => {
      const userData = `#cloud-config\n# ${randomBytes(24).toString("hex")}\n`;
      const seed = {
        uri: lv.uri,
        pool: lv.pool,
        name: "probe-seed.iso",
        userData,
        metaData: "instance-id: probe\n",
      };
      const seedDisk = await configDiskProvider.create(seed);
      const serialLog = join(lv.poolDir, "cidata-serial.log");
      const inputs = guest("cidata", {
        disks: [{ pool: lv.pool, volume: "probe-seed.iso", format: "raw", device: "cdrom" }],
        serialLog,
        kernel: {
          path: join(GUEST_DIR, "vmlinuz"),
          initrd: probeInitrd(lv.poolDir, probes.cidata()),
          cmdline: "console=ttyS0 panic=-1 quiet",
        },
      });
      const started = Date.now();
      const domain = await domainProvider.create(inputs);
      const printed = await probeOutput(lv.uri, inputs.name, serialLog);
      console.log(
        `cidata guest: boot to power-off in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
      expect(printed.toString()).toBe(userData);
      await domainProvider.delete(inputs.name, domain.outs);
      await configDiskProvider.delete("probe-seed.iso", seedDisk.outs);
    }, 120_000);

    it.skipIf(!haveTool("isoinfo", "isoinfo"))(
      "stores a cidata ISO with the files NoCloud reads",
      async () => {
        const inputs = {
          uri: lv.uri,
          pool: lv.pool,
          name: "seed.iso",
          userData: "#cloud-config\nhostname: n0\n",
          metaData: "instance-id: n0\n",
        };
        const created = await configDiskProvider.create(inputs);
        expect(execFileSync("isoinfo", ["-d", "-i", created.outs.path]).toString()).toMatch(
          /Volume id: cidata/,
        );
        expect(
          execFileSync("isoinfo", ["-J", "-i", created.outs.path, "-x", "/user-data"]).toString(),
        ).toBe(inputs.userData);
        expect(
          execFileSync("isoinfo", ["-J", "-i", created.outs.path, "-x", "/meta-data"]).toString(),
        ).toBe(inputs.metaData);
        expect(leftoverTemp()).toEqual([]);
        await configDiskProvider.delete("seed.iso", created.outs);
        expect(await configDiskProvider.read("seed.iso", created.outs)).toEqual({});
      },
    );
  });

  describe("Domain", () => {
    it("boots a guest that reads our first-boot payload back through fw_cfg", async () => {
      const key = "opt/org.flatcar-linux/config";
      const payload = JSON.stringify({
        ignition: { version: "3.3.0" },
        nonce: randomBytes(48).toString("hex"),
      });
      const serialLog = join(lv.poolDir, "guest-serial.log");
      const inputs = guest("guest", {
        serialLog,
        kernel: {
          path: join(GUEST_DIR, "vmlinuz"),
          initrd: probeInitrd(lv.poolDir, probes.fwCfg(key)),
          cmdline: "console=ttyS0 panic=-1 quiet",
        },
        firstBoot: { kind: "fw_cfg", key, pool: lv.pool, payload },
      });
      const started = Date.now();
      const created = await domainProvider.create(inputs);
      expect(created.outs.virtType).toBe("qemu");
      const xml = await virsh(lv.uri, ["dumpxml", inputs.name]);
      expect(xml).toContain("<acpi/>");
      expect(xml).toMatch(
        /<entry name='opt\/org\.flatcar-linux\/config' file='[^']+\.firstboot'\/>/,
      );

      const printed = await probeOutput(lv.uri, inputs.name, serialLog);
      console.log(
        `fw_cfg guest: boot to power-off in ${((Date.now() - started) / 1000).toFixed(1)} s (${created.outs.virtType})`,
      );
      expect(printed.toString()).toBe(payload);

      expect((await domainProvider.read(inputs.name, created.outs)).id).toBe(inputs.name);
      await domainProvider.delete(inputs.name, created.outs);
      expect(await domainProvider.read(inputs.name, created.outs)).toEqual({});
      expect(await vols()).not.toContain(`${inputs.name}.firstboot`);
      expect(existsSync(serialLog)).toBe(false);
      await domainProvider.delete(inputs.name, created.outs);
    }, 120_000);

    it.skipIf(!runArm())(
      "boots an emulated aarch64 guest into UEFI from named AAVMF files, with an NVRAM of its own",
      async () => {
        const serialLog = join(lv.poolDir, "arm-serial.log");
        const inputs = guest("arm", {
          // auto: the host's KVM is for x86_64 guests only, so this must come out as emulation.
          virtType: "auto",
          arch: "aarch64",
          memoryMiB: 512,
          firmware: "uefi",
          uefiFirmware: AAVMF,
          serialLog,
          firstBoot: {
            kind: "fw_cfg",
            key: "opt/org.flatcar-linux/config",
            pool: lv.pool,
            payload: "{}",
          },
        });
        const created = await domainProvider.create(inputs);
        expect(created.outs.virtType).toBe("qemu");
        const xml = await virsh(lv.uri, ["dumpxml", inputs.name]);
        expect(xml).toContain(`<loader readonly='yes' type='pflash'>${AAVMF.code}</loader>`);
        const nvram = new RegExp(`<nvram template='${AAVMF.varsTemplate}'>([^<]+)</nvram>`).exec(
          xml,
        )?.[1];
        expect(nvram).toMatch(/_VARS\.fd$/);
        expect(existsSync(nvram as string)).toBe(true);
        // The firmware itself runs: EDK2 greets on the first serial port.
        const deadline = Date.now() + 60_000;
        const serial = () => (existsSync(serialLog) ? readFileSync(serialLog, "latin1") : "");
        while (!serial().includes("UEFI firmware") && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 500));
        expect(serial()).toContain("UEFI firmware");

        await domainProvider.delete(inputs.name, created.outs);
        expect(await domainProvider.read(inputs.name, created.outs)).toEqual({});
        expect(existsSync(nvram as string)).toBe(false);
      },
      120_000,
    );

    it("takes a new size and autostart in place: a running guest is restarted into it, nothing replaced", async () => {
      const inputs = guest("resize", {
        virtType: "qemu",
        memoryMiB: 128,
        // Panics without a root and reboots at once: it stays running, and ignores ACPI.
        kernel: { path: join(GUEST_DIR, "vmlinuz"), cmdline: "panic=-1" },
      });
      const created = await domainProvider.create(inputs);
      const bigger = { ...inputs, vcpus: 2, memoryMiB: 192, autostart: true };
      expect(await domainProvider.diff(inputs.name, inputs, bigger)).toMatchObject({
        changes: true,
        replaces: [],
      });
      const uuid = /<uuid>([^<]+)<\/uuid>/.exec(await virsh(lv.uri, ["dumpxml", inputs.name]))?.[1];
      const wait = shutdownWait.seconds;
      shutdownWait.seconds = 3;
      try {
        await domainProvider.update(inputs.name, created.outs, bigger);
        const xml = await virsh(lv.uri, ["dumpxml", inputs.name]);
        expect(xml).toContain(`<uuid>${uuid}</uuid>`);
        expect(xml).toMatch(/<vcpu placement='static'>2<\/vcpu>/);
        expect(xml).toContain("<memory unit='KiB'>196608</memory>");
        // Running again, now with the new size in the live definition too.
        expect((await virsh(lv.uri, ["domstate", inputs.name])).trim()).toBe("running");
        expect(await virsh(lv.uri, ["dominfo", inputs.name])).toMatch(/Autostart:\s+enable/);
        // And back down: limits lowered after the values under them.
        await domainProvider.update(inputs.name, { ...created.outs, ...bigger }, inputs);
        expect(await virsh(lv.uri, ["dumpxml", inputs.name])).toMatch(
          /<vcpu placement='static'>1<\/vcpu>/,
        );
        expect(await virsh(lv.uri, ["dominfo", inputs.name])).toMatch(/Autostart:\s+disable/);
      } finally {
        shutdownWait.seconds = wait;
      }
      await domainProvider.delete(inputs.name, created.outs);
    }, 120_000);

    it("names a guest by SMBIOS credential and reports the address its network leased it", async () => {
      const at = `10.215.${16 + ((createHash("sha256").update(lv.pool).digest()[2] ?? 0) % 224)}`;
      const network: NetworkInputs = {
        uri: lv.uri,
        name: `minos-t-dyn-${lv.pool.slice(-6)}`,
        cidr: `${at}.0/24`,
        hosts: [],
      };
      const net = await networkProvider.create(network);
      try {
        const serialLog = join(lv.poolDir, "named-serial.log");
        const inputs = guest("named", {
          network: { name: network.name, mac: "52:54:00:de:ad:01" },
          hostname: "lab-worker-general-0-1a2b",
          waitForAddress: 120,
          serialLog,
          kernel: {
            path: join(GUEST_DIR, "vmlinuz"),
            initrd: probeInitrd(lv.poolDir, probes.lease(probes.oemStrings())),
            cmdline: "console=ttyS0 panic=-1 quiet",
          },
        });
        const created = await domainProvider.create(inputs);
        const printed = (await probeOutput(lv.uri, inputs.name, serialLog)).toString();
        // The lease it reported is the one the guest took, from the range, not a reservation.
        expect(created.outs.address).toMatch(
          new RegExp(`^${at.replaceAll(".", "\\.")}\\.(12[89]|1[3-9]\\d|2[0-5]\\d)$`),
        );
        expect(printed).toContain(`lease=${created.outs.address}`);
        expect(printed).toContain(
          "io.systemd.credential:system.hostname=lab-worker-general-0-1a2b",
        );
        // A new name is a new guest, made before the old one goes.
        expect(
          await domainProvider.diff(inputs.name, inputs, { ...inputs, name: `${inputs.name}-2` }),
        ).toMatchObject({ replaces: ["name"], deleteBeforeReplace: false });
        await domainProvider.delete(inputs.name, created.outs);
      } finally {
        await networkProvider.delete(network.name, net.outs);
      }
    }, 180_000);

    it("notices a domain undefined behind its back", async () => {
      const inputs = guest("drift", {
        virtType: "qemu",
        memoryMiB: 64,
        kernel: { path: join(GUEST_DIR, "vmlinuz"), cmdline: "panic=-1" },
      });
      const created = await domainProvider.create(inputs);
      await virsh(lv.uri, ["destroy", inputs.name]);
      await virsh(lv.uri, ["undefine", inputs.name]);
      expect(await domainProvider.read(inputs.name, created.outs)).toEqual({});
      await domainProvider.delete(inputs.name, created.outs);
    });
  });

  describe("Ownership of volumes and domains", () => {
    /** The host path of a base image the disks here build on. */
    let basePath = "";
    /** A volume minos did not make, with bytes of its own. */
    async function foreignVolume(name: string): Promise<string> {
      const bytes = randomBytes(64 * 1024);
      await virsh(lv.uri, [
        "vol-create-as",
        lv.pool,
        name,
        String(bytes.length),
        "--format",
        "raw",
      ]);
      const file = join(lv.poolDir, "..", `minos-t-upload-${lv.pool}`);
      writeFileSync(file, bytes);
      try {
        await virsh(lv.uri, ["vol-upload", "--pool", lv.pool, name, file]);
      } finally {
        rmSync(file, { force: true });
      }
      return sha256(bytes);
    }
    /** A volume's bytes and its description, to compare before and after. */
    const volumeState = async (name: string) => ({
      sha256: sha256(readFileSync(join(lv.poolDir, name))),
      xml: (await virsh(lv.uri, ["vol-dumpxml", "--pool", lv.pool, name])).replace(
        /<atime>[^<]*<\/atime>/,
        "",
      ),
    });
    const dropVolume = (name: string) =>
      virsh(lv.uri, ["vol-delete", "--pool", lv.pool, name]).catch(() => undefined);

    /** A running domain minos did not make: no disks, SeaBIOS waits for one. */
    async function foreignDomain(name: string) {
      await withFile(
        `<domain type='qemu'><name>${name}</name><memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type arch='x86_64' machine='q35'>hvm</type><boot dev='hd'/></os><devices><serial type='pty'/></devices></domain>`,
        (file) => virsh(lv.uri, ["define", file]),
      );
      await virsh(lv.uri, ["start", name]);
    }
    const domainState = async (name: string) => ({
      live: await virsh(lv.uri, ["dumpxml", name]),
      persistent: await virsh(lv.uri, ["dumpxml", "--inactive", name]),
      state: (await virsh(lv.uri, ["domstate", name])).trim(),
    });
    const dropDomain = async (name: string) => {
      await virsh(lv.uri, ["destroy", name]).catch(() => undefined);
      await virsh(lv.uri, ["undefine", name]).catch(() => undefined);
    };

    beforeAll(async () => {
      if (!runReal) return;
      // A base to put overlays on.
      const image = await baseImageProvider.create({
        uri: lv.uri,
        pool: lv.pool,
        url: `${base}/img/test.qcow2`,
        digest: { algorithm: "sha256", value: sha256(served.get("/img/test.qcow2") as Buffer) },
        format: "qcow2",
        compression: "none",
      });
      basePath = image.outs.path;
    });
    const diskInputs = (name: string) => ({
      uri: lv.uri,
      pool: lv.pool,
      name,
      basePath: basePath,
      baseFormat: "qcow2" as const,
      sizeGiB: 1,
    });

    it("claims each volume it makes with a record next to it, and removes both", async () => {
      const created = await diskProvider.create(diskInputs("own-0.qcow2"));
      expect(await vols()).toEqual(
        expect.arrayContaining(["own-0.qcow2", "own-0.qcow2.minos-owner"]),
      );
      expect(await readRecord(lv.uri, lv.pool, "own-0.qcow2")).toEqual({
        minos: "https://minos.dev/libvirt/1",
        kind: "disk",
        volume: "own-0.qcow2",
        owner: created.outs.owner,
        backing: basePath,
      });
      const seed = await configDiskProvider.create({
        uri: lv.uri,
        pool: lv.pool,
        name: "own-0-seed.iso",
        userData: "#cloud-config\n",
        metaData: "instance-id: own-0\n",
      });
      const record = await readRecord(lv.uri, lv.pool, "own-0-seed.iso");
      expect(record).toMatchObject({ kind: "configDisk", owner: seed.outs.owner });
      expect((record as VolumeRecord).sha256).toBe(
        sha256(readFileSync(join(lv.poolDir, "own-0-seed.iso"))),
      );
      await diskProvider.delete("own-0.qcow2", created.outs);
      await configDiskProvider.delete("own-0-seed.iso", seed.outs);
      expect((await vols()).filter((v) => v.startsWith("own-0"))).toEqual([]);
    });

    it("refuses a volume of the same name it did not make, leaving it byte-identical", async () => {
      for (const name of ["theirs-0.qcow2", "theirs-0-seed.iso"]) await foreignVolume(name);
      try {
        const disk = await volumeState("theirs-0.qcow2");
        const iso = await volumeState("theirs-0-seed.iso");
        await expect(diskProvider.create(diskInputs("theirs-0.qcow2"))).rejects.toThrow(
          `minos: volume "${lv.pool}/theirs-0.qcow2" already exists on ${lv.uri} and minos did not make it for this resource (it has no minos ownership record theirs-0.qcow2.minos-owner); minos leaves it untouched.`,
        );
        await expect(
          configDiskProvider.create({
            uri: lv.uri,
            pool: lv.pool,
            name: "theirs-0-seed.iso",
            userData: "",
            metaData: "",
          }),
        ).rejects.toThrow(NotOwnedError);
        expect(await volumeState("theirs-0.qcow2")).toEqual(disk);
        expect(await volumeState("theirs-0-seed.iso")).toEqual(iso);
        expect((await vols()).filter((v) => v.startsWith("theirs-0"))).toEqual([
          "theirs-0-seed.iso",
          "theirs-0.qcow2",
        ]);
      } finally {
        for (const name of ["theirs-0.qcow2", "theirs-0-seed.iso"]) await dropVolume(name);
      }
    });

    it("reads, grows and deletes only its own volumes: replaced or changed ones are left alone", async () => {
      const disk = await diskProvider.create(diskInputs("swap-0.qcow2"));
      const seed = await configDiskProvider.create({
        uri: lv.uri,
        pool: lv.pool,
        name: "swap-0-seed.iso",
        userData: "#cloud-config\n",
        metaData: "instance-id: swap-0\n",
      });
      // Behind minos's back: the disk is replaced, the ISO written to.
      await dropVolume("swap-0.qcow2");
      await foreignVolume("swap-0.qcow2");
      writeFileSync(join(lv.poolDir, "swap-0-seed.iso"), "tampered", { flag: "r+" });
      const warn = vi.spyOn(log, "warn");
      try {
        const before = {
          disk: await volumeState("swap-0.qcow2"),
          seed: await volumeState("swap-0-seed.iso"),
        };
        expect(await diskProvider.read("swap-0.qcow2", disk.outs)).toEqual({});
        expect(await configDiskProvider.read("swap-0-seed.iso", seed.outs)).toEqual({});
        await expect(
          diskProvider.update("swap-0.qcow2", disk.outs, {
            ...diskInputs("swap-0.qcow2"),
            sizeGiB: 2,
          }),
        ).rejects.toThrow(
          `minos: volume "${lv.pool}/swap-0.qcow2" on ${lv.uri} is not the one this resource made (it is backed by nothing, not ${basePath} as when minos made it); minos leaves it untouched and changes nothing.`,
        );
        await diskProvider.delete("swap-0.qcow2", disk.outs);
        await configDiskProvider.delete("swap-0-seed.iso", seed.outs);
        expect(warn.mock.calls.map(([m]) => m)).toEqual([
          expect.stringMatching(
            `^minos: leaving volume "${lv.pool}/swap-0.qcow2" on ${lv.uri} untouched: it is not the one this resource made`,
          ),
          expect.stringMatching(
            /^minos: leaving volume "[^"]+\/swap-0-seed.iso" .* untouched: .*its content \(sha256 [0-9a-f]{64}\) is not what minos stored/,
          ),
        ]);
        expect({
          disk: await volumeState("swap-0.qcow2"),
          seed: await volumeState("swap-0-seed.iso"),
        }).toEqual(before);
        // Its own records went: nothing claims the volumes it left.
        expect((await vols()).filter((v) => v.startsWith("swap-0"))).toEqual([
          "swap-0-seed.iso",
          "swap-0.qcow2",
        ]);
      } finally {
        warn.mockRestore();
        await dropVolume("swap-0.qcow2");
        await dropVolume("swap-0-seed.iso");
      }
    });

    describe("domains", () => {
      // Every define costs this libvirt a capabilities probe (seconds): one
      // running domain minos did not make serves every test here.
      const theirs = () => `minos-t-theirs-${lv.pool.slice(-6)}`;
      beforeAll(async () => {
        if (runReal) await foreignDomain(theirs());
      });
      afterAll(async () => {
        if (runReal) await dropDomain(theirs());
      });

      it("refuses a domain of the same name it did not make, leaving it byte-identical and running", async () => {
        const inputs = {
          ...guest("x", {
            firstBoot: { kind: "fw_cfg", key: "opt/x", pool: lv.pool, payload: "{}" },
          }),
          name: theirs(),
        };
        const before = await domainState(theirs());
        const volumes = await vols();
        expect(before.state).toBe("running");
        await expect(domainProvider.create(inputs)).rejects.toThrow(NotOwnedError);
        await expect(domainProvider.create(inputs)).rejects.toThrow(
          `minos: domain "${theirs()}" already exists on ${lv.uri} and minos did not make it for this resource (it carries no minos owner mark); minos leaves it untouched.`,
        );
        expect(await domainState(theirs())).toEqual(before);
        expect(await vols()).toEqual(volumes);
      });

      it("after a failed create removes only what it made: not another's domain or log", async () => {
        const logs = mkdtempSync(join(tmpdir(), "minos-t-logs-"));
        const serialLog = join(logs, "failed-serial.log");
        writeFileSync(serialLog, "someone's log\n");
        // It defines, then cannot start: its disk does not exist.
        const inputs = guest("failing", {
          disks: [{ pool: lv.pool, volume: "no-such-disk.qcow2", format: "qcow2" }],
          serialLog,
          firstBoot: { kind: "fw_cfg", key: "opt/x", pool: lv.pool, payload: "{}" },
        });
        try {
          const before = await domainState(theirs());
          const volumes = await vols();
          await expect(domainProvider.create(inputs)).rejects.toSatisfy(
            (e) => e instanceof VirshError && e.message.includes(` start ${inputs.name}`),
          );
          await expect(virsh(lv.uri, ["dominfo", inputs.name])).rejects.toSatisfy(
            (e) => e instanceof VirshError && e.notFound,
          );
          // Its payload volume and that volume's record are gone again.
          expect(await vols()).toEqual(volumes);
          expect(readFileSync(serialLog, "utf8")).toBe("someone's log\n");
          expect(await domainState(theirs())).toEqual(before);
        } finally {
          await dropDomain(inputs.name);
          rmSync(logs, { recursive: true, force: true });
        }
      });

      it("marks its domain and payload volume, writes hostile strings libvirt reads back exactly, and deletes only what is still its own", async () => {
        const logs = mkdtempSync(join(tmpdir(), "minos-t-logs-"));
        chmodSync(logs, 0o755);
        const serialLog = join(logs, `a'b"c<d>e&f.log`);
        const cmdline = `panic=-1 x="<&'>"`;
        const inputs = guest("marked", {
          memoryMiB: 64,
          serialLog,
          kernel: { path: join(GUEST_DIR, "vmlinuz"), cmdline },
          firstBoot: { kind: "fw_cfg", key: "opt/x", pool: lv.pool, payload: '{"a":1}' },
        });
        const created = await domainProvider.create(inputs);
        const warn = vi.spyOn(log, "warn");
        try {
          const xml = await virsh(lv.uri, ["dumpxml", "--inactive", inputs.name]);
          expect(markIn(xml).owner).toBe(created.outs.owner);
          const parsed = fromXml<{
            domain: {
              os: { cmdline: string };
              devices: { serial: { source: { "@_path": string } } };
            };
          }>(xml);
          expect(parsed.domain.os.cmdline).toBe(cmdline);
          expect(parsed.domain.devices.serial.source["@_path"]).toBe(serialLog);
          const payload = `${inputs.name}.firstboot`;
          expect(await readRecord(lv.uri, lv.pool, payload)).toMatchObject({
            kind: "firstBoot",
            owner: created.outs.owner,
            sha256: sha256(Buffer.from('{"a":1}')),
          });
          expect((await domainProvider.read(inputs.name, created.outs)).id).toBe(inputs.name);

          // Behind minos's back, the domain becomes another resource's.
          await virsh(lv.uri, [
            "metadata",
            inputs.name,
            "https://minos.dev/libvirt/1",
            "--key",
            "minos",
            "--set",
            '<owner id="someone-else"/>',
            "--live",
            "--config",
          ]);
          const before = await domainState(inputs.name);
          expect(await domainProvider.read(inputs.name, created.outs)).toEqual({});
          await domainProvider.delete(inputs.name, created.outs);
          expect(warn).toHaveBeenCalledWith(
            `minos: leaving domain "${inputs.name}" on ${lv.uri} untouched: it is not the one this resource made (it carries minos owner mark someone-else, this resource's is ${created.outs.owner}). minos forgets this resource; the domain stays as it is.`,
          );
          expect(await domainState(inputs.name)).toEqual(before);
          expect(existsSync(serialLog)).toBe(true);
          // The payload volume's own record is this resource's: it goes.
          expect((await vols()).filter((v) => v.startsWith(payload))).toEqual([]);
        } finally {
          warn.mockRestore();
          await dropDomain(inputs.name);
          rmSync(logs, { recursive: true, force: true });
        }
      });
    });
  });
});

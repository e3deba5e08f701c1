import { createHash } from "node:crypto";
import { join } from "node:path";
import { FlatcarCluster } from "@minos/flatcar";
import { kvm } from "@minos/kvm";
import type { DomainInputs, NetworkInputs } from "@minos/libvirt";
import { domainProvider, networkProvider, virsh } from "@minos/libvirt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Libvirt } from "./support/libvirt.js";
import {
  GUEST_DIR,
  haveLibvirt,
  probeInitrd,
  probeOutput,
  probes,
  startLibvirt,
} from "./support/libvirt.js";
import type { RegisteredResource } from "./support/pulumi-mocks.js";
import { installMocks, plain, resolved } from "./support/pulumi-mocks.js";

const runReal = haveLibvirt();
const T = (kind: string) => `pulumi-nodejs:dynamic/minos-libvirt:${kind}`;

/**
 * What each probe guest prints: the address libvirt's DHCP leased to its
 * MAC, what the network's DNS answers for the API's name and for the load
 * balancers' reserved block (a TXT record), and the SHA-256 of the
 * first-boot payload it reads through fw_cfg.
 */
const PROBE = (key: string, apiName: string, blockName: string) =>
  probes.lease(
    [
      `/bin/busybox nslookup ${apiName} $ROUTER | /bin/busybox grep -A1 "Name:" | /bin/busybox sed -n 's/^Address[^:]*: *\\([0-9.]*\\).*/api=\\1/p'`,
      `/bin/busybox nslookup -type=txt ${blockName} $ROUTER | /bin/busybox sed -n 's/.*text = "\\([^"]*\\)".*/block=\\1/p'`,
      `echo "payload=$(/bin/busybox sha256sum /sys/firmware/qemu_fw_cfg/by_name/${key}/raw | /bin/busybox cut -d' ' -f1)"`,
    ].join("\n"),
  );

/** The program's inputs for one kind of libvirt object, one run of it per Kubernetes release. */
async function program(kubernetesVersion: string, cidr: string) {
  const registered = installMocks({ stack: "roll" });
  const cluster = new FlatcarCluster("rollreal", {
    platform: kvm({ cidr }),
    kubernetesVersion,
    nodePools: { general: { count: 1 } },
    sysext: { hashes: {} },
  });
  await resolved(cluster.nodeConfigs);
  await new Promise((r) => setTimeout(r, 100));
  const one = <I>(kind: string, name: string) =>
    plain<I>(registered.find((r) => r.type === T(kind) && r.name === name)?.inputs);
  return {
    network: one<NetworkInputs>("Network", "rollreal-net"),
    worker: one<DomainInputs>("Domain", "rollreal-worker-general-0"),
  };
}

/** The last octet of every DHCP host entry of a network's XML between `from` and `to`. */
const dhcpHostsIn = (xml: string, from: number, to: number) =>
  [...xml.matchAll(/<host mac='[^']*' name='[^']*' ip='\d+\.\d+\.\d+\.(\d+)'/g)]
    .map((m) => Number(m[1]))
    .filter((n) => n >= from && n <= to);

let lv: Libvirt;
let registered: RegisteredResource[];
beforeAll(() => {
  registered = installMocks();
  if (runReal) lv = startLibvirt();
}, 60_000);
afterAll(() => {
  if (runReal) lv.stop();
});

/**
 * A domain the program planned, as this host runs it: no disk, a probe
 * kernel that prints what `probe` reads, its payload by fw_cfg, on `network`.
 */
function onHost(
  planned: DomainInputs,
  network: string,
  tag: string,
  probe: (fwCfgKey: string) => string,
): DomainInputs & { serialLog: string; firstBoot: { payload: string } } {
  const firstBoot = planned.firstBoot as Extract<DomainInputs["firstBoot"], { kind: "fw_cfg" }>;
  return {
    ...planned,
    uri: lv.uri,
    name: `minos-t-${tag}-${lv.pool.slice(-6)}`,
    virtType: "qemu",
    vcpus: 1,
    memoryMiB: 256,
    disks: [],
    autostart: false,
    network: { mac: planned.network?.mac ?? "", name: network },
    firstBoot: { ...firstBoot, pool: lv.pool },
    serialLog: join(lv.poolDir, `${tag}.log`),
    kernel: {
      path: join(GUEST_DIR, "vmlinuz"),
      initrd: probeInitrd(lv.poolDir, probe(firstBoot.key)),
      cmdline: "console=ttyS0 panic=-1 quiet",
    },
  };
}

describe.skipIf(!runReal)("three KVM control-plane nodes against a real libvirtd", () => {
  it("defines the cluster's network with the API's virtual address and the load balancers' block reserved, and three control-plane domains that each get their own address and payload", async () => {
    // A /24 of its own per run, from the pool's random name.
    const third = 16 + ((createHash("sha256").update(lv.pool).digest()[1] ?? 0) % 224);
    const cidr = `10.214.${third}.0/24`;
    const cluster = new FlatcarCluster("hareal", {
      platform: kvm({ cidr }),
      controlPlane: { count: 3 },
      sysext: { hashes: { "kubernetes-v1.37.1-x86-64.raw": `sha256-${"c".repeat(64)}` } },
    });
    await resolved(cluster.nodeConfigs);
    await new Promise((r) => setTimeout(r, 100));
    const of = (kind: string) =>
      registered.filter((r) => r.type === T(kind) && r.name.startsWith("hareal-"));

    // The program's own network, on the test's host under a name of this run.
    const planned = plain<NetworkInputs>(of("Network")[0]?.inputs);
    const network: NetworkInputs = {
      ...planned,
      uri: lv.uri,
      name: `minos-t-ha-${lv.pool.slice(-6)}`,
    };
    const vip = `10.214.${third}.5`;
    expect(network.addresses).toEqual([{ ip: vip, name: "hareal-api" }]);
    // The load balancers' block: the 8 addresses just below the DHCP range.
    const block = `10.214.${third}.120-10.214.${third}.127`;
    expect(network.ranges).toEqual([
      { name: "hareal-load-balancers", first: `10.214.${third}.120`, last: `10.214.${third}.127` },
    ]);
    const created = await networkProvider.create(network);
    try {
      const xml = await virsh(lv.uri, ["net-dumpxml", network.name]);
      expect(xml).toContain(`<host ip='${vip}'>`);
      expect(xml).toContain("<hostname>hareal-api</hostname>");
      expect(xml).toContain(`<range start='10.214.${third}.128' end='10.214.${third}.254'`);
      // The block is in the running network's definition, and no lease or host entry is in it.
      expect(xml).toContain(`<txt name='hareal-load-balancers' value='${block}'/>`);
      expect(dhcpHostsIn(xml, 120, 127)).toEqual([]);
      expect(dhcpHostsIn(xml, 0, 255).length).toBe(3);

      const controlPlanes = of("Domain").filter((d) => d.name.includes("control-plane"));
      expect(controlPlanes.map((d) => d.name).sort()).toEqual([
        "hareal-control-plane-0",
        "hareal-control-plane-1",
        "hareal-control-plane-2",
      ]);
      const booted = await Promise.all(
        controlPlanes.map(async (d, i) => {
          const planned = plain<DomainInputs>(d.inputs);
          const inputs = onHost(planned, network.name, `ha${i}`, (key) =>
            PROBE(key, "hareal-api", "hareal-load-balancers"),
          );
          const made = await domainProvider.create(inputs);
          const printed = (
            await probeOutput(lv.uri, inputs.name, inputs.serialLog, 180_000)
          ).toString();
          await domainProvider.delete(inputs.name, made.outs);
          return { planned, printed, payload: inputs.firstBoot.payload };
        }),
      );
      const hosts = new Map(network.hosts.map((h) => [h.mac, h.ip]));
      for (const { planned, printed, payload } of booted) {
        // Each node gets the address the plan reserved for its MAC; none gets the virtual one.
        expect(printed).toContain(`lease=${hosts.get(planned.network?.mac ?? "")}`);
        expect(printed).not.toContain(`lease=${vip}`);
        // The network's DNS names the reservation: the API's name is the virtual address.
        expect(printed).toContain(`api=${vip}`);
        expect(printed).toContain(`block=${block}`);
        expect(printed).toContain(`payload=${createHash("sha256").update(payload).digest("hex")}`);
      }
      // Each kind of control-plane node runs kube-vip for that address.
      const payloads = booted.map((b) => b.payload);
      expect(payloads.every((p) => p.includes("kube-vip"))).toBe(true);

      // Back to one control-plane node: the reservation goes, in place.
      const single = { ...network, addresses: [] };
      expect(await networkProvider.diff(network.name, network, single)).toMatchObject({
        changes: true,
        replaces: [],
      });
      await networkProvider.update(network.name, created.outs, single);
      expect(await virsh(lv.uri, ["net-dumpxml", network.name])).not.toContain("hareal-api");
      await networkProvider.update(network.name, { ...created.outs, ...single }, network);
      expect(await virsh(lv.uri, ["net-dumpxml", network.name])).toContain(`<host ip='${vip}'>`);

      // Load balancers off, a smaller block, and back: the record changes in place, live and saved.
      const definitions = async () =>
        Promise.all([
          virsh(lv.uri, ["net-dumpxml", network.name]),
          virsh(lv.uri, ["net-dumpxml", "--inactive", network.name]),
        ]);
      const off = { ...network, ranges: [] };
      expect(await networkProvider.diff(network.name, network, off)).toMatchObject({
        changes: true,
        replaces: [],
      });
      await networkProvider.update(network.name, { ...created.outs, ...network }, off);
      for (const xml of await definitions()) expect(xml).not.toContain("<txt");
      const four = {
        ...network,
        ranges: [
          {
            name: "hareal-load-balancers",
            first: `10.214.${third}.124`,
            last: `10.214.${third}.127`,
          },
        ],
      };
      await networkProvider.update(network.name, { ...created.outs, ...off }, four);
      await networkProvider.update(network.name, { ...created.outs, ...four }, network);
      for (const xml of await definitions()) {
        expect(xml).toContain(`<txt name='hareal-load-balancers' value='${block}'/>`);
        expect(xml.match(/<txt /g)).toHaveLength(1);
      }
      await networkProvider.update(network.name, { ...created.outs, ...network }, four);
      for (const xml of await definitions())
        expect(xml).toContain(
          `<txt name='hareal-load-balancers' value='10.214.${third}.124-10.214.${third}.127'/>`,
        );
    } finally {
      await networkProvider.delete(network.name, created.outs);
    }
  }, 300_000);
});

describe.skipIf(!runReal)("a KVM worker rolling, against a real libvirtd", () => {
  it("makes the next generation beside the running one: its own name, MAC, host name and lease, then the old one goes", async () => {
    const third = 16 + ((createHash("sha256").update(lv.pool).digest()[3] ?? 0) % 224);
    const cidr = `10.216.${third}.0/24`;
    const before = await program("1.36.5", cidr);
    const after = await program("1.37.1", cidr);
    // A new release is a new generation: the same slot under another name.
    expect(after.worker.name).not.toBe(before.worker.name);
    expect(after.worker.network?.mac).not.toBe(before.worker.network?.mac);
    expect(
      await domainProvider.diff(before.worker.name, before.worker, after.worker),
    ).toMatchObject({
      replaces: expect.arrayContaining(["name"]),
      deleteBeforeReplace: false,
    });

    const network: NetworkInputs = {
      ...before.network,
      uri: lv.uri,
      name: `minos-t-roll-${lv.pool.slice(-6)}`,
    };
    const net = await networkProvider.create(network);
    try {
      // Each as the program has it, taking and printing its lease and its SMBIOS strings.
      const leasing = (planned: DomainInputs, tag: string) => ({
        ...onHost(planned, network.name, tag, () => probes.lease(probes.oemStrings())),
        waitForAddress: 120,
      });
      const old = leasing(before.worker, "roll-old");
      const next = leasing(after.worker, "roll-new");
      const made = await domainProvider.create(old);
      const oldPrinted = (await probeOutput(lv.uri, old.name, old.serialLog)).toString();
      // The old one is defined when the new one is made, as Pulumi's replacement makes it.
      expect(await virsh(lv.uri, ["domstate", old.name])).toBeTruthy();
      const replacement = await domainProvider.create(next);
      const newPrinted = (await probeOutput(lv.uri, next.name, next.serialLog)).toString();
      expect(made.outs.address).toBeDefined();
      expect(replacement.outs.address).toBeDefined();
      expect(replacement.outs.address).not.toBe(made.outs.address);
      expect(oldPrinted).toContain(`lease=${made.outs.address}`);
      expect(newPrinted).toContain(`lease=${replacement.outs.address}`);
      expect(oldPrinted).toContain(`system.hostname=${before.worker.hostname}`);
      expect(newPrinted).toContain(`system.hostname=${after.worker.hostname}`);
      // Then the old one goes, and the new one stays.
      await domainProvider.delete(old.name, made.outs);
      expect(await domainProvider.read(old.name, made.outs)).toEqual({});
      expect((await domainProvider.read(next.name, replacement.outs)).id).toBe(next.name);
      await domainProvider.delete(next.name, replacement.outs);
    } finally {
      await networkProvider.delete(network.name, net.outs);
    }
  }, 300_000);
});

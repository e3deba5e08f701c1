import { createHash } from "node:crypto";
import { join } from "node:path";
import { FlatcarCluster } from "@minos/flatcar";
import { kvm } from "@minos/kvm";
import {
  type DomainInputs,
  domainProvider,
  type NetworkInputs,
  networkProvider,
  virsh,
} from "@minos/libvirt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  GUEST_DIR,
  haveLibvirt,
  type Libvirt,
  probeInitrd,
  probeOutput,
  probes,
  startLibvirt,
} from "./support/libvirt.js";
import { installMocks, plain, resolved } from "./support/pulumi-mocks.js";

const runReal = haveLibvirt();
const T = (kind: string) => `pulumi-nodejs:dynamic/minos-libvirt:${kind}`;

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

let lv: Libvirt;
beforeAll(() => {
  if (runReal) lv = startLibvirt();
}, 60_000);
afterAll(() => {
  if (runReal) lv.stop();
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
      // Each as the program has it, on this host: no disk, a probe kernel, its payload by fw_cfg.
      const onHost = (planned: DomainInputs, tag: string): DomainInputs => {
        const firstBoot = planned.firstBoot as Extract<
          DomainInputs["firstBoot"],
          { kind: "fw_cfg" }
        >;
        return {
          ...planned,
          uri: lv.uri,
          name: `${planned.name}-${lv.pool.slice(-6)}`,
          virtType: "qemu",
          vcpus: 1,
          memoryMiB: 256,
          disks: [],
          autostart: false,
          network: { mac: planned.network?.mac ?? "", name: network.name },
          firstBoot: { ...firstBoot, pool: lv.pool },
          waitForAddress: 120,
          serialLog: join(lv.poolDir, `roll-${tag}.log`),
          kernel: {
            path: join(GUEST_DIR, "vmlinuz"),
            initrd: probeInitrd(lv.poolDir, probes.lease(probes.oemStrings())),
            cmdline: "console=ttyS0 panic=-1 quiet",
          },
        };
      };
      const old = onHost(before.worker, "old");
      const next = onHost(after.worker, "new");
      const made = await domainProvider.create(old);
      const oldPrinted = (await probeOutput(lv.uri, old.name, old.serialLog as string)).toString();
      // The old one is defined when the new one is made, as Pulumi's replacement makes it.
      expect(await virsh(lv.uri, ["domstate", old.name])).toBeTruthy();
      const replacement = await domainProvider.create(next);
      const newPrinted = (
        await probeOutput(lv.uri, next.name, next.serialLog as string)
      ).toString();
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

import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { fileContents } from "../../../test/support/ignition-files.js";
import { render } from "../src/index.js";

/** The payload `minos render <os> --role <role> --platform <platform>` prints. */
async function payload(os: string, role: string, platform: string): Promise<string> {
  const result = await render([os, "--role", role, "--platform", platform]);
  if (result === "help") throw new Error("unexpected help");
  return result.payload;
}

/** Whether a payload is an Ignition config that only points to the stored one. */
const isPointer = (p: string) => JSON.parse(p).ignition?.config?.replace !== undefined;

describe("minos render: the external cloud provider on AWS and GCP", () => {
  it.each([
    ["flatcar", "aws", "aws"],
    ["flatcar", "gcp", "gcp"],
    ["fcos", "aws", "aws"],
    ["fcos", "gcp", "gcp"],
  ])(
    "%s on %s: kubelet with --cloud-provider=external, its provider ID read before kubeadm",
    async (os, platform, cloud) => {
      for (const role of ["control-plane", "control-plane-join", "worker"]) {
        const p = await payload(os, role, platform);
        // The stored payload is what `render` prints, never the pointer.
        expect(isPointer(p)).toBe(false);
        const kubeadm = fileContents(p, "/etc/kubernetes/kubeadm.yaml");
        expect(kubeadm).toMatch(/- name: cloud-provider\n\s+value: external/);
        expect(kubeadm).toContain("patches:\n  directory: /etc/kubernetes/patches");
        const script = fileContents(p, "/etc/minos/provider-id.sh");
        expect(script).toContain(
          cloud === "aws" ? 'provider="aws:///$zone/$id"' : 'provider="gce://$project/$zone/$name"',
        );
        const units = JSON.parse(p).systemd.units as {
          name: string;
          enabled?: boolean;
          contents?: string;
        }[];
        const unit = units.find((u) => u.name === "minos-provider-id.service");
        expect(unit?.enabled).toBe(true);
        expect(unit?.contents).toContain("RequiredBy=kubeadm.service");
      }
    },
  );

  it.each(["flatcar", "fcos"])("%s on KVM: no cloud provider, no provider ID", async (os) => {
    const p = await payload(os, "worker", "kvm");
    expect(fileContents(p, "/etc/kubernetes/kubeadm.yaml")).not.toContain("cloud-provider");
    expect(JSON.stringify(JSON.parse(p).systemd.units)).not.toContain("minos-provider-id");
  });

  it.each(["aws", "gcp"])(
    "talos on %s: cluster.externalCloudProvider enabled on every role",
    async (platform) => {
      for (const role of ["control-plane", "worker"]) {
        const config = parseYaml(
          (await payload("talos", role, platform)).split("\n---\n")[0] ?? "",
        );
        expect(config.cluster.externalCloudProvider).toEqual({ enabled: true });
        // AWS's controller finds a node by its private DNS name, the FQDN Talos takes from metadata.
        expect(config.machine.kubelet.registerWithFQDN).toBe(platform === "aws" ? true : undefined);
      }
    },
  );

  it("talos on KVM: none", async () => {
    const config = parseYaml((await payload("talos", "worker", "kvm")).split("\n---\n")[0] ?? "");
    expect(config.cluster.externalCloudProvider).toBeUndefined();
  });

  it("bottlerocket on AWS joining a minos cluster: cloud-provider external", async () => {
    const settings = parse(await payload("bottlerocket", "worker", "aws")) as {
      settings: { kubernetes: Record<string, unknown> };
    };
    expect(settings.settings.kubernetes["cloud-provider"]).toBe("external");
    // Named by its instance ID, which AWS's controller takes as the instance.
    expect(settings.settings.kubernetes["hostname-override-source"]).toBe("instance-id");
  });
});

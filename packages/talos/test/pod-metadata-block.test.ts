import type { MinosPlatform, NodeRole } from "@minos/core";
import { GCE_METADATA_ADDRESS, POD_METADATA_BLOCK_TABLE } from "@minos/core/render";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { MetadataNetns } from "../../../test/support/metadata-netns.js";
import { canUseNetns, metadataNetns } from "../../../test/support/metadata-netns.js";
import { renderNode } from "../../../test/support/secrets.js";
import { haveTool } from "../../../test/support/system-tools.js";
import { talosOs } from "../src/index.js";
import { POD_METADATA_BLOCK_POD } from "../src/pod-metadata-block.js";
import type { Parsed } from "./secrets-fixture.js";
import { talosSecretsFixture } from "./secrets-fixture.js";
import { undocumentedFields } from "./talos-v1alpha1-fields.js";

const secrets = talosSecretsFixture();

/** The static pods of a node's machine config. */
const pods = (role: NodeRole, platform: MinosPlatform): Parsed[] =>
  parse(
    renderNode(talosOs(), role, platform, secrets.cluster, {
      kubernetesVersion: "1.35.2",
      osSecrets: secrets.talos,
    }).payload,
  ).machine.pods ?? [];

/** The one container's command: nft and its ruleset. */
const nftCommand = () => {
  const [pod] = pods("worker", "gcp");
  return (pod?.spec.containers[0].command ?? []) as string[];
};

describe("Talos nodes and the GCE metadata server", () => {
  it.each<NodeRole>(["control-plane", "control-plane-join", "worker"])(
    "a %s node on GCE runs the block as a static pod from the release's kube-proxy image; elsewhere none",
    (role) => {
      const [pod, ...more] = pods(role, "gcp");
      expect(more).toEqual([]);
      expect(pod?.metadata).toMatchObject({
        name: POD_METADATA_BLOCK_POD,
        namespace: "kube-system",
      });
      expect(pod?.spec).toMatchObject({
        hostNetwork: true,
        restartPolicy: "OnFailure",
        containers: [
          {
            image: "registry.k8s.io/kube-proxy:v1.35.2",
            securityContext: { capabilities: { drop: ["ALL"], add: ["NET_ADMIN"] } },
          },
        ],
      });
      for (const platform of ["aws", "kvm"] as const) expect(pods(role, platform)).toEqual([]);
    },
  );

  it("the machine config with the pod names only fields of the v1alpha1 reference", () => {
    const payload = renderNode(talosOs(), "worker", "gcp", secrets.cluster, {
      osSecrets: secrets.talos,
    }).payload;
    expect(undocumentedFields(parse(payload))).toEqual([]);
  });

  it("the container runs nft with the ruleset as its one argument: no shell, no file", () => {
    const [binary, ruleset, ...rest] = nftCommand();
    expect(binary).toBe("nft");
    expect(rest).toEqual([]);
    expect(ruleset).toContain(`ip daddr ${GCE_METADATA_ADDRESS} counter drop`);
    expect(ruleset).toContain("type filter hook prerouting priority raw;");
  });

  const real = canUseNetns() && haveTool("nft", "nft");
  describe.skipIf(!real)("the pod's own command, with the real nft, in network namespaces", () => {
    let net: MetadataNetns;
    beforeAll(async () => {
      net = await metadataNetns();
    }, 30_000);
    afterAll(() => net?.close());

    it("without it a pod reaches metadata: what it changes is there to see", () => {
      expect(net.ask(net.ns.pod, "http")).toBe("metadata");
    });

    it("passes nft's own check, and a second run replaces the first", () => {
      const [, ruleset] = nftCommand();
      const { inNs, ns } = net;
      expect(() => inNs(ns.node, "nft", "-c", ruleset as string)).not.toThrow();
      inNs(ns.node, "nft", ruleset as string);
      inNs(ns.node, "nft", ruleset as string);
      const listed = inNs(ns.node, "nft", "list", "ruleset");
      expect(listed.match(new RegExp(`table ip ${POD_METADATA_BLOCK_TABLE} `, "g"))).toHaveLength(
        1,
      );
      expect(listed.match(/ drop /g)).toHaveLength(1);
    });

    it("a pod cannot reach metadata over HTTP; the node itself can", () => {
      expect(net.ask(net.ns.pod, "http")).toBe("blocked");
      expect(net.ask(net.ns.node, "http")).toBe("metadata");
    });

    it("a pod still reaches the VPC's resolver on port 53", () => {
      expect(net.ask(net.ns.pod, "dns")).toBe("dns?");
    });
  });
});

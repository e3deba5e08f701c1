import type { NodeOs } from "@minos/core";
import type { BottlerocketOptions } from "./node-renderer.js";
import { rendererOf, resolveBottlerocketOptions, unsupported } from "./node-renderer.js";
import type { JoinMode } from "./settings.js";
import { amiParameter } from "./variants.js";

export type { BottlerocketOptions } from "./node-renderer.js";

/**
 * Bottlerocket as a minos NodeOs: workers only, on AWS only (GCP has no
 * Bottlerocket images, and its QEMU route joins no cluster), configured by a
 * settings TOML in user data; refuses a cluster whose CNI it cannot run.
 */
export function bottlerocketOs(
  options: BottlerocketOptions,
  join: JoinMode,
  kubernetesVersion: string,
): NodeOs {
  const resolved = resolveBottlerocketOptions(options, kubernetesVersion);
  return {
    ...rendererOf(resolved, join),
    // No updatesInPlace: without its update operator Bottlerocket never updates
    // itself, so a new AMI rolls its pools (coordinated) or waits for new machines (off).
    // The kubelet's TLS bootstrap takes the pool's token; on EKS, the node's IAM role instead.
    workerToken: join.kind === "eks" ? "none" : "tls-bootstrap",
    image: (platform, arch) => {
      if (platform !== "aws") throw unsupported(platform);
      // Bottlerocket keeps the OS on /dev/xvda and everything else on a data volume.
      if (options.amiId)
        return { platform, kind: "ami", id: options.amiId, dataVolumeDevice: "/dev/xvdb" };
      return {
        platform,
        kind: "ssm-parameter",
        parameter: amiParameter(resolved.variant, arch),
        dataVolumeDevice: "/dev/xvdb",
      };
    },
  };
}

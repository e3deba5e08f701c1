import type { Arch } from "@minos/core/render";
import { MinosError, parseKubernetesVersion } from "@minos/core/render";
import { BOTTLEROCKET_KUBERNETES_MINORS } from "./versions.js";

/** The variant's flavor: plain, with NVIDIA drivers, or FIPS-validated crypto. */
export type BottlerocketFlavor = "standard" | "nvidia" | "fips";
const FLAVORS: readonly BottlerocketFlavor[] = ["standard", "nvidia", "fips"];

/** SSM and Bottlerocket name architectures as the kernel does. */
const SSM_ARCH: Record<Arch, string> = { amd64: "x86_64", arm64: "arm64" };

/** The AWS Kubernetes variant for a cluster's Kubernetes version: `aws-k8s-1.35-nvidia`. */
export function bottlerocketVariant(
  kubernetesVersion: string,
  flavor: BottlerocketFlavor = "standard",
  argument = "kubernetesVersion",
): string {
  const { major, minor } = parseKubernetesVersion(argument, kubernetesVersion);
  const { min, max } = BOTTLEROCKET_KUBERNETES_MINORS;
  if (minor < min || minor > max)
    throw new MinosError(
      argument,
      kubernetesVersion,
      `Bottlerocket's aws-k8s variants cover Kubernetes 1.${min} to 1.${max}; a node's kubelet must match its cluster's minor`,
    );
  if (!FLAVORS.includes(flavor))
    throw new MinosError("flavor", flavor, `use ${FLAVORS.join(", ")}`);
  return `aws-k8s-${major}.${minor}${flavor === "standard" ? "" : `-${flavor}`}`;
}

/** AWS's public SSM parameter holding the variant's newest AMI id for an architecture. */
export function amiParameter(variant: string, arch: Arch): string {
  return `/aws/service/bottlerocket/${variant}/${SSM_ARCH[arch]}/latest/image_id`;
}

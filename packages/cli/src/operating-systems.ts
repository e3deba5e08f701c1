import { bottlerocketOs } from "@minos/bottlerocket";
import { DEFAULT_KUBERNETES_VERSION, KUBERNETES_SUPPORT, type NodeOs } from "@minos/core";
import { fcosOs } from "@minos/fcos";
import { flatcarOs } from "@minos/flatcar";
import { talosOs } from "@minos/talos";
import { generateTalosSecrets } from "./local-secrets.js";

/** An OS `minos render` knows: how to make it, and the secrets of its own it needs. */
export interface RenderableOs {
  /** The OS, for a cluster of this Kubernetes version (unset: the OS's default). */
  make(kubernetesVersion?: string): NodeOs;
  /** Throwaway secrets of the OS's own (Talos), kept under `os.<name>` in a secrets file. */
  secrets?(): Promise<unknown>;
}

/** The OSes `minos render` knows, by the name given on the command line. */
export const OPERATING_SYSTEMS: Record<string, RenderableOs> = {
  flatcar: { make: () => flatcarOs() },
  fcos: { make: () => fcosOs() },
  bottlerocket: {
    // Joining a minos cluster: TLS bootstrap with the cluster's token.
    make: (kubernetesVersion) =>
      bottlerocketOs(
        {},
        { kind: "bootstrap-token" },
        kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION,
      ),
  },
  talos: {
    make: () => talosOs(),
    secrets: generateTalosSecrets,
  },
};

/** Each OS's default Kubernetes version, for help text: `flatcar 1.37.1, fcos 1.35.6, ...`. */
export function defaultKubernetesVersions(): string {
  return Object.entries(OPERATING_SYSTEMS)
    .map(([name, os]) => `${name} ${(os.make().kubernetes ?? KUBERNETES_SUPPORT).defaultVersion}`)
    .join(", ");
}

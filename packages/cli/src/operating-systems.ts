import { bottlerocketOs } from "@minos/bottlerocket";
import { DEFAULT_KUBERNETES_VERSION, type NodeOs } from "@minos/core";
import { fcosOs } from "@minos/fcos";
import { flatcarOs } from "@minos/flatcar";
import { DEFAULT_TALOS_KUBERNETES_VERSION, talosOs } from "@minos/talos";
import { generateTalosSecrets } from "./local-secrets.js";

/** An OS `minos render` knows: how to make it, and the secrets of its own it needs. */
export interface RenderableOs {
  make(kubernetesVersion: string): NodeOs;
  /** The Kubernetes version its clusters get by default. */
  kubernetesVersion: string;
  /** Throwaway secrets of the OS's own (Talos), kept under `os.<name>` in a secrets file. */
  secrets?(): Promise<unknown>;
}

/** The OSes `minos render` knows, by the name given on the command line. */
export const OPERATING_SYSTEMS: Record<string, RenderableOs> = {
  flatcar: { make: () => flatcarOs(), kubernetesVersion: DEFAULT_KUBERNETES_VERSION },
  fcos: { make: () => fcosOs(), kubernetesVersion: DEFAULT_KUBERNETES_VERSION },
  bottlerocket: {
    // Joining a minos cluster: TLS bootstrap with the cluster's token.
    make: (kubernetesVersion) => bottlerocketOs({}, { kind: "bootstrap-token" }, kubernetesVersion),
    kubernetesVersion: DEFAULT_KUBERNETES_VERSION,
  },
  talos: {
    make: () => talosOs(),
    kubernetesVersion: DEFAULT_TALOS_KUBERNETES_VERSION,
    secrets: generateTalosSecrets,
  },
};

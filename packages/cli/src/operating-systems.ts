import { bottlerocketRenderer } from "@minos/bottlerocket/render";
import {
  DEFAULT_KUBERNETES_VERSION,
  KUBERNETES_SUPPORT,
  type NodeRenderer,
} from "@minos/core/render";
import { fcosRenderer } from "@minos/fcos/render";
import { flatcarRenderer } from "@minos/flatcar/render";
import { talosRenderer } from "@minos/talos/render";
import { generateTalosSecrets } from "./local-secrets.js";

/**
 * An OS `minos render` knows: how to make its renderer, and the secrets of
 * its own it needs. Renderers come from each OS package's `/render` entry,
 * so rendering loads no Pulumi SDK.
 */
export interface RenderableOs {
  /** The OS's renderer, for a cluster of this Kubernetes version (unset: the OS's default). */
  make(kubernetesVersion?: string): NodeRenderer;
  /** Throwaway secrets of the OS's own (Talos), kept under `os.<name>` in a secrets file. */
  secrets?(): Promise<unknown>;
}

/** The OSes `minos render` knows, by the name given on the command line. */
export const OPERATING_SYSTEMS: Record<string, RenderableOs> = {
  flatcar: { make: () => flatcarRenderer() },
  fcos: { make: () => fcosRenderer() },
  bottlerocket: {
    // Joining a minos cluster: TLS bootstrap with the cluster's token.
    make: (kubernetesVersion) =>
      bottlerocketRenderer(
        {},
        { kind: "bootstrap-token" },
        kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION,
      ),
  },
  talos: {
    make: () => talosRenderer(),
    secrets: generateTalosSecrets,
  },
};

/** Each OS's default Kubernetes version, for help text: `flatcar 1.37.1, fcos 1.35.6, ...`. */
export function defaultKubernetesVersions(): string {
  return Object.entries(OPERATING_SYSTEMS)
    .map(([name, os]) => `${name} ${(os.make().kubernetes ?? KUBERNETES_SUPPORT).defaultVersion}`)
    .join(", ");
}

import type { NodeRenderer } from "@minos/core/render";
import { DEFAULT_KUBERNETES_VERSION, KUBERNETES_SUPPORT } from "@minos/core/render";
import { fcosRenderer } from "@minos/fcos/render";
import { flatcarRenderer } from "@minos/flatcar/render";
import { talosRenderer } from "@minos/talos/render";
import { generateTalosSecrets } from "./local-secrets.js";
import { optionalPeer } from "./optional-peer.js";

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
  /**
   * Imports the OS's package where it is an optional peer of @minos/cli
   * (Bottlerocket, whose workers run on AWS alone); `make` works once it resolved.
   */
  load?(): Promise<void>;
  /** The Kubernetes version `make()` defaults to, where it is known without `load`. */
  defaultKubernetesVersion?: string;
  /**
   * What `--files` writes: the files an Ignition config lays down, or the
   * one document the OS reads, under this name.
   */
  files: "ignition" | { document: string };
}

let bottlerocket: typeof import("@minos/bottlerocket/render") | undefined;

/** The OSes `minos render` knows, by the name given on the command line. */
export const OPERATING_SYSTEMS: Record<string, RenderableOs> = {
  flatcar: { make: () => flatcarRenderer(), files: "ignition" },
  fcos: { make: () => fcosRenderer(), files: "ignition" },
  bottlerocket: {
    load: async () => {
      bottlerocket ??= await optionalPeer(
        "@minos/bottlerocket",
        () => import("@minos/bottlerocket/render"),
        "minos render bottlerocket",
      );
    },
    // Joining a minos cluster: TLS bootstrap with the cluster's token.
    make: (kubernetesVersion) => {
      if (!bottlerocket) throw new Error("minos render: bottlerocket is not loaded");
      return bottlerocket.bottlerocketRenderer(
        {},
        { kind: "bootstrap-token" },
        kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION,
      );
    },
    defaultKubernetesVersion: DEFAULT_KUBERNETES_VERSION,
    files: { document: "user-data.toml" },
  },
  talos: {
    make: () => talosRenderer(),
    secrets: generateTalosSecrets,
    files: { document: "machine-config.yaml" },
  },
};

/** Each OS's default Kubernetes version, for help text: `flatcar 1.37.1, fcos 1.35.6, ...`. */
export function defaultKubernetesVersions(): string {
  return Object.entries(OPERATING_SYSTEMS)
    .map(
      ([name, os]) =>
        `${name} ${os.defaultKubernetesVersion ?? (os.make().kubernetes ?? KUBERNETES_SUPPORT).defaultVersion}`,
    )
    .join(", ");
}

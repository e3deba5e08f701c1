import type { Arch, ignition, KubernetesVersion } from "@minos/core/render";
import { MinosError, optionKeys, refuseUnknownKeys, validateHttpUrl } from "@minos/core/render";

/** Where Flatcar's sysext-bakery publishes its images. */
export const DEFAULT_SYSEXT_BASE_URL = "https://extensions.flatcar.org/extensions";

/** How nodes get kubeadm, kubelet and kubectl: a systemd-sysext image. */
export interface KubernetesSysextOptions {
  /**
   * Base URL of the sysext-bakery or your mirror of it (air-gapped sites).
   * Nodes fetch `<baseUrl>/kubernetes-v<version>-<arch>.raw`; sysupdate looks
   * for newer patch releases under `<baseUrl>/kubernetes/`. Default
   * `https://extensions.flatcar.org/extensions`.
   */
  baseUrl?: string;
  /**
   * Pins images by file name, Ignition-style: `{ "kubernetes-v1.37.1-x86-64.raw":
   * "sha256-<hex>" }` (or `sha512-`). Ignition refuses an image whose hash
   * differs. Keyed by file name so a version change can never reuse a stale
   * hash. Default none: the image is fetched over HTTPS unpinned, and
   * FlatcarCluster warns.
   */
  hashes?: Record<string, string>;
  /**
   * Let systemd-sysupdate fetch newer patch releases of the same minor (never
   * the next minor) and touch `/run/reboot-required`; with coordinated OS
   * updates kured reboots nodes into them one at a time. Default false.
   */
  autoUpdate?: boolean;
}

const SYSEXT_KEYS = optionKeys<KubernetesSysextOptions>({
  baseUrl: true,
  hashes: true,
  autoUpdate: true,
});

const HASH = /^(sha256-[0-9a-f]{64}|sha512-[0-9a-f]{128})$/;

/** systemd's architecture names, which sysext-bakery's file names use. */
const SYSEXT_ARCH: Record<Arch, string> = { amd64: "x86-64", arm64: "arm64" };

export const SYSEXT_DIR = "/opt/extensions/kubernetes";
export const SYSEXT_LINK = "/etc/extensions/kubernetes.raw";

/** The sysext image's file name for a Kubernetes version and architecture. */
export function sysextFileName(kubernetes: KubernetesVersion, arch: Arch): string {
  return `kubernetes-v${kubernetes.text}-${SYSEXT_ARCH[arch]}.raw`;
}

/** Validates sysext options; returns them with defaults applied. */
export function resolveSysext(
  argument: string,
  o: KubernetesSysextOptions = {},
): Required<KubernetesSysextOptions> {
  if (typeof o !== "object" || o === null)
    throw new MinosError(argument, o, "use { baseUrl?, hashes?, autoUpdate? }");
  refuseUnknownKeys(argument, o, SYSEXT_KEYS);
  const baseUrl = validateHttpUrl(`${argument}.baseUrl`, o.baseUrl ?? DEFAULT_SYSEXT_BASE_URL);
  const hashes = o.hashes ?? {};
  for (const [file, hash] of Object.entries(hashes)) {
    if (!/^kubernetes-v\d+\.\d+\.\d+-(x86-64|arm64)\.raw$/.test(file)) {
      throw new MinosError(
        `${argument}.hashes key`,
        file,
        'use a sysext file name like "kubernetes-v1.37.1-x86-64.raw"',
      );
    }
    if (typeof hash !== "string" || !HASH.test(hash)) {
      throw new MinosError(
        `${argument}.hashes.${file}`,
        hash,
        'use "sha256-<64 hex>" or "sha512-<128 hex>"',
      );
    }
  }
  if (o.autoUpdate !== undefined && typeof o.autoUpdate !== "boolean")
    throw new MinosError(`${argument}.autoUpdate`, o.autoUpdate, "use true or false");
  return { baseUrl, hashes, autoUpdate: o.autoUpdate ?? false };
}

/**
 * Refuses hashes that pin only other builds than the cluster's: its nodes
 * would fetch their own unverified, under a config that looks pinned.
 * Several pins are fine (one per release, across an upgrade) as long as
 * the running one is among them.
 */
export function refuseOtherPins(
  options: Required<KubernetesSysextOptions>,
  kubernetes: KubernetesVersion,
  arch: Arch,
): void {
  const pinned = Object.keys(options.hashes);
  const file = sysextFileName(kubernetes, arch);
  if (pinned.length > 0 && !pinned.includes(file))
    throw new MinosError(
      "sysext.hashes",
      pinned,
      `the cluster runs Kubernetes ${kubernetes.text} on ${arch}, whose sysext is ${file}; pin it too (its hash from the bakery's SHA256SUMS), or nodes fetch it unverified`,
    );
}

/**
 * The Ignition parts that install Kubernetes from the sysext, as Flatcar's
 * Kubernetes guide lays them out: the image under /opt/extensions, linked
 * from /etc/extensions, and a sysupdate transfer that stays within the minor
 * version (an unattended minor upgrade would outrun the control plane).
 */
export function sysextIgnition(
  kubernetes: KubernetesVersion,
  arch: Arch,
  options: Required<KubernetesSysextOptions>,
): Pick<ignition.IgnitionSpec, "files" | "links" | "units"> {
  const { major, minor } = kubernetes;
  const file = sysextFileName(kubernetes, arch);
  const hash = options.hashes[file];
  const transfer = [
    "[Transfer]",
    "Verify=false",
    "",
    "[Source]",
    "Type=url-file",
    `Path=${options.baseUrl}/kubernetes/`,
    `MatchPattern=kubernetes-v${major}.${minor}.@v-%a.raw`,
    "",
    "[Target]",
    "InstancesMax=3",
    "Type=regular-file",
    `Path=${SYSEXT_DIR}`,
    `CurrentSymlink=${SYSEXT_LINK}`,
    "",
  ].join("\n");
  // systemd-sysupdate.service runs the default component too; give it nothing to do.
  const noop = [
    "[Source]",
    "Type=regular-file",
    "Path=/",
    "MatchPattern=invalid@v.raw",
    "",
    "[Target]",
    "Type=regular-file",
    "Path=/",
    "",
  ].join("\n");
  const updateDropin = [
    "[Service]",
    'ExecStartPre=/usr/bin/sh -c "readlink --canonicalize /etc/extensions/kubernetes.raw > /tmp/kubernetes"',
    "ExecStartPre=/usr/lib/systemd/systemd-sysupdate -C kubernetes update",
    'ExecStartPost=/usr/bin/sh -c "readlink --canonicalize /etc/extensions/kubernetes.raw > /tmp/kubernetes-new"',
    'ExecStartPost=/usr/bin/sh -c "if ! cmp --silent /tmp/kubernetes /tmp/kubernetes-new; then touch /run/reboot-required; fi"',
    "",
  ].join("\n");
  return {
    files: [
      {
        path: `${SYSEXT_DIR}/${file}`,
        mode: 0o644,
        contents: { url: `${options.baseUrl}/${file}`, ...(hash && { hash }) },
      },
      {
        path: `/etc/sysupdate.kubernetes.d/kubernetes-v${major}.${minor}.conf`,
        contents: transfer,
      },
      { path: "/etc/sysupdate.d/noop.conf", contents: noop },
    ],
    links: [{ path: SYSEXT_LINK, target: `${SYSEXT_DIR}/${file}`, hard: false }],
    units: options.autoUpdate
      ? [
          { name: "systemd-sysupdate.timer", enabled: true },
          {
            name: "systemd-sysupdate.service",
            dropins: [{ name: "kubernetes.conf", contents: updateDropin }],
          },
        ]
      : [],
  };
}

import {
  type BootstrapContext,
  type ignition,
  MinosError,
  parseKubernetesVersion,
  validateHttpUrl,
} from "@minos/core";

/**
 * Where the community Fedora sysexts are published: one release per Fedora
 * variant and version (`fedora-coreos-43`), listing every build with a
 * SHA256SUMS manifest that systemd-sysupdate reads.
 */
export const DEFAULT_SYSEXT_BASE_URL =
  "https://github.com/travier/fedora-sysexts/releases/download";

/**
 * How nodes get Kubernetes: the community `kubernetes-cri-o-<minor>` sysext,
 * which carries kubelet, kubeadm, kubectl and CRI-O from Fedora's own
 * packages, SELinux-labelled for Fedora CoreOS.
 */
export interface FcosSysextOptions {
  /**
   * Base URL systemd-sysupdate reads builds from, or your mirror of it; it
   * looks in `<baseUrl>/fedora-coreos-<Fedora release>/`. Default
   * `https://github.com/travier/fedora-sysexts/releases/download`.
   */
  baseUrl?: string;
  /**
   * A pinned build instead: its URL and the SHA-256 from the release's
   * SHA256SUMS. Ignition then fetches and verifies it, and refuses a
   * mismatch; nothing is looked up on the node. Default none: on first boot
   * the node fetches the newest build for its own Fedora release with
   * systemd-sysupdate, unverified (the project publishes no signatures), and
   * FcosCluster warns.
   */
  image?: { url: string; sha256: string };
}

/** The sysext options with defaults applied. */
export interface ResolvedFcosSysext {
  baseUrl: string;
  image?: { url: string; sha256: string };
}

/** Where merged extension images are looked for at every boot. */
const EXTENSIONS_DIR = "/var/lib/extensions";
/** Where systemd-sysupdate keeps the builds it fetched. */
const BUILDS_DIR = "/var/lib/extensions.d";

/** The sysext for a Kubernetes minor: `kubernetes-cri-o-1.35`. */
export function sysextName(kubernetesVersion: string): string {
  const { major, minor } = parseKubernetesVersion("kubernetesVersion", kubernetesVersion);
  return `kubernetes-cri-o-${major}.${minor}`;
}

/** Validates sysext options; returns them with defaults applied. */
export function resolveSysext(argument: string, o: FcosSysextOptions = {}): ResolvedFcosSysext {
  const baseUrl = validateHttpUrl(`${argument}.baseUrl`, o.baseUrl ?? DEFAULT_SYSEXT_BASE_URL);
  if (o.image === undefined) return { baseUrl };
  const url = validateHttpUrl(`${argument}.image.url`, o.image.url);
  if (!/\.raw$/.test(url))
    throw new MinosError(`${argument}.image.url`, o.image.url, "use the URL of a .raw sysext");
  if (typeof o.image.sha256 !== "string" || !/^[0-9a-f]{64}$/.test(o.image.sha256))
    throw new MinosError(
      `${argument}.image.sha256`,
      o.image.sha256,
      "use the 64 hex digits from the release's SHA256SUMS",
    );
  return { baseUrl, image: { url, sha256: o.image.sha256 } };
}

/**
 * The Ignition parts that bring Kubernetes and CRI-O: the sysext (pinned and
 * verified by Ignition, or fetched on first boot by systemd-sysupdate as the
 * project documents), systemd-sysext enabled so it merges at every boot, the
 * kernel module and sysctl kubeadm's preflight checks, and on control-plane
 * nodes etcd's data directory labelled for containers (SELinux stays enforcing).
 * kubelet and CRI-O are the sysext's to start: it ships drop-ins that uphold them.
 */
export function sysextIgnition(
  ctx: BootstrapContext,
  options: ResolvedFcosSysext,
): Pick<ignition.IgnitionSpec, "files" | "units"> {
  const name = sysextName(ctx.kubernetesVersion);
  const kernel: NonNullable<ignition.IgnitionSpec["files"]> = [
    { path: "/etc/modules-load.d/kubernetes.conf", contents: "br_netfilter\n" },
    { path: "/etc/sysctl.d/90-kubernetes.conf", contents: "net.ipv4.ip_forward = 1\n" },
  ];
  const units: ignition.IgnitionSpec["units"] = [
    { name: "systemd-sysext.service", enabled: true },
    ...(ctx.controlPlane
      ? [{ name: "etcd-data-dir.service", enabled: true, contents: ETCD_DIR_UNIT }]
      : []),
  ];
  if (options.image) {
    return {
      files: [
        ...kernel,
        {
          path: `${EXTENSIONS_DIR}/${name}.raw`,
          mode: 0o644,
          contents: { url: options.image.url, hash: `sha256-${options.image.sha256}` },
        },
      ],
      units,
    };
  }
  return {
    files: [
      ...kernel,
      { path: `/etc/sysupdate.${name}.d/${name}.conf`, contents: transfer(name, options.baseUrl) },
    ],
    units: [
      ...units,
      { name: "kubernetes-sysext.service", enabled: true, contents: fetchUnit(name) },
    ],
  };
}

/** The sysupdate transfer the project publishes, pointed at `baseUrl`. */
function transfer(name: string, baseUrl: string): string {
  return [
    "[Transfer]",
    "Verify=false",
    "",
    "[Source]",
    "Type=url-file",
    // %o-%W-%w: the node's os-release ID, VARIANT_ID and VERSION_ID (fedora-coreos-43).
    `Path=${baseUrl}/%o-%W-%w/`,
    `MatchPattern=${name}-@v-%a.raw`,
    "",
    "[Target]",
    "InstancesMax=2",
    "Type=regular-file",
    `Path=${BUILDS_DIR}/`,
    `MatchPattern=${name}-@v-%a.raw`,
    `CurrentSymlink=${EXTENSIONS_DIR}/${name}.raw`,
    "",
  ].join("\n");
}

/** First boot: fetch the newest build for this Fedora release, then merge it. */
function fetchUnit(name: string): string {
  return [
    "[Unit]",
    `Description=Fetch the ${name} system extension`,
    "Documentation=https://extensions.fcos.fr",
    "Wants=network-online.target",
    "After=network-online.target",
    "Before=kubeadm.service",
    `ConditionPathExists=!${EXTENSIONS_DIR}/${name}.raw`,
    "",
    "[Service]",
    "Type=oneshot",
    "RemainAfterExit=yes",
    `ExecStart=/usr/lib/systemd/systemd-sysupdate --component=${name} update`,
    "ExecStart=/usr/bin/systemctl restart systemd-sysext.service",
    "",
    "[Install]",
    "WantedBy=multi-user.target",
    "RequiredBy=kubeadm.service",
    "",
  ].join("\n");
}

/**
 * etcd runs as an ordinary container (container_t), which SELinux keeps out
 * of /var/lib (var_lib_t); container-selinux labels /etc/kubernetes for
 * containers but not etcd's data directory.
 */
const ETCD_DIR_UNIT = [
  "[Unit]",
  "Description=Label etcd's data directory for containers (SELinux)",
  "Before=kubeadm.service",
  "ConditionPathExists=!/var/lib/etcd/member",
  "",
  "[Service]",
  "Type=oneshot",
  "RemainAfterExit=yes",
  "ExecStart=/usr/bin/install -d -m 0700 /var/lib/etcd",
  "ExecStart=/usr/bin/chcon -t container_file_t /var/lib/etcd",
  "",
  "[Install]",
  "RequiredBy=kubeadm.service",
  "",
].join("\n");

import type { Arch, BootstrapContext, ignition, KubernetesVersion } from "@minos/core/render";
import { MinosError, refuseUnknownKeys, validateHttpUrl } from "@minos/core/render";
import { DEFAULT_SYSEXT_BASE_URL } from "./versions.js";

/**
 * How nodes get Kubernetes: the Fedora sysexts project's
 * `kubernetes-cri-o-<minor>` system extension, which carries kubelet,
 * kubeadm, kubectl and CRI-O from Fedora's own packages, SELinux-labelled for
 * Fedora CoreOS. Each build is for one Fedora release and merges only there.
 */
export interface FcosSysextOptions {
  /**
   * Where builds are served, as the project's redirector lays them out: one
   * flat directory per sysext, `<baseUrl>/<sysext>/SHA256SUMS` and
   * `<baseUrl>/<sysext>/<build>.raw`. Set it to your mirror of that layout.
   * Default `https://extensions.fcos.fr/fedora`.
   */
  baseUrl?: string;
  /**
   * A pinned first build: its URL, named as the project names builds
   * (`kubernetes-cri-o-1.36-1.36.2-1.fc43-43-x86-64.raw`), and the SHA-256
   * from its SHA256SUMS. Ignition fetches and verifies it, and refuses a
   * mismatch. When Zincati later moves the node to another Fedora release,
   * the node fetches that release's build from `baseUrl` (checked against
   * SHA256SUMS over HTTPS; the project signs nothing). Default none: the
   * first boot fetches the newest build for the node's release that way too,
   * and FcosCluster warns.
   */
  image?: { url: string; sha256: string };
}

/** A build as the project names it. */
export interface SysextBuild {
  /** `kubernetes-cri-o-1.36-1.36.2-1.fc43-43-x86-64.raw` */
  file: string;
  /** `kubernetes-cri-o-1.36` */
  sysext: string;
  /** `1.36.2-1.fc43`: the Kubernetes package's version and release. */
  version: string;
  /** The Fedora release it merges on: `43`. */
  fedora: number;
  /** systemd's architecture name: `x86-64`, `arm64`. */
  arch: string;
}

/** The sysext options with defaults applied. */
export interface ResolvedFcosSysext {
  baseUrl: string;
  image?: { url: string; sha256: string; build: SysextBuild };
}

/** Where systemd-sysext merges images from at every boot (the transfer's CurrentSymlink). */
const EXTENSIONS_DIR = "/var/lib/extensions";
/** Where systemd-sysupdate keeps builds. */
const BUILDS_DIR = "/var/lib/extensions.d";
/** systemd's architecture names, which build names and `%a` use. */
const SYSEXT_ARCH: Record<Arch, string> = { amd64: "x86-64", arm64: "arm64" };
/** `<sysext>-<version>-<Fedora VERSION_ID>-<arch>.raw`, from the project's sysext.just. */
const BUILD_NAME = /^(kubernetes-cri-o-\d+\.\d+)-(.+)-(\d+)-(x86-64|arm64)\.raw$/;

/** The sysext for a Kubernetes minor: `kubernetes-cri-o-1.36`. */
export function sysextName({ major, minor }: KubernetesVersion): string {
  return `kubernetes-cri-o-${major}.${minor}`;
}

/** Reads a build's file name, or undefined if the project would not have named it so. */
export function parseBuildName(file: string): SysextBuild | undefined {
  const m = BUILD_NAME.exec(file);
  if (!m) return undefined;
  const [, sysext, version, fedora, arch] = m as unknown as [
    string,
    string,
    string,
    string,
    string,
  ];
  return { file, sysext, version, fedora: Number(fedora), arch };
}

/** Validates sysext options; returns them with defaults applied. */
export function resolveSysext(argument: string, o: FcosSysextOptions = {}): ResolvedFcosSysext {
  if (typeof o !== "object" || o === null)
    throw new MinosError(argument, o, "use { baseUrl?, image? }");
  refuseUnknownKeys(argument, o, ["baseUrl", "image"]);
  const baseUrl = validateHttpUrl(
    `${argument}.baseUrl`,
    o.baseUrl ?? DEFAULT_SYSEXT_BASE_URL,
  ).replace(/\/+$/, "");
  if (o.image === undefined) return { baseUrl };
  if (typeof o.image !== "object" || o.image === null)
    throw new MinosError(`${argument}.image`, o.image, "use { url, sha256 }");
  refuseUnknownKeys(`${argument}.image`, o.image, ["url", "sha256"]);
  const url = validateHttpUrl(`${argument}.image.url`, o.image.url);
  const build = parseBuildName(new URL(url).pathname.split("/").pop() ?? "");
  if (!build)
    throw new MinosError(
      `${argument}.image.url`,
      o.image.url,
      "use the URL of a build named as the project names them, e.g. .../kubernetes-cri-o-1.36-1.36.2-1.fc43-43-x86-64.raw",
    );
  if (typeof o.image.sha256 !== "string" || !/^[0-9a-f]{64}$/.test(o.image.sha256))
    throw new MinosError(
      `${argument}.image.sha256`,
      o.image.sha256,
      "use the 64 hex digits from the build's SHA256SUMS",
    );
  return { baseUrl, image: { url, sha256: o.image.sha256, build } };
}

/** Refuses a pinned build for another Kubernetes minor or architecture than the cluster's. */
export function validatePinnedBuild(
  argument: string,
  options: ResolvedFcosSysext,
  kubernetes: KubernetesVersion,
  arch: Arch,
): void {
  const build = options.image?.build;
  if (!build) return;
  const want = { sysext: sysextName(kubernetes), arch: SYSEXT_ARCH[arch] };
  if (build.sysext !== want.sysext || build.arch !== want.arch)
    throw new MinosError(
      `${argument}.image.url`,
      options.image?.url,
      `the cluster runs Kubernetes ${kubernetes.text} on ${arch}: pin a ${want.sysext} build for ${want.arch}`,
    );
}

/**
 * The Ignition parts that bring Kubernetes and CRI-O, laid out as the
 * project's own transfer file (`.github/workflow-templates/systemd-sysupdate.conf`)
 * lays them out: builds in /var/lib/extensions.d, the current one linked
 * from /var/lib/extensions, where systemd-sysext merges it at every boot.
 * The transfer matches only builds for the node's own Fedora release (`%w`),
 * and a unit fetches that release's build whenever none is installed: at
 * first boot (unless one is pinned) and at the first boot after Zincati
 * moved the node to a new release, before kubelet is needed and before
 * Zincati starts (see zincati.ts). A timer retries a failed fetch.
 * Also: the kernel module and sysctl kubeadm's preflight checks, and on
 * control-plane nodes etcd's data directory labelled for containers
 * (SELinux stays enforcing). kubelet and CRI-O are the sysext's to start:
 * it ships drop-ins that uphold them.
 */
export function sysextIgnition(
  ctx: BootstrapContext,
  options: ResolvedFcosSysext,
): Pick<ignition.IgnitionSpec, "files" | "directories" | "links" | "units"> {
  const name = sysextName(ctx.kubernetes);
  const arch = SYSEXT_ARCH[ctx.arch];
  const pinned = options.image;
  return {
    files: [
      { path: "/etc/modules-load.d/kubernetes.conf", contents: "br_netfilter\n" },
      { path: "/etc/sysctl.d/90-kubernetes.conf", contents: "net.ipv4.ip_forward = 1\n" },
      { path: `/etc/sysupdate.${name}.d/${name}.conf`, contents: transfer(name, options.baseUrl) },
      ...(pinned
        ? [
            {
              path: `${BUILDS_DIR}/${pinned.build.file}`,
              mode: 0o644,
              contents: { url: pinned.url, hash: `sha256-${pinned.sha256}` },
            },
          ]
        : []),
    ],
    // A fresh node has neither: sysupdate resolves its target directory
    // and its CurrentSymlink's parent and fails on either one missing (the
    // project's "first time setup" makes both). Ignition creates them as
    // root and, on Fedora CoreOS, relabels what it wrote as restorecon would.
    directories: [
      { path: EXTENSIONS_DIR, mode: 0o755 },
      { path: BUILDS_DIR, mode: 0o755 },
    ],
    ...(pinned && {
      links: [
        {
          path: `${EXTENSIONS_DIR}/${name}.raw`,
          target: `../extensions.d/${pinned.build.file}`,
          hard: false,
        },
      ],
    }),
    units: [
      { name: "systemd-sysext.service", enabled: true },
      { name: "kubernetes-sysext.service", enabled: true, contents: fetchUnit(name, arch) },
      { name: "kubernetes-sysext.timer", enabled: true, contents: RETRY_TIMER },
      ...(ctx.controlPlane
        ? [{ name: "etcd-data-dir.service", enabled: true, contents: ETCD_DIR_UNIT }]
        : []),
    ],
  };
}

/** The project's transfer file, pointed at `baseUrl`. */
function transfer(name: string, baseUrl: string): string {
  // %w: the node's os-release VERSION_ID, so only its own Fedora release's builds match.
  const pattern = `MatchPattern=${name}-@v-%w-%a.raw`;
  return [
    "[Transfer]",
    "Verify=false",
    "",
    "[Source]",
    "Type=url-file",
    `Path=${baseUrl}/${name}/`,
    pattern,
    "",
    "[Target]",
    "InstancesMax=2",
    "Type=regular-file",
    `Path=${BUILDS_DIR}/`,
    pattern,
    `CurrentSymlink=${EXTENSIONS_DIR}/${name}.raw`,
    "",
  ].join("\n");
}

/**
 * Fetches this Fedora release's build when none is installed, then merges
 * it. `$$` is a literal `$` for the shell: systemd expands `$VAR` itself.
 */
function fetchUnit(name: string, arch: string): string {
  return [
    "[Unit]",
    `Description=Fetch the ${name} system extension built for this Fedora release`,
    "Documentation=https://extensions.fcos.fr",
    "Wants=network-online.target",
    "After=network-online.target systemd-sysext.service",
    "Before=kubeadm.service zincati.service",
    "",
    "[Service]",
    "Type=oneshot",
    "EnvironmentFile=/etc/os-release",
    `ExecCondition=/usr/bin/sh -c '! ls ${BUILDS_DIR}/${name}-*-$\${VERSION_ID}-${arch}.raw >/dev/null 2>&1'`,
    `ExecStart=/usr/lib/systemd/systemd-sysupdate --component=${name} update`,
    "ExecStart=/usr/bin/systemctl restart systemd-sysext.service",
    "",
    "[Install]",
    "WantedBy=multi-user.target",
    "RequiredBy=kubeadm.service",
    "",
  ].join("\n");
}

/** Runs the fetch again while a node still lacks its build (a network outage at boot). */
const RETRY_TIMER = [
  "[Unit]",
  "Description=Retry fetching the Kubernetes system extension while it is missing",
  "",
  "[Timer]",
  "OnBootSec=10min",
  "OnUnitInactiveSec=30min",
  "Unit=kubernetes-sysext.service",
  "",
  "[Install]",
  "WantedBy=timers.target",
  "",
].join("\n");

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

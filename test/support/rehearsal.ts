import { execFile, execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { haveTool } from "./system-tools.js";

/**
 * A first-boot rehearsal: a Debian 13 root (systemd 257, close to what
 * Flatcar and FCOS ship) dressed as the node OS, the real Ignition applying
 * a payload to it, then real systemd booting it twice in systemd-nspawn.
 * The Kubernetes system extension is a real squashfs image that real
 * systemd-sysext merges (and, on FCOS, that real systemd-sysupdate fetches
 * first); only the programs inside it (kubeadm, kubelet, the runtime) and
 * the OS's own agents (zincati, containerd) are stubs, which record their
 * calls and leave the files the next step reads. Flatcar's ensure-sysext
 * is its own unit; FCOS's chcon is a stub (this root has no SELinux).
 */

/** Where install-test-tools.sh stages the Debian 13 root. */
export const REHEARSAL_ROOT =
  process.env.MINOS_REHEARSAL_ROOT ?? "/var/cache/minos-rehearsal/trixie";

export const haveRehearsal = () =>
  haveTool("the first-boot rehearsal's root", join(REHEARSAL_ROOT, "usr/lib/systemd/systemd")) &&
  haveTool("systemd-nspawn", "systemd-nspawn") &&
  haveTool("mksquashfs", "mksquashfs");

export type RehearsedOs = "flatcar" | "fcos";

/** The node OS as it names itself (os-release), which sysext and sysupdate match against. */
const OS_RELEASE: Record<RehearsedOs, string> = {
  fcos: 'NAME="Fedora Linux"\nID=fedora\nVERSION_ID=43\nVARIANT_ID=coreos\n',
  flatcar:
    'NAME="Flatcar Container Linux by Kinvolk"\nID=flatcar\nVERSION_ID=4230.2.3\nSYSEXT_LEVEL=1.0\n',
};
/** The Fedora release the FCOS root claims, for its builds' names. */
export const FEDORA = 43;
/** Where the FCOS root serves its sysext builds from, inside the container. */
export const IN_CONTAINER_URL = "http://127.0.0.1:8080";

/** Records a stub's call: boot number, uptime and arguments, one line. */
const RECORD = `record() { mkdir -p /var/log/rehearsal; echo "boot=$(cat /etc/rehearsal-boot) up=$(cut -d' ' -f1 /proc/uptime) $*" >>/var/log/rehearsal/calls; }`;

/**
 * kubeadm as far as the units around it can tell: it reads the config the
 * unit names (refusing a missing one), refuses a join into a non-empty
 * manifests folder (its DirAvailable preflight), writes what init and join
 * leave (kubelet.conf, the kubelet's config, a control plane's manifests,
 * admin.conf) and restarts the kubelet, as its kubelet-start phase does.
 */
const KUBEADM = `#!/bin/sh
${RECORD}
record kubeadm "$@"
config=""
for a in "$@"; do case "$a" in --config=*) config="\${a#--config=}" ;; esac; done
[ -f "$config" ] || { echo "kubeadm: config $config not found" >&2; exit 1; }
cp "$config" "/var/log/rehearsal/kubeadm-$(cat /etc/rehearsal-boot).yaml"
if [ "$1" = join ] && [ -n "$(ls -A /etc/kubernetes/manifests 2>/dev/null)" ]; then
  echo "[ERROR DirAvailable--etc-kubernetes-manifests]: /etc/kubernetes/manifests is not empty" >&2; exit 1
fi
mkdir -p /var/lib/kubelet /etc/kubernetes
echo "kind: KubeletConfiguration" >/var/lib/kubelet/config.yaml
# Its kubelet-start phase merges the patch directory's kubeletconfiguration patch.
patches=$(sed -n 's/^ *directory: //p' "$config" | head -n1)
if [ -n "$patches" ] && [ -f "$patches/kubeletconfiguration+merge.json" ]; then
  sed -n 's/.*"providerID":"\\([^"]*\\)".*/providerID: \\1/p' "$patches/kubeletconfiguration+merge.json" >>/var/lib/kubelet/config.yaml
fi
cp /var/lib/kubelet/config.yaml "/var/log/rehearsal/kubelet-config-$(cat /etc/rehearsal-boot).yaml"
echo "kind: Config" >/etc/kubernetes/kubelet.conf
if [ "$1" = init ] || grep -q '^controlPlane:' "$config"; then
  mkdir -p /etc/kubernetes/manifests
  echo "kind: Pod" >/etc/kubernetes/manifests/kube-apiserver.yaml
  echo "kind: Config" >/etc/kubernetes/admin.conf
fi
systemctl restart kubelet.service
`;

/**
 * The kubelet: exits without its config, as the real one does; otherwise
 * answers /healthz on 10248 and, on a control plane (an API server
 * manifest), runs that "static pod": /readyz over TLS on 6443.
 */
const KUBELET = `#!/bin/sh
${RECORD}
record kubelet "$@"
[ -f /var/lib/kubelet/config.yaml ] || { echo "kubelet: /var/lib/kubelet/config.yaml not found" >&2; exit 1; }
mkdir -p /run/kubelet-stub && cd /run/kubelet-stub && echo ok >healthz && echo ok >readyz
if [ -f /etc/kubernetes/manifests/kube-apiserver.yaml ]; then
  mkdir -p /var/lib/etcd/member
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=kube-apiserver \
    -keyout key.pem -out cert.pem -days 1 2>/dev/null
  openssl s_server -quiet -accept 127.0.0.1:6443 -cert cert.pem -key key.pem -WWW >/dev/null 2>&1 &
fi
exec busybox httpd -f -p 127.0.0.1:10248 -h /run/kubelet-stub
`;

/** A daemon that runs until stopped (a container runtime, an update agent). */
const daemon = (name: string) => `#!/bin/sh
${RECORD}
record ${name} "$@"
exec sleep infinity
`;

/** A file of a tree: contents, and mode (0755 for programs). */
type Tree = Record<string, string | { contents: string; mode: number }>;

function writeTree(root: string, tree: Tree): void {
  for (const [path, entry] of Object.entries(tree)) {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    const { contents, mode } = typeof entry === "string" ? { contents: entry, mode: 0o644 } : entry;
    writeFileSync(full, contents);
    chmodSync(full, mode);
  }
}
const program = (contents: string) => ({ contents, mode: 0o755 });

/**
 * The Kubernetes sysext's tree, laid out as each upstream builds it:
 * Flatcar's sysext-bakery (`kubernetes.sysext`: kubelet.service, its
 * kubeadm drop-in, `Upholds=kubelet.service`, extension-release with
 * ID=flatcar and SYSEXT_LEVEL) and the Fedora sysexts project
 * (`kubernetes-cri-o-<minor>`: cri-o and Kubernetes, upholds crio and
 * kubelet, extension-release with ID=_any, the Fedora VERSION_ID and
 * EXTENSION_RELOAD_MANAGER=1).
 */
function sysextTree(os: RehearsedOs, name: string): Tree {
  const kubeadmDropIn = `[Service]
Environment="KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf"
Environment="KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml"
EnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env
ExecStart=
${os === "flatcar" ? "ExecStartPre=/usr/bin/mkdir -p /opt/cni/bin\nExecStartPre=/usr/bin/cp -r /usr/local/bin/cni/. /opt/cni/bin/\nExecStartPre=/usr/bin/cp /usr/local/share/kubernetes-version /etc/kubernetes-version\n" : ""}ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS
`;
  const common: Tree = {
    "usr/bin/kubeadm": program(KUBEADM),
    "usr/bin/kubelet": program(KUBELET),
    "usr/lib/systemd/system/kubelet.service": `[Unit]
Description=kubelet: The Kubernetes Node Agent
Wants=network-online.target
After=network-online.target

[Service]
ExecStart=/usr/bin/kubelet
Restart=always
StartLimitInterval=0
RestartSec=10

[Install]
WantedBy=multi-user.target
`,
    "usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf": kubeadmDropIn,
  };
  if (os === "flatcar")
    return {
      ...common,
      "usr/local/bin/cni/loopback": program("#!/bin/sh\n"),
      "usr/local/share/kubernetes-version": "v1\n",
      "usr/lib/systemd/system/multi-user.target.d/10-kubelet-service.conf":
        "[Unit]\nUpholds=kubelet.service\n",
      [`usr/lib/extension-release.d/extension-release.${name}`]:
        "ID=flatcar\nSYSEXT_LEVEL=1.0\nARCHITECTURE=x86-64\n",
    };
  return {
    ...common,
    "usr/bin/crio": program(daemon("crio")),
    "usr/lib/systemd/system/crio.service":
      "[Unit]\nDescription=Container Runtime Interface for OCI (CRI-O)\n\n[Service]\nExecStart=/usr/bin/crio\n",
    [`usr/lib/systemd/system/multi-user.target.d/10-${name}-sysext.conf`]:
      "[Unit]\nUpholds=crio.service\nUpholds=kubelet.service\n",
    [`usr/lib/extension-release.d/extension-release.${name}`]: `ID="_any"\nVERSION_ID="${FEDORA}"\nARCHITECTURE="x86-64"\nEXTENSION_RELOAD_MANAGER=1\n`,
  };
}

/** The Kubernetes sysext as a real squashfs image, named `name` inside. */
export function sysextImage(os: RehearsedOs, name: string): Buffer {
  const work = mkdtempSync(join(tmpdir(), "minos-sysext-"));
  try {
    writeTree(join(work, "tree"), sysextTree(os, name));
    execFileSync("mksquashfs", [
      join(work, "tree"),
      join(work, "image.raw"),
      "-quiet",
      "-noappend",
      "-all-root",
      "-mkfs-time",
      "0",
      "-all-time",
      "0",
    ]);
    return readFileSync(join(work, "image.raw"));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Units this test adds to the root: a sysext server (FCOS) and the report that ends each boot. */
const REPORT = `#!/bin/sh
out=/var/log/rehearsal/boot-$(cat /etc/rehearsal-boot)
mkdir -p "$out"
# Up to 90 s: under a loaded test run, a sound boot has once taken over 30.
# A wait cut short records the state it cut short, not nothing.
timeout 90 systemctl is-system-running --wait >"$out/state" 2>&1 || systemctl is-system-running >"$out/state" 2>&1
# A kubelet that Upholds= (re)starts right at the end of startup gets a moment.
timeout 30 sh -c 'until systemctl is-active -q kubelet.service; do sleep 1; done'
systemctl list-jobs --no-legend >"$out/jobs" 2>&1
systemctl list-units --failed --no-legend --plain >"$out/failed" 2>&1
systemctl show -p Id,ActiveState,SubState,Result,NRestarts,ActiveEnterTimestampMonotonic,ExecMainStartTimestampMonotonic,UnitFileState,LoadState \\
  kubeadm.service kubelet.service crio.service containerd.service zincati.service \\
  kubernetes-sysext.service systemd-sysext.service locksmithd.service minos-provider-id.service >"$out/units" 2>&1
systemd-sysext status >"$out/sysext" 2>&1
journalctl -b -o short-monotonic --no-pager >"$out/journal" 2>&1
systemctl poweroff
`;

/**
 * What the OS itself ships around minos' units: both boot with
 * systemd-sysext and systemd-sysupdate (Debian 13's, real); Flatcar has
 * containerd and locksmithd in its base image and enables
 * systemd-sysext.service; FCOS has zincati, enabled.
 */
function baseOs(os: RehearsedOs): Tree {
  const service = (description: string, exec: string) =>
    `[Unit]\nDescription=${description}\n\n[Service]\nExecStart=${exec}\n\n[Install]\nWantedBy=multi-user.target\n`;
  if (os === "flatcar")
    return {
      // Flatcar's own: reloads the manager after the merge, so units from
      // sysexts (the kubelet) exist and their targets' Upholds= count.
      "usr/lib/systemd/system/ensure-sysext.service": `[Unit]
BindsTo=systemd-sysext.service
After=systemd-sysext.service
DefaultDependencies=no
ConditionDirectoryNotEmpty=|/etc/extensions
ConditionDirectoryNotEmpty=|/run/extensions
ConditionDirectoryNotEmpty=|/var/lib/extensions
[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/usr/bin/systemctl daemon-reload
ExecStart=/usr/bin/systemctl restart --no-block sockets.target timers.target multi-user.target
[Install]
WantedBy=sysinit.target
`,
      "usr/bin/containerd": program(daemon("containerd")),
      "usr/lib/systemd/system/containerd.service": service("containerd", "/usr/bin/containerd"),
      "usr/lib/flatcar/locksmithd": program(daemon("locksmithd")),
      "usr/lib/systemd/system/locksmithd.service": service(
        "locksmithd",
        "/usr/lib/flatcar/locksmithd",
      ),
    };
  return {
    // FCOS enforces SELinux; this root has no policy, so chcon records its call instead.
    "usr/bin/chcon": program(`#!/bin/sh\n${RECORD}\nrecord chcon "$@"\n`),
    "usr/libexec/zincati": program(daemon("zincati")),
    "usr/lib/systemd/system/zincati.service": service(
      "Zincati Update Agent",
      "/usr/libexec/zincati agent",
    ),
  };
}

/**
 * The cloud's metadata service at 169.254.169.254 inside the container's
 * private network, as the node's own curl meets it: IMDSv2 gives a token
 * only for a PUT with a TTL header and answers only requests that carry
 * it; GCE answers only `Metadata-Flavor: Google`. busybox nc runs this
 * once per connection.
 */
const METADATA = `#!/bin/sh
read -r method path _
token="" ttl="" flavor=""
while read -r line; do
  line=$(printf %s "$line" | tr -d '\\r')
  [ -z "$line" ] && break
  case "$line" in
    [Xx]-aws-ec2-metadata-token:*) token=\${line#*: } ;;
    [Xx]-aws-ec2-metadata-token-ttl-seconds:*) ttl=\${line#*: } ;;
    [Mm]etadata-[Ff]lavor:*) flavor=\${line#*: } ;;
  esac
done
reply() { printf 'HTTP/1.0 %s\\r\\nContent-Length: %s\\r\\n\\r\\n%s' "$1" "\${#2}" "$2"; }
case "$method $path" in
  "PUT /latest/api/token") [ -n "$ttl" ] && reply "200 OK" rehearsal-token || reply "400 Bad Request" "" ;;
  "GET /latest/meta-data/"*) [ "$token" = rehearsal-token ] || { reply "401 Unauthorized" ""; exit 0; } ;;
  "GET /computeMetadata/v1/"*) [ "$flavor" = Google ] || { reply "403 Forbidden" ""; exit 0; } ;;
  *) reply "404 Not Found" ""; exit 0 ;;
esac
case "$path" in
  /latest/meta-data/placement/availability-zone) reply "200 OK" eu-west-1b ;;
  /latest/meta-data/instance-id) reply "200 OK" i-0123456789abcdef0 ;;
  /computeMetadata/v1/project/project-id) reply "200 OK" minos-rehearsal ;;
  /computeMetadata/v1/instance/zone) reply "200 OK" projects/1234/zones/europe-west1-c ;;
  /computeMetadata/v1/instance/name) reply "200 OK" dev-general-0 ;;
  *) reply "404 Not Found" "" ;;
esac
`;

/** The provider ID each cloud's stand-in makes a node read. */
export const REHEARSAL_PROVIDER_ID = {
  aws: "aws:///eu-west-1b/i-0123456789abcdef0",
  gcp: "gce://minos-rehearsal/europe-west1-c/dev-general-0",
} as const;

/** A root to boot: an overlay over the staged Debian root, dressed as `os`. */
export interface RehearsalRoot {
  os: RehearsedOs;
  /** The merged tree: Ignition writes here, systemd boots it. */
  root: string;
  /** Removes the overlay and everything written. */
  dispose(): void;
}

/** Mounts a fresh overlay over the staged root and dresses it as `os`. */
export function rehearsalRoot(
  os: RehearsedOs,
  inContainerFiles: Record<string, Buffer | string> = {},
  /** A cloud whose metadata service the node finds at 169.254.169.254. */
  metadata?: "aws" | "gcp",
): RehearsalRoot {
  const work = mkdtempSync(join(tmpdir(), "minos-rehearsal-"));
  for (const d of ["upper", "work", "merged"]) mkdirSync(join(work, d));
  const root = join(work, "merged");
  execFileSync("mount", [
    "-t",
    "overlay",
    "overlay",
    "-o",
    `lowerdir=${REHEARSAL_ROOT},upperdir=${join(work, "upper")},workdir=${join(work, "work")}`,
    root,
  ]);
  rmSync(join(root, "usr/lib/os-release"), { force: true });
  rmSync(join(root, "etc/os-release"), { force: true });
  writeFileSync(join(root, "usr/lib/os-release"), OS_RELEASE[os]);
  symlinkSync("../usr/lib/os-release", join(root, "etc/os-release"));
  // First boot, as systemd knows it: presets are applied (Ignition writes a preset file).
  writeFileSync(join(root, "etc/machine-id"), "uninitialized\n");
  writeTree(root, baseOs(os));
  const wants = (target: string, unit: string, at = "usr/lib/systemd/system") => {
    mkdirSync(join(root, at, `${target}.wants`), { recursive: true });
    symlinkSync(`../${unit}`, join(root, at, `${target}.wants`, unit));
  };
  // The platform's network is up at once: nothing here waits for a link
  // (Debian's networkd would, for two minutes, with no link to configure).
  for (const unit of ["systemd-networkd-wait-online.service", "systemd-network-generator.service"])
    symlinkSync("/dev/null", join(root, "etc/systemd/system", unit));
  if (os === "flatcar") {
    wants("sysinit.target", "systemd-sysext.service");
    wants("sysinit.target", "ensure-sysext.service");
  } else wants("multi-user.target", "zincati.service");
  // The test's own units: the report that ends each boot, and (FCOS) the
  // server the node's sysupdate fetches from, inside the private network.
  writeTree(root, {
    "usr/local/sbin/rehearsal-report": program(REPORT),
    "usr/lib/systemd/system/rehearsal-report.service":
      "[Unit]\nDescription=Report this boot and power off\n\n[Service]\nType=simple\nExecStart=/usr/local/sbin/rehearsal-report\n",
    "usr/lib/systemd/system/rehearsal-sysext-server.service": `[Unit]
Description=The sysext builds' server (test)
DefaultDependencies=no
After=local-fs.target
Before=sysinit.target

[Service]
# Forks once it listens, so the node's fetch never finds it not yet up.
Type=forking
ExecStart=busybox httpd -p 127.0.0.1:8080 -h /srv/sysext
`,
  });
  wants("multi-user.target", "rehearsal-report.service");
  if (metadata) {
    writeTree(root, {
      "usr/local/sbin/rehearsal-metadata": program(METADATA),
      "usr/lib/systemd/system/rehearsal-metadata.service": `[Unit]
Description=The ${metadata} metadata service (test)
DefaultDependencies=no
After=local-fs.target
Before=sysinit.target

[Service]
# Across a link, as on a cloud: packets to a local address would loop back
# through PREROUTING, where the GCE rules drop what pods send.
ExecStartPre=ip netns add metadata
ExecStartPre=ip link add mdnode type veth peer name mdmeta netns metadata
ExecStartPre=ip addr add 169.254.169.1/16 dev mdnode
ExecStartPre=ip link set mdnode up
ExecStartPre=ip -n metadata addr add 169.254.169.254/16 dev mdmeta
ExecStartPre=ip -n metadata link set mdmeta up
ExecStart=ip netns exec metadata busybox nc -ll -p 80 -e /usr/local/sbin/rehearsal-metadata
`,
    });
    wants("sysinit.target", "rehearsal-metadata.service");
  }
  if (Object.keys(inContainerFiles).length > 0)
    wants("sysinit.target", "rehearsal-sysext-server.service");
  for (const [path, bytes] of Object.entries(inContainerFiles)) {
    const full = join(root, "srv/sysext", path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, bytes);
  }
  return {
    os,
    root,
    dispose() {
      // Kept for a look when asked (MINOS_KEEP_REHEARSAL=1).
      if (process.env.MINOS_KEEP_REHEARSAL) return console.warn(`rehearsal root kept: ${root}`);
      execFileSync("umount", ["-l", root]);
      rmSync(work, { recursive: true, force: true });
    },
  };
}

/** One unit as `systemctl show` reported it at the end of a boot. */
export interface UnitState {
  ActiveState: string;
  SubState: string;
  Result: string;
  NRestarts: string;
  LoadState: string;
  ActiveEnterTimestampMonotonic: string;
  ExecMainStartTimestampMonotonic: string;
}

/** What one boot left behind. */
export interface Boot {
  /** `systemctl is-system-running --wait` once startup ended: running, degraded, or a timeout. */
  state: string;
  /** Jobs still queued when startup ended: units that hang. */
  jobs: string;
  /** Failed units, one per line. */
  failed: string[];
  units: Record<string, UnitState>;
  sysext: string;
  journal: string;
  /** nspawn's own output (the console). */
  console: string;
}

/**
 * How many containers boot at once: more than two on two cores starves
 * early units of their own timeouts, and that is not what is rehearsed.
 */
const AT_ONCE = 2;
let running = 0;
const waiting: (() => void)[] = [];
async function slot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= AT_ONCE) await new Promise<void>((go) => waiting.push(go));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** Boots the root once in systemd-nspawn with a private network; returns what the boot reported. */
export function boot(r: RehearsalRoot, n: number, timeoutMs = 180_000): Promise<Boot> {
  return slot(() => bootNow(r, n, timeoutMs));
}

async function bootNow(r: RehearsalRoot, n: number, timeoutMs: number): Promise<Boot> {
  writeFileSync(join(r.root, "etc/rehearsal-boot"), `${n}\n`);
  // systemd-sysext attaches its image to a free loop device, which the
  // container must have a node for: the host's may have been removed by an
  // earlier container's systemd, so make them (the kernel makes the device
  // when its node is opened).
  const loops = [...Array(16).keys()].map((i) => `/dev/loop${i}`);
  for (const [i, node] of loops.entries()) {
    if (!existsSync(node)) execFileSync("mknod", ["-m", "0660", node, "b", "7", String(i)]);
    chmodSync(node, 0o660);
  }
  const console = await new Promise<string>((resolve) => {
    execFile(
      "systemd-nspawn",
      [
        "--quiet",
        "--register=no",
        "--keep-unit",
        `--directory=${r.root}`,
        `--machine=rehearsal-${createHash("sha256").update(r.root).digest("hex").slice(0, 12)}`,
        "--private-network",
        "--bind=/dev/loop-control",
        ...loops.map((d) => `--bind=${d}`),
        "--boot",
      ],
      {
        // systemd 257 needs the unified cgroup hierarchy, which nspawn
        // mounts for it from the host's (also on a hybrid host).
        env: { ...process.env, SYSTEMD_NSPAWN_UNIFIED_HIERARCHY: "1", SYSTEMD_COLORS: "0" },
        timeout: timeoutMs,
        maxBuffer: 64 * 2 ** 20,
      },
      (error, stdout, stderr) =>
        resolve(`${stdout}${stderr}${error ? `\n(nspawn: ${error.message})` : ""}`),
    );
  });
  const dir = join(r.root, `var/log/rehearsal/boot-${n}`);
  const read = (f: string) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), "utf8") : "");
  if (!existsSync(dir)) throw new Error(`boot ${n} never reported:\n${console.slice(-4000)}`);
  const units: Record<string, UnitState> = {};
  for (const block of read("units").split("\n\n")) {
    const props = Object.fromEntries(
      block
        .split("\n")
        .filter(Boolean)
        .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
    );
    if (props.Id) units[props.Id] = props as unknown as UnitState;
  }
  return {
    state: read("state").trim(),
    jobs: read("jobs").trim(),
    failed: read("failed").split("\n").filter(Boolean),
    units,
    sysext: read("sysext"),
    journal: read("journal"),
    console,
  };
}

/** One stub's call, as recorded. */
export interface Call {
  boot: number;
  uptime: number;
  program: string;
  args: string[];
}

/** Every stub call across the boots so far, in order. */
export function calls(r: RehearsalRoot): Call[] {
  const file = join(r.root, "var/log/rehearsal/calls");
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [boot, up, program, ...args] = line.split(" ");
      return {
        boot: Number(boot?.slice("boot=".length)),
        uptime: Number(up?.slice("up=".length)),
        program: program ?? "",
        args,
      };
    });
}

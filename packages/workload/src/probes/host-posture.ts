import { AGNHOST_IMAGE } from "../versions.js";
import type { Manifest } from "./manifest.js";
import {
  byHost,
  CONTROL_PLANE_TOLERATION,
  NODE_NAME_ENV,
  PROBE_LABEL,
  probeJob,
} from "./manifest.js";
import type { ResolvedProbeSettings } from "./settings.js";

/**
 * What the posture pod runs: it reads, never writes. Mount flags of `/` and
 * `/usr` come from the host's init (`/proc/1/mountinfo`, seen through the
 * host's PID namespace); SELinux, AppArmor, lockdown and the cgroup version
 * from the host's `/sys` under the read-only `/host`; the kernel command
 * line from `/proc/cmdline` (the kernel's own, the same in every
 * namespace); an SSH daemon from its binary on the host. One JSON line.
 */
export const POSTURE_SCRIPT = String.raw`h=/host
opt() { awk -v m="$1" '$5 == m { o = $6 } END { print o }' /proc/1/mountinfo 2>/dev/null; }
rw() { case ",$1," in *,ro,*) echo false;; *,rw,*) echo true;; *) echo null;; esac; }
root=$(opt /); usr=$(opt /usr); [ -n "$usr" ] || usr=$root
if [ -r $h/sys/fs/selinux/enforce ]; then
  if [ "$(cat $h/sys/fs/selinux/enforce)" = 1 ]; then se=enforcing; else se=permissive; fi
else se=disabled; fi
aa=disabled; [ "$(cat $h/sys/module/apparmor/parameters/enabled 2>/dev/null)" = Y ] && aa=enabled
lock=$(sed -n 's/.*\[\(.*\)\].*/\1/p' $h/sys/kernel/security/lockdown 2>/dev/null); [ -n "$lock" ] || lock=unknown
if [ -e $h/sys/fs/cgroup/cgroup.controllers ]; then cg=2; else cg=1; fi
cmd=$(sed 's/\\/\\\\/g; s/"/\\"/g' /proc/cmdline)
ssh=false; for f in /usr/sbin/sshd /usr/bin/sshd /usr/libexec/openssh/sshd; do [ -e "$h$f" ] && ssh=true; done
printf '{"node":"%s","rootWritable":%s,"usrWritable":%s,"selinux":"%s","apparmor":"%s","lockdown":"%s","cgroupVersion":%s,"cmdline":"%s","sshd":%s}\n' "$NODE_NAME" "$(rw "$root")" "$(rw "$usr")" "$se" "$aa" "$lock" "$cg" "$cmd" "$ssh"
`;

/**
 * Host posture: one pod per node, control planes included, reads the host
 * (`/` mounted read-only, the host's PID namespace to read init's mounts,
 * `SYS_PTRACE` to be let read them, SELinux's `spc_t` and no AppArmor
 * profile so neither hides the host's files) and prints one JSON line. Its
 * namespace is labelled `privileged` for Pod Security (Talos enforces
 * `baseline`, which refuses host namespaces and host paths).
 */
export function hostPostureJob(s: ResolvedProbeSettings): Manifest {
  return probeJob(s, {
    name: "host-posture",
    probe: "host-posture",
    parallelism: s.nodes,
    pod: {
      automountServiceAccountToken: false,
      hostPID: true,
      tolerations: [CONTROL_PLANE_TOLERATION],
      affinity: { podAntiAffinity: byHost({ [PROBE_LABEL]: "host-posture" }) },
      securityContext: {
        seLinuxOptions: { type: "spc_t" },
        appArmorProfile: { type: "Unconfined" },
      },
      volumes: [{ name: "host", hostPath: { path: "/", type: "Directory" } }],
      containers: [
        {
          name: "read",
          image: AGNHOST_IMAGE,
          command: ["bash", "-c", POSTURE_SCRIPT],
          env: [NODE_NAME_ENV],
          securityContext: {
            readOnlyRootFilesystem: true,
            capabilities: { add: ["SYS_PTRACE"] },
          },
          volumeMounts: [{ name: "host", mountPath: "/host", readOnly: true }],
          resources: { requests: { cpu: "10m", memory: "16Mi" } },
        },
      ],
    },
  });
}

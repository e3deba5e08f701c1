import type { BootstrapContext, ignition } from "@minos/core/render";

type KubernetesFiles = Pick<ignition.IgnitionSpec, "files" | "links" | "units" | "directories">;

/** Where systemd-tmpfiles reads the entry that keeps local volumes' directory. */
export const LOCAL_VOLUMES_TMPFILES = "/etc/tmpfiles.d/minos-local-volumes.conf";

/**
 * What a Fedora CoreOS node needs for volumes on its own disk
 * (`ctx.localVolumes`): the directory, made by systemd-tmpfiles at every
 * boot with the label policy gives it. SELinux stays enforcing, and
 * container-selinux labels `/var/local-path-provisioner(/.*)?`
 * `container_file_t` (`container.fc`), so the provisioner's helper pods may
 * make volumes' directories in it; one the kubelet made itself would be
 * `var_t`, which no container may write.
 */
export function withLocalVolumes(spec: KubernetesFiles, ctx: BootstrapContext): KubernetesFiles {
  if (ctx.localVolumes === undefined) return spec;
  return {
    ...spec,
    files: [
      ...(spec.files ?? []),
      { path: LOCAL_VOLUMES_TMPFILES, contents: `d ${ctx.localVolumes} 0755 root root -\n` },
    ],
  };
}

import type { PlatformName } from "../contracts/bootstrap.js";

/** Where kubeadm reads patches for the configs it writes (`patches.directory`). */
export const KUBEADM_PATCHES_DIR = "/etc/kubernetes/patches";

/**
 * The patch kubeadm merges into the KubeletConfiguration it writes
 * (`kubeletconfiguration[suffix][+patchtype].extension`, kubeadm's
 * `--patches` reference): one JSON merge patch setting `providerID`.
 */
export const PROVIDER_ID_PATCH = `${KUBEADM_PATCHES_DIR}/kubeletconfiguration+merge.json`;

/** The script that writes it, and the unit that runs the script before kubeadm. */
export const PROVIDER_ID_SCRIPT = "/etc/minos/provider-id.sh";
export const PROVIDER_ID_UNIT = "minos-provider-id.service";

/** The metadata service's base URL: link-local on both clouds, IMDSv2's and GCE's alike. */
const METADATA = "http://169.254.169.254";

// curl retries while the network comes up; --fail turns an HTTP error into a failure.
const CURL = "curl --fail --silent --show-error --retry 20 --retry-connrefused --retry-delay 2";

/**
 * How each cloud names a machine for its cloud controller, from its own
 * metadata: AWS `aws:///<zone>/<instance-id>` (cloud-provider-aws
 * `KubernetesInstanceID`, IMDSv2 with a session token: minos' instances
 * require it), GCE `gce://<project>/<zone>/<instance-name>`
 * (cloud-provider-gcp `providerIDRE`).
 */
const LOOKUPS: Partial<Record<PlatformName, string[]>> = {
  aws: [
    `token=$(${CURL} -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 300' ${METADATA}/latest/api/token)`,
    `get() { ${CURL} -H "X-aws-ec2-metadata-token: $token" "${METADATA}/latest/meta-data/$1"; }`,
    "zone=$(get placement/availability-zone)",
    "id=$(get instance-id)",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the shell's own ${...}
    ': "${zone:?no zone}" "${id:?no instance id}"',
    'provider="aws:///$zone/$id"',
  ],
  gcp: [
    `get() { ${CURL} -H 'Metadata-Flavor: Google' "${METADATA}/computeMetadata/v1/$1"; }`,
    "project=$(get project/project-id)",
    // projects/<number>/zones/<zone>
    "zone=$(get instance/zone)",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the shell's own ${...}
    'zone="${zone##*/}"',
    "name=$(get instance/name)",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the shell's own ${...}
    ': "${project:?no project}" "${zone:?no zone}" "${name:?no instance name}"',
    'provider="gce://$project/$zone/$name"',
  ],
};

/** Whether minos knows how a node on `platform` reads its provider ID. */
export function readsProviderId(platform: PlatformName): boolean {
  return LOOKUPS[platform] !== undefined;
}

/**
 * The script that asks the platform's metadata service for the node's
 * provider ID and leaves it for kubeadm as a KubeletConfiguration patch, so
 * the kubelet registers the node with `spec.providerID` and the cloud
 * controller, cluster-autoscaler and CSI drivers find its machine whatever
 * its host name. It refuses an answer with characters no provider ID has.
 */
export function providerIdScript(platform: PlatformName): string {
  const lookup = LOOKUPS[platform];
  if (!lookup) throw new Error(`minos: no provider ID lookup for platform ${platform}`);
  return [
    "#!/bin/sh",
    "# Written by minos: the node's provider ID, from the platform's metadata, for kubeadm.",
    "set -eu",
    ...lookup,
    'case "$provider" in',
    `  *[!A-Za-z0-9:/._-]*) echo "minos: unexpected provider ID: $provider" >&2; exit 1 ;;`,
    "esac",
    `mkdir -p ${KUBEADM_PATCHES_DIR}`,
    `printf '{"providerID":"%s"}\\n' "$provider" > ${PROVIDER_ID_PATCH}.tmp`,
    `mv ${PROVIDER_ID_PATCH}.tmp ${PROVIDER_ID_PATCH}`,
    `echo "minos: provider ID $provider"`,
    "",
  ].join("\n");
}

/**
 * The oneshot that runs the script once, before kubeadm, which requires it:
 * a node whose provider ID cannot be read does not join, rather than join
 * as a node the controller cannot find (and would delete).
 */
export function providerIdUnit(): string {
  return [
    "[Unit]",
    "Description=The node's provider ID for the kubelet, from the platform's metadata",
    "Wants=network-online.target",
    "After=network-online.target",
    "Before=kubeadm.service",
    "ConditionPathExists=!/etc/kubernetes/kubelet.conf",
    "",
    "[Service]",
    "Type=oneshot",
    "RemainAfterExit=yes",
    `ExecStart=/bin/sh ${PROVIDER_ID_SCRIPT}`,
    "",
    "[Install]",
    "RequiredBy=kubeadm.service",
    "",
  ].join("\n");
}

/**
 * Field names of the Talos v1alpha1 machine config, transcribed from the
 * configuration reference for Talos 1.13
 * (talos.dev/v1.13/reference/configuration/v1alpha1/config), by the section
 * (Go type) that documents them. Maps whose keys are the user's own (labels,
 * taints, extra args) are marked "*".
 */
const PEM_PAIR = ["crt", "key"]; // PEMEncodedCertificateAndKey

export const V1ALPHA1_FIELDS: Record<string, readonly string[] | "*"> = {
  // Config
  "": ["version", "debug", "persist", "machine", "cluster"],
  // MachineConfig
  machine: [
    "type",
    "token",
    "ca",
    "acceptedCAs",
    "certSANs",
    "controlPlane",
    "kubelet",
    "pods",
    "network",
    "disks",
    "install",
    "files",
    "env",
    "time",
    "sysctls",
    "sysfs",
    "registries",
    "systemDiskEncryption",
    "features",
    "udev",
    "logging",
    "kernel",
    "seccompProfiles",
    "nodeLabels",
    "nodeAnnotations",
    "nodeTaints",
  ],
  "machine.ca": PEM_PAIR,
  // KubeletConfig
  "machine.kubelet": [
    "image",
    "clusterDNS",
    "extraArgs",
    "extraMounts",
    "extraConfig",
    "credentialProviderConfig",
    "defaultRuntimeSeccompProfileEnabled",
    "registerWithFQDN",
    "nodeIP",
    "skipNodeRegistration",
    "disableManifestsDirectory",
  ],
  "machine.kubelet.extraArgs": "*",
  "machine.nodeLabels": "*",
  "machine.nodeTaints": "*",
  "machine.sysctls": "*",
  // ClusterConfig
  cluster: [
    "id",
    "secret",
    "controlPlane",
    "clusterName",
    "network",
    "token",
    "aescbcEncryptionSecret",
    "secretboxEncryptionSecret",
    "ca",
    "acceptedCAs",
    "aggregatorCA",
    "serviceAccount",
    "apiServer",
    "controllerManager",
    "proxy",
    "scheduler",
    "discovery",
    "etcd",
    "coreDNS",
    "externalCloudProvider",
    "extraManifests",
    "extraManifestHeaders",
    "inlineManifests",
    "adminKubeconfig",
    "allowSchedulingOnControlPlanes",
  ],
  // ControlPlaneConfig
  "cluster.controlPlane": ["endpoint", "localAPIServerPort"],
  // ClusterNetworkConfig, CNIConfig
  "cluster.network": ["cni", "dnsDomain", "podSubnets", "serviceSubnets"],
  "cluster.network.cni": ["name", "urls", "flannel"],
  "cluster.ca": PEM_PAIR,
  "cluster.aggregatorCA": PEM_PAIR,
  // PEMEncodedKey
  "cluster.serviceAccount": ["key"],
  // APIServerConfig
  "cluster.apiServer": [
    "image",
    "extraArgs",
    "extraVolumes",
    "env",
    "certSANs",
    "disablePodSecurityPolicy",
    "admissionControl",
    "auditPolicy",
    "resources",
    "authorizationConfig",
  ],
  // ControllerManagerConfig, SchedulerConfig, ProxyConfig
  "cluster.controllerManager": ["image", "extraArgs", "extraVolumes", "env", "resources"],
  "cluster.scheduler": ["image", "extraArgs", "extraVolumes", "env", "resources", "config"],
  "cluster.proxy": ["disabled", "image", "mode", "extraArgs"],
  // EtcdConfig
  "cluster.etcd": ["image", "ca", "extraArgs", "advertisedSubnets", "listenSubnets"],
  "cluster.etcd.ca": PEM_PAIR,
};

/** Every object path in a config whose keys the reference does not document. */
export function undocumentedFields(config: unknown, path = ""): string[] {
  if (typeof config !== "object" || config === null || Array.isArray(config)) return [];
  const allowed = V1ALPHA1_FIELDS[path];
  if (allowed === "*") return [];
  if (allowed === undefined) return [`${path} (no reference section)`];
  return Object.entries(config).flatMap(([key, value]) => {
    const child = path ? `${path}.${key}` : key;
    if (!allowed.includes(key)) return [child];
    const isObject = typeof value === "object" && value !== null && !Array.isArray(value);
    return isObject ? undocumentedFields(value, child) : [];
  });
}

/**
 * Field names of the Talos v1alpha1 machine config, transcribed from the
 * configuration reference for Talos 1.13
 * (talos.dev/v1.13/reference/configuration/v1alpha1/config) and checked
 * against the v1.13.9 source (pkg/machinery/config/types/v1alpha1/
 * v1alpha1_types.go, its `yaml` tags), by the section (Go type) that
 * documents them. Maps whose keys are the user's own (labels, taints, extra
 * args) and free-form objects (Unstructured) are marked "*".
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
  // ExtraMount
  "machine.kubelet.extraMounts[]": [
    "destination",
    "type",
    "source",
    "options",
    "uidMappings",
    "gidMappings",
  ],
  "machine.nodeLabels": "*",
  "machine.nodeTaints": "*",
  "machine.sysctls": "*",
  // FeaturesConfig (rbac, stableHostname and apidCheckExtKeyUsage are undocumented, hidden from 1.12 on)
  "machine.features": [
    "kubernetesTalosAPIAccess",
    "diskQuotaSupport",
    "kubePrism",
    "hostDNS",
    "imageCache",
    "nodeAddressSortAlgorithm",
  ],
  // KubePrism, HostDNSConfig
  "machine.features.kubePrism": ["enabled", "port"],
  "machine.features.hostDNS": ["enabled", "forwardKubeDNSToHost", "resolveMemberNames"],
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
  // ExternalCloudProviderConfig
  "cluster.externalCloudProvider": ["enabled", "manifests"],
  // ClusterNetworkConfig, CNIConfig
  "cluster.network": ["cni", "dnsDomain", "podSubnets", "serviceSubnets"],
  "cluster.network.cni": ["name", "urls", "flannel"],
  "cluster.ca": PEM_PAIR,
  "cluster.aggregatorCA": PEM_PAIR,
  // PEMEncodedKey
  "cluster.serviceAccount": ["key"],
  // APIServerConfig
  "cluster.apiServer.auditPolicy": "*",
  // AdmissionPluginConfig, one per list item
  "cluster.apiServer.admissionControl[]": ["name", "configuration"],
  "cluster.apiServer.admissionControl[].configuration": "*",
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
  // MachinePods: static pod manifests, which Talos does not validate (Unstructured)
  "machine.pods[]": "*",
  // EtcdConfig
  "cluster.etcd": ["image", "ca", "extraArgs", "advertisedSubnets", "listenSubnets"],
  "cluster.etcd.ca": PEM_PAIR,
  // ClusterDiscoveryConfig, DiscoveryRegistriesConfig, RegistryKubernetesConfig, RegistryServiceConfig
  "cluster.discovery": ["enabled", "registries"],
  "cluster.discovery.registries": ["kubernetes", "service"],
  "cluster.discovery.registries.kubernetes": ["disabled"],
  "cluster.discovery.registries.service": ["disabled", "endpoint"],
};

/** Every object path in a config whose keys the reference does not document; list items are `path[]`. */
export function undocumentedFields(config: unknown, path = ""): string[] {
  if (Array.isArray(config)) return config.flatMap((item) => undocumentedFields(item, `${path}[]`));
  if (typeof config !== "object" || config === null) return [];
  const allowed = V1ALPHA1_FIELDS[path];
  if (allowed === "*") return [];
  if (allowed === undefined) return [`${path} (no reference section)`];
  return Object.entries(config).flatMap(([key, value]) => {
    const child = path ? `${path}.${key}` : key;
    if (!allowed.includes(key)) return [child];
    return undocumentedFields(value, child);
  });
}

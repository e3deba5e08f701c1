/**
 * Field paths of kubeadm's v1beta4 config types, transcribed from the
 * reference (kubernetes.io/docs/reference/config-api/kubeadm-config.v1beta4/)
 * for the fields minos can write. `[]` marks a list element. A rendered key
 * outside these sets is a typo kubeadm would reject in strict decoding.
 */
const NODE_REGISTRATION = [
  "nodeRegistration",
  "nodeRegistration.name",
  "nodeRegistration.criSocket",
  "nodeRegistration.taints",
  "nodeRegistration.taints[]",
  "nodeRegistration.taints[].key",
  "nodeRegistration.taints[].value",
  "nodeRegistration.taints[].effect",
  "nodeRegistration.kubeletExtraArgs",
  "nodeRegistration.kubeletExtraArgs[]",
  "nodeRegistration.kubeletExtraArgs[].name",
  "nodeRegistration.kubeletExtraArgs[].value",
  "nodeRegistration.ignorePreflightErrors",
  "nodeRegistration.imagePullPolicy",
  "nodeRegistration.imagePullSerial",
];

const EXTRA_ARGS = (component: string) => [
  component,
  `${component}.extraArgs`,
  `${component}.extraArgs[]`,
  `${component}.extraArgs[].name`,
  `${component}.extraArgs[].value`,
];

export const V1BETA4_FIELDS: Record<string, Set<string>> = {
  InitConfiguration: new Set([
    "apiVersion",
    "kind",
    "bootstrapTokens",
    "bootstrapTokens[]",
    "bootstrapTokens[].token",
    "bootstrapTokens[].description",
    "bootstrapTokens[].ttl",
    "bootstrapTokens[].expires",
    "bootstrapTokens[].usages",
    "bootstrapTokens[].groups",
    ...NODE_REGISTRATION,
    "localAPIEndpoint",
    "localAPIEndpoint.advertiseAddress",
    "localAPIEndpoint.bindPort",
    "certificateKey",
    "skipPhases",
    "timeouts",
    "timeouts.controlPlaneComponentHealthCheck",
    "timeouts.kubeletHealthCheck",
    "timeouts.kubernetesAPICall",
    "timeouts.etcdAPICall",
  ]),
  ClusterConfiguration: new Set([
    "apiVersion",
    "kind",
    "clusterName",
    "kubernetesVersion",
    "controlPlaneEndpoint",
    "encryptionAlgorithm",
    "networking",
    "networking.serviceSubnet",
    "networking.podSubnet",
    "networking.dnsDomain",
    ...EXTRA_ARGS("apiServer"),
    "apiServer.certSANs",
    ...EXTRA_ARGS("controllerManager"),
    ...EXTRA_ARGS("scheduler"),
    "certificatesDir",
    "imageRepository",
  ]),
  JoinConfiguration: new Set([
    "apiVersion",
    "kind",
    ...NODE_REGISTRATION,
    "caCertPath",
    "discovery",
    "discovery.bootstrapToken",
    "discovery.bootstrapToken.token",
    "discovery.bootstrapToken.apiServerEndpoint",
    "discovery.bootstrapToken.caCertHashes",
    "discovery.tlsBootstrapToken",
    "controlPlane",
    "controlPlane.localAPIEndpoint",
    "controlPlane.localAPIEndpoint.advertiseAddress",
    "controlPlane.localAPIEndpoint.bindPort",
    "controlPlane.certificateKey",
    "skipPhases",
    "timeouts",
    "timeouts.discovery",
    "timeouts.tlsBootstrap",
    "timeouts.kubernetesAPICall",
  ]),
  // kubelet.config.k8s.io/v1beta1 KubeletConfiguration, the fields minos sets.
  KubeletConfiguration: new Set(["apiVersion", "kind", "cgroupDriver"]),
};

/** Every key path in a parsed document, lists marked with `[]`. */
export function keyPaths(value: unknown, prefix = ""): string[] {
  if (Array.isArray(value)) {
    const here = `${prefix}[]`;
    return value.some((v) => typeof v === "object" && v !== null)
      ? [here, ...value.flatMap((v) => keyPaths(v, here))]
      : [];
  }
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => {
      const path = prefix ? `${prefix}.${k}` : k;
      return [path, ...keyPaths(v, path)];
    });
  }
  return [];
}

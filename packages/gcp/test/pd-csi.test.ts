import { beforeAll, describe, expect, it } from "vitest";
import { plain } from "../../../test/support/pulumi-mocks.js";
import type { Manifest } from "./upstream.js";
import {
  appendedArgs,
  fixture,
  registeredAddons,
  stableImages,
  upstreamObject,
} from "./upstream.js";

const NS = "gce-pd-csi-driver";
const DRIVER_IMAGE =
  "registry.k8s.io/cloud-provider-gcp/gcp-compute-persistent-disk-csi-driver:v1.26.4";

let ours: Awaited<ReturnType<typeof registeredAddons>>["ours"];
let registered: Awaited<ReturnType<typeof registeredAddons>>["registered"];
beforeAll(async () => {
  ({ ours, registered } = await registeredAddons(
    "pd",
    { controller: false, volumes: true, loadBalancers: false, autoscaler: false },
    {},
  ));
});

/** An upstream container with the images stable-master names, minus what minos takes out. */
function expectedContainer(c: Manifest, appended: string[] = []): Manifest {
  const images = stableImages();
  const { env, volumeMounts, ...rest } = c;
  // No key file: the driver takes the instance's own account from the metadata server.
  const keptEnv = (env ?? []).filter((e: Manifest) => e.name !== "GOOGLE_APPLICATION_CREDENTIALS");
  const keptMounts = (volumeMounts ?? []).filter((m: Manifest) => m.name !== "cloud-sa-volume");
  const image = c.image.includes("gcp-compute-persistent-disk-csi-driver")
    ? DRIVER_IMAGE
    : images[c.image];
  return {
    ...rest,
    image,
    args: [...c.args, ...appended],
    ...(keptEnv.length > 0 && { env: keptEnv }),
    ...(keptMounts.length > 0 && { volumeMounts: keptMounts }),
  };
}

describe("gcp-compute-persistent-disk-csi-driver, as its v1.26.4 manifests", () => {
  it("runs upstream's controller containers, with stable-master's sidecar tags and patches, and no key file", () => {
    const theirs = upstreamObject("pd-csi/controller.yaml", "Deployment", "csi-gce-pd-controller");
    const mine = ours("apps/v1:Deployment", "csi-gce-pd-controller");
    expect(mine.metadata.namespace).toBe(NS);
    expect(mine.spec.replicas).toBe(theirs.spec.replicas);
    expect(mine.spec.selector).toEqual(theirs.spec.selector);
    const patches = [
      ...appendedArgs("pd-csi/max-grpc-log-length.yaml"),
      ...appendedArgs("pd-csi/default-fstype.yaml"),
    ];
    expect(patches).toEqual(["--max-grpc-log-length=10000", "--default-fstype=ext4"]);
    const containers = theirs.spec.template.spec.containers as Manifest[];
    // The overlay's patches go to container 1, the attacher.
    expect(containers[1]?.name).toBe("csi-attacher");
    expect(mine.spec.template.spec.containers).toEqual(
      containers.map((c, i) => expectedContainer(c, i === 1 ? patches : [])),
    );
    const pod = mine.spec.template.spec;
    const up = theirs.spec.template.spec;
    for (const key of ["hostNetwork", "serviceAccountName", "priorityClassName", "nodeSelector"])
      expect(pod[key], key).toEqual(up[key]);
    expect(pod.volumes).toEqual(up.volumes.filter((v: Manifest) => v.name !== "cloud-sa-volume"));
  });

  it("pins the sidecars stable-master names and the driver of its own tag", () => {
    const images = registered
      .filter((r) => r.type.startsWith("kubernetes:apps/v1:"))
      .flatMap((r) => plain<Manifest>(r.inputs).spec.template.spec.containers)
      .map((c: Manifest) => c.image);
    const stable = stableImages();
    // stable-master still names driver v1.17.4, which knows none of the flags these manifests pass.
    expect(stable["gke.gcr.io/gcp-compute-persistent-disk-csi-driver"]).toMatch(/:v1\.17\.4$/);
    expect(new Set(images)).toEqual(
      new Set([
        ...Object.entries(stable)
          .filter(([name]) => !name.includes("gcp-compute-persistent-disk-csi-driver"))
          .map(([, image]) => image),
        DRIVER_IMAGE,
      ]),
    );
  });

  it("keeps the controller on control-plane nodes, whose account holds the disk roles, Ready or not", () => {
    const pod = ours("apps/v1:Deployment", "csi-gce-pd-controller").spec.template.spec;
    expect(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution).toEqual({
      nodeSelectorTerms: [
        {
          matchExpressions: [{ key: "node-role.kubernetes.io/control-plane", operator: "Exists" }],
        },
      ],
    });
    const up = upstreamObject("pd-csi/controller.yaml", "Deployment", "csi-gce-pd-controller");
    expect(pod.tolerations).toEqual([
      ...up.spec.template.spec.tolerations,
      { key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" },
      // The nodes-ready gate waits for it: it must not wait for a Ready node itself.
      {
        key: "node.cloudprovider.kubernetes.io/uninitialized",
        operator: "Exists",
        effect: "NoSchedule",
      },
      { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoSchedule" },
    ]);
  });

  it("runs upstream's node plugin, privileged, on every node, with the host paths it needs", () => {
    const theirs = upstreamObject("pd-csi/node.yaml", "DaemonSet", "csi-gce-pd-node");
    const mine = ours("apps/v1:DaemonSet", "csi-gce-pd-node");
    expect(mine.metadata.namespace).toBe(NS);
    expect(mine.spec.selector).toEqual(theirs.spec.selector);
    const { containers, ...pod } = mine.spec.template.spec;
    const { containers: upContainers, ...upPod } = theirs.spec.template.spec;
    expect(pod).toEqual(upPod);
    expect(containers).toEqual(upContainers.map((c: Manifest) => expectedContainer(c)));
    expect(pod.tolerations).toEqual([{ operator: "Exists" }]);
  });

  it("keeps upstream's RBAC for Linux, rule for rule, without PodSecurityPolicy-only roles", () => {
    const setup = [
      ...fixture("pd-csi/cluster_setup.yaml"),
      ...fixture("pd-csi/rbac-taint-controller.yaml"),
    ];
    const gone = [
      "csi-gce-pd-node-sa-win",
      "csi-gce-pd-node-deploy-win",
      "csi-gce-pd-node-win",
      "csi-gce-pd-controller-deploy",
    ];
    const kept = setup.filter((o) => !gone.includes(o.metadata.name));
    expect(kept.length).toBe(setup.length - 5);
    for (const o of kept) {
      const kind = o.apiVersion === "v1" ? `core/v1:${o.kind}` : `${o.apiVersion}:${o.kind}`;
      const mine = ours(kind, o.metadata.name);
      const namespaced = !["ClusterRole", "ClusterRoleBinding", "PriorityClass"].includes(o.kind);
      expect(mine.metadata.namespace, o.metadata.name).toBe(namespaced ? NS : undefined);
      for (const key of ["rules", "roleRef", "value", "globalDefault", "description"])
        if (o[key] !== undefined) expect(mine[key], `${o.metadata.name} ${key}`).toEqual(o[key]);
      if (o.subjects)
        expect(mine.subjects, o.metadata.name).toEqual(
          o.subjects.map((s: Manifest) => ({ ...s, namespace: NS })),
        );
    }
  });

  it("registers upstream's CSIDriver", () => {
    const theirs = upstreamObject("pd-csi/v1_csidriver.yaml", "CSIDriver", "pd.csi.storage.gke.io");
    expect(ours("storage.k8s.io/v1:CSIDriver", "pd.csi.storage.gke.io").spec).toEqual(theirs.spec);
  });

  it("admits the privileged node plugin in its namespace under any Pod Security default", () => {
    expect(ours("core/v1:Namespace", NS).metadata.labels).toEqual({
      "pod-security.kubernetes.io/enforce": "privileged",
    });
  });

  it("makes pd-balanced the default class: bound at first use, expandable, deleted with its claim", () => {
    expect(ours("storage.k8s.io/v1:StorageClass", "pd-balanced")).toEqual({
      apiVersion: "storage.k8s.io/v1",
      kind: "StorageClass",
      metadata: {
        name: "pd-balanced",
        annotations: { "storageclass.kubernetes.io/is-default-class": "true" },
      },
      provisioner: "pd.csi.storage.gke.io",
      parameters: {
        type: "pd-balanced",
        "csi.storage.k8s.io/fstype": "ext4",
        labels: "minos-cluster=pd",
      },
      volumeBindingMode: "WaitForFirstConsumer",
      allowVolumeExpansion: true,
      reclaimPolicy: "Delete",
    });
  });
});

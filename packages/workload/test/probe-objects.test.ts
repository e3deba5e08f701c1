import { describe, expect, it } from "vitest";
import type { Manifest } from "../src/index.js";
import {
  AGNHOST_IMAGE,
  IPERF3_IMAGE,
  PAUSE_IMAGE,
  PULL_IMAGE,
  probeObjects,
  resolveProbeSettings,
} from "../src/index.js";
import type { LbVolumeParts } from "../src/probes/lb-volume.js";
import { lbVolumeObjects, resolveLbVolumeParts } from "../src/probes/lb-volume.js";
import { apiFieldProblems, apiFixture } from "./support/api-fields.js";

const settings = resolveProbeSettings({
  nodes: 2,
  skipNodesLabelled: { "minos.dev/os": "bottlerocket" },
});
const objects = probeObjects(settings);
const byName = (name: string) => {
  const found = objects.find((o) => o.metadata.name === name);
  if (!found) throw new Error(`no probe object ${name}`);
  return found;
};
type Pod = {
  hostPID?: boolean;
  tolerations?: unknown[];
  affinity?: Record<string, unknown>;
  volumes?: { hostPath?: { path: string } }[];
  containers: {
    image: string;
    imagePullPolicy?: string;
    volumeMounts?: { readOnly?: boolean }[];
    command?: string[];
  }[];
};
const podOf = (m: Manifest) => (m.spec as { template: { spec: Pod } }).template.spec;

describe("probe objects", () => {
  it("have only fields of the Kubernetes 1.35.2 API's types, of their JSON types", () => {
    expect(objects.map((o) => `${o.kind} ${o.metadata.name}`)).toEqual([
      "Namespace minos-probes",
      "Job pod-start",
      "Job image-pull",
      "Job dns",
      "Job iperf3-server-same-node",
      "Service iperf3-same-node",
      "Job iperf3-client-same-node",
      "Job iperf3-server-cross-node",
      "Service iperf3-cross-node",
      "Job iperf3-client-cross-node",
      "Job iperf3-server-service",
      "Service iperf3-service",
      "Job iperf3-client-service",
      "Job host-posture",
    ]);
    for (const o of objects)
      expect(apiFieldProblems(o, apiFixture(o.apiVersion, o.kind)), o.metadata.name).toEqual([]);
  });

  it("the check refuses a field the API lacks, and a value of another type", () => {
    const job = structuredClone(byName("dns")) as Manifest & { spec: Record<string, unknown> };
    job.spec.paralelism = 2;
    (job.spec.template as { spec: { hostPID: unknown } }).spec.hostPID = "yes";
    expect(apiFieldProblems(job, apiFixture("batch/v1", "Job"))).toEqual([
      { path: "$.spec.template.spec.hostPID", problem: "is string, the API's type is boolean" },
      { path: "$.spec.paralelism", problem: "is no field of the API's type" },
    ]);
  });

  it("run pinned images: nothing floating, the pull probe always pulls", () => {
    const images = objects
      .filter((o) => o.kind === "Job")
      .flatMap((o) => podOf(o).containers.map((c) => c.image));
    expect([...new Set(images)].sort()).toEqual(
      [AGNHOST_IMAGE, IPERF3_IMAGE, PAUSE_IMAGE, PULL_IMAGE].sort(),
    );
    for (const image of images) expect(image).toMatch(/^[a-z0-9.]+\/[\w./-]+:[\w.-]+$/);
    expect(images.join(" ")).not.toMatch(/:latest/);
    expect(podOf(byName("image-pull")).containers[0]?.imagePullPolicy).toBe("Always");
  });

  it("are suspended Jobs with a deadline that never retry nor hold up the stack", () => {
    for (const o of objects.filter((x) => x.kind === "Job")) {
      expect(o.spec).toMatchObject({
        suspend: true,
        backoffLimit: 0,
        activeDeadlineSeconds: 300,
        ttlSecondsAfterFinished: 3600,
      });
      expect(o.metadata.annotations).toEqual({ "pulumi.com/skipAwait": "true" });
      expect(o.metadata.namespace).toBe("minos-probes");
    }
  });

  it("put one pull and one posture pod on every node, control planes included, none on skipped nodes", () => {
    for (const name of ["image-pull", "host-posture"]) {
      const job = byName(name);
      expect(job.spec).toMatchObject({ parallelism: 2, completions: 2 });
      const pod = podOf(job);
      expect(pod.tolerations).toEqual([
        { key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" },
      ]);
      expect(pod.affinity).toEqual({
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            {
              labelSelector: { matchLabels: { "minos.dev/probe": name } },
              topologyKey: "kubernetes.io/hostname",
            },
          ],
        },
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              {
                matchExpressions: [
                  { key: "minos.dev/os", operator: "NotIn", values: ["bottlerocket"] },
                ],
              },
            ],
          },
        },
      });
    }
  });

  it("read the host read-only, from a namespace Pod Security lets do so", () => {
    const pod = podOf(byName("host-posture"));
    expect(pod.hostPID).toBe(true);
    expect(pod.volumes).toEqual([{ name: "host", hostPath: { path: "/", type: "Directory" } }]);
    expect(pod.containers[0]?.volumeMounts).toEqual([
      { name: "host", mountPath: "/host", readOnly: true },
    ]);
    expect(byName("minos-probes").metadata.labels).toMatchObject({
      "pod-security.kubernetes.io/enforce": "privileged",
    });
  });

  it("measure the network on one node, across nodes and through a Service", () => {
    const client = (path: string) => podOf(byName(`iperf3-client-${path}`));
    expect(Object.keys(client("same-node").affinity ?? {})).toEqual([
      "podAffinity",
      "nodeAffinity",
    ]);
    expect(Object.keys(client("cross-node").affinity ?? {})).toEqual([
      "podAntiAffinity",
      "nodeAffinity",
    ]);
    expect(byName("iperf3-same-node").spec).toMatchObject({ clusterIP: "None" });
    expect(byName("iperf3-service").spec?.clusterIP).toBeUndefined();
    expect(client("service").containers[0]?.command?.[2]).toContain(
      "iperf3 -c iperf3-service -p 5201 -J -t 10",
    );
  });

  it("refuse bad settings before anything exists", () => {
    expect(() => resolveProbeSettings({ nodes: 0 })).toThrow(/probes.nodes/);
    expect(() => resolveProbeSettings({ nodes: 2, lbVolumeRounds: 0 })).toThrow(
      /probes.lbVolumeRounds/,
    );
    expect(resolveProbeSettings({ nodes: 2 }).lbVolumeRounds).toBe(3);
    expect(() => resolveProbeSettings({ nodes: 2, pod: 3 } as never)).toThrow(/did you mean pods/);
    expect(() => resolveProbeSettings({ nodes: 2, namespace: "Probes" })).toThrow(
      /probes.namespace/,
    );
  });
});

describe("the load balancer and volume probe's objects, made at run time", () => {
  const made = lbVolumeObjects(settings, { volumes: true, loadBalancers: true });

  it("have only fields of the Kubernetes 1.35.2 API's types, in the probes' namespace", () => {
    const all = [made.claim, made.pod, made.service].filter((m): m is Manifest => !!m);
    expect(all.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      "PersistentVolumeClaim minos-probes/lb-volume",
      "Pod minos-probes/lb-volume",
      "Service minos-probes/lb-volume",
    ]);
    for (const o of all)
      expect(apiFieldProblems(o, apiFixture(o.apiVersion, o.kind)), o.kind).toEqual([]);
  });

  it("claim 1 GiB of the default class, mounted by a pinned nginx that answers on port 80", () => {
    expect(made.claim?.spec).toEqual({
      accessModes: ["ReadWriteOnce"],
      resources: { requests: { storage: "1Gi" } },
    });
    const pod = made.pod.spec as Pod & { volumes: unknown[] };
    expect(pod.volumes).toEqual([
      { name: "data", persistentVolumeClaim: { claimName: "lb-volume" } },
    ]);
    expect(pod.containers[0]).toMatchObject({
      image: PULL_IMAGE,
      imagePullPolicy: "IfNotPresent",
      ports: [{ containerPort: 80 }],
      readinessProbe: { httpGet: { path: "/", port: 80 }, periodSeconds: 1 },
      volumeMounts: [{ name: "data", mountPath: "/data" }],
    });
    // Off the nodes the probes skip, as every probe pod.
    expect(JSON.stringify(pod.affinity)).toContain('"values":["bottlerocket"]');
  });

  it("put a Network Load Balancer's Service on port 80 before the pod", () => {
    expect(made.service?.metadata.annotations).toEqual({
      "service.beta.kubernetes.io/aws-load-balancer-type": "nlb",
    });
    expect(made.service?.spec).toEqual({
      type: "LoadBalancer",
      selector: { "minos.dev/probe": "lb-volume" },
      ports: [{ name: "http", port: 80, targetPort: 80 }],
    });
    expect(made.pod.metadata.labels).toMatchObject({ "minos.dev/probe": "lb-volume" });
  });

  it("leave out the parts a cluster lacks, and take a cluster's platformServices as they are", () => {
    const none = lbVolumeObjects(settings, { volumes: false, loadBalancers: false });
    expect(Object.keys(none)).toEqual(["pod"]);
    const bare = none.pod.spec as Pod & { volumes?: unknown };
    expect([bare.volumes, bare.containers[0]?.volumeMounts]).toEqual([undefined, undefined]);
    expect(
      resolveLbVolumeParts({
        controller: true,
        volumes: false,
        loadBalancers: true,
        autoscaler: false,
      } as LbVolumeParts),
    ).toEqual({ volumes: false, loadBalancers: true });
    expect(() =>
      resolveLbVolumeParts({ volumes: true, loadBalancer: true } as unknown as LbVolumeParts),
    ).toThrow(/services.*loadBalancer/);
    expect(() =>
      resolveLbVolumeParts({ volumes: "yes", loadBalancers: true } as unknown as LbVolumeParts),
    ).toThrow(/services.volumes/);
  });
});

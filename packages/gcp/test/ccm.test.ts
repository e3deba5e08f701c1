import { beforeAll, describe, expect, it } from "vitest";
import { CLOUD_CONFIG_KEYS } from "../src/cloud-config.js";
import type { Manifest } from "./upstream.js";
import { fixture, fixtureText, registeredAddons, upstreamObject } from "./upstream.js";

const MANIFEST = "cloud-provider-gcp/manifest.yaml";
const IDS = {
  subnetwork:
    "https://www.googleapis.com/compute/v1/projects/p1/regions/europe-west1/subnetworks/s1",
  workerServiceAccount: "w@p1.iam.gserviceaccount.com",
  nodeTag: "ccm-node",
  payloadBucket: "b",
  project: "p1",
  network: "https://www.googleapis.com/compute/v1/projects/p1/global/networks/n1",
};
const ALL_ON = { controller: true, volumes: false, loadBalancers: true, autoscaler: false };

let ours: Awaited<ReturnType<typeof registeredAddons>>["ours"];
beforeAll(async () => {
  ({ ours } = await registeredAddons("ccm", ALL_ON, IDS));
});

const daemonSet = () => ours("apps/v1:DaemonSet", "cloud-controller-manager");
const pod = () => daemonSet().spec.template.spec;
const upstreamPod = () =>
  upstreamObject(MANIFEST, "DaemonSet", "cloud-controller-manager").spec.template.spec;

describe("cloud-provider-gcp's controller, as its v36.3.8 manifest", () => {
  it("runs the released image on control-plane nodes, on the host's network, as upstream", () => {
    const [container] = pod().containers;
    expect(container.image).toBe(
      "registry.k8s.io/cloud-provider-gcp/cloud-controller-manager:v36.3.8",
    );
    const [theirs] = upstreamPod().containers;
    for (const key of ["name", "imagePullPolicy", "livenessProbe", "resources"])
      expect(container[key], key).toEqual(theirs[key]);
    for (const key of ["affinity", "tolerations", "hostNetwork", "priorityClassName"])
      expect(pod()[key], key).toEqual(upstreamPod()[key]);
    expect(pod().serviceAccountName).toBe(upstreamPod().serviceAccountName);
    const theirsDs = upstreamObject(MANIFEST, "DaemonSet", "cloud-controller-manager");
    expect(daemonSet().spec.selector).toEqual(theirsDs.spec.selector);
    expect(daemonSet().spec.updateStrategy).toEqual(theirsDs.spec.updateStrategy);
    expect(daemonSet().spec.template.metadata.labels).toEqual(
      theirsDs.spec.template.metadata.labels,
    );
  });

  it("tolerates nodes it has not initialized and nodes not yet Ready: it must run before either", () => {
    expect(pod().tolerations).toContainEqual({
      key: "node.cloudprovider.kubernetes.io/uninitialized",
      value: "true",
      effect: "NoSchedule",
    });
    expect(pod().tolerations).toContainEqual({
      key: "node.kubernetes.io/not-ready",
      effect: "NoSchedule",
    });
  });

  it("reads the cloud config at upstream's path, from a ConfigMap instead of a host file", () => {
    const [container] = pod().containers;
    const [mount] = upstreamPod().containers[0].volumeMounts;
    expect(container.volumeMounts).toEqual([{ ...mount, subPath: "cloud.config" }]);
    expect(container.args).toContain(`--cloud-config=${mount.mountPath}`);
    expect(pod().volumes).toEqual([{ name: mount.name, configMap: { name: "gce-cloud-config" } }]);
    expect(daemonSet().spec.template.metadata.annotations["minos.dev/cloud-config-sha256"]).toMatch(
      /^[0-9a-f]{64}$/,
    );
  });

  it("is told what upstream leaves to tooling: GCE, named controllers, no node ranges, no routes", () => {
    expect(upstreamPod().containers[0].args).toEqual([]);
    expect(pod().containers[0].args).toEqual([
      "--cloud-provider=gce",
      "--cloud-config=/etc/kubernetes/cloud.config",
      "--controllers=cloud-node-controller,cloud-node-lifecycle-controller,service-lb-controller",
      "--leader-elect=true",
      "--use-service-account-credentials=true",
      "--allocate-node-cidrs=false",
      "--configure-cloud-routes=false",
      "--cluster-name=ccm",
      "--v=2",
    ]);
  });

  it("keeps upstream's RBAC, rule for rule, binding for binding", () => {
    const theirs = fixture(MANIFEST).filter((o) => o.kind !== "DaemonSet");
    // Nothing binds the pvl-controller role; minos leaves it out.
    const kept = theirs.filter((o) => o.metadata.name !== "system:controller:pvl-controller");
    expect(kept.length).toBe(theirs.length - 1);
    for (const o of kept) {
      const mine = ours(
        `${o.apiVersion === "v1" ? "core/v1" : o.apiVersion}:${o.kind}`,
        o.metadata.name,
      );
      expect(mine.metadata.namespace, o.metadata.name).toBe(o.metadata.namespace);
      if (o.rules) expect(mine.rules, o.metadata.name).toEqual(o.rules);
      if (o.roleRef) expect(mine.roleRef, o.metadata.name).toEqual(o.roleRef);
      if (o.subjects)
        expect(mine.subjects, o.metadata.name).toEqual(
          o.subjects.map(({ apiGroup: _, ...s }: Manifest) => s),
        );
    }
  });

  it("gives the GCE provider's own account kube-up's gce:cloud-provider roles, for the cluster id", () => {
    const roles = fixture("cloud-provider-gcp/cloud-provider-role.yaml").filter(
      (o) => o.metadata.name === "gce:cloud-provider",
    );
    const bindings = fixture("cloud-provider-gcp/cloud-provider-binding.yaml");
    expect(roles).toHaveLength(2);
    for (const o of [...roles, ...bindings]) {
      const mine = ours(`rbac.authorization.k8s.io/v1:${o.kind}`, o.metadata.name);
      expect(mine.rules ?? null).toEqual(o.rules ?? null);
      expect(mine.roleRef ?? null).toEqual(o.roleRef ?? null);
      expect(mine.subjects ?? null).toEqual(o.subjects ?? null);
    }
  });

  it("writes [global] keys that are all fields of upstream's ConfigGlobal", () => {
    const fields = [
      ...fixtureText("cloud-provider-gcp/config-global.go.txt").matchAll(/gcfg:"([a-z-]+)"/g),
    ].map((m) => m[1]);
    expect(fields.length).toBeGreaterThan(10);
    for (const key of CLOUD_CONFIG_KEYS) expect(fields).toContain(key);
    const config = ours("core/v1:ConfigMap", "gce-cloud-config");
    expect(config.metadata.namespace).toBe("kube-system");
    expect(config.data["cloud.config"]).toBe(
      [
        "[global]",
        "project-id = p1",
        `network-name = ${IDS.network}`,
        `subnetwork-name = ${IDS.subnetwork}`,
        "node-tags = ccm-node",
        "multizone = true",
        "",
      ].join("\n"),
    );
  });
});

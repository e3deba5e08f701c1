import type { PlatformClusterInfo, PlatformServices } from "@minos/core";
import { MinosError } from "@minos/core";
import { FlatcarCluster } from "@minos/flatcar";
import { beforeAll, describe, expect, it } from "vitest";
import type { RegisteredResource } from "../../../test/support/pulumi-mocks.js";
import { installMocks, mockOutputs, plain, resolved } from "../../../test/support/pulumi-mocks.js";
import { gcp, gcpDescription } from "../src/index.js";
import { fixture } from "./upstream.js";

const NODE_SCOPES = [
  "https://www.googleapis.com/auth/logging.write",
  "https://www.googleapis.com/auth/monitoring.write",
  "https://www.googleapis.com/auth/devstorage.read_only",
];
const COMPUTE = "https://www.googleapis.com/auth/compute";

let registered: RegisteredResource[];
beforeAll(async () => {
  registered = installMocks({ stack: "services" });
  // What GCP names a custom role: its project and id.
  mockOutputs("gcp:projects/iAMCustomRole:IAMCustomRole", (inputs) => ({
    name: `projects/${inputs.project}/roles/${inputs.roleId}`,
  }));
  const settings: Record<string, Partial<PlatformServices>> = {
    allon: {},
    nocontrol: { controller: false, loadBalancers: false },
    novolumes: { volumes: false },
    nolb: { loadBalancers: false },
    none: { controller: false, volumes: false, loadBalancers: false, autoscaler: false },
  };
  const clusters = Object.entries(settings).map(
    ([name, platformServices]) =>
      new FlatcarCluster(name, {
        platform: gcp({ region: "europe-west1" }),
        controlPlane: { count: 1 },
        nodePools: { general: { count: 1 } },
        sysext: { hashes: { "kubernetes-v1.37.1-x86-64.raw": `sha256-${"d".repeat(64)}` } },
        platformServices,
      }),
  );
  for (const c of clusters) await resolved(c.nodePools);
  await new Promise((r) => setTimeout(r, 300));
});

const named = (cluster: string) => registered.filter((r) => r.name.startsWith(`${cluster}-`));
const kinds = (cluster: string, prefix: string) =>
  named(cluster)
    .filter((r) => r.type.startsWith(prefix))
    .map(
      (r) => `${r.type} ${(r.inputs.metadata as { name?: string } | undefined)?.name ?? r.name}`,
    );
const projectRoles = (cluster: string) =>
  named(cluster)
    .filter((r) => r.type === "gcp:projects/iAMMember:IAMMember")
    .map((r) => r.inputs.role as string)
    .sort();
const accountGrants = (cluster: string) =>
  named(cluster).filter((r) => r.type === "gcp:serviceaccount/iAMMember:IAMMember");
const instanceScopes = (cluster: string) =>
  plain<{ serviceAccount: { scopes: string[] } }>(
    named(cluster).find((r) => r.type === "gcp:compute/instance:Instance")?.inputs,
  ).serviceAccount.scopes;
const templateScopes = (cluster: string) =>
  plain<{ serviceAccount: { scopes: string[] } }>(
    named(cluster).find((r) => r.type === "gcp:compute/instanceTemplate:InstanceTemplate")?.inputs,
  ).serviceAccount.scopes;

describe("gcp() platform services", () => {
  it("offers the controller, volumes and load balancers", () => {
    expect(gcpDescription.services).toEqual(["controller", "volumes", "loadBalancers"]);
    expect(gcp({ region: "europe-west1" }).services).toEqual(gcpDescription.services);
  });

  it("with every part on, runs the controller and the disk driver through the cluster's provider", () => {
    const objects = kinds("allon", "kubernetes:");
    expect(objects).toContain("kubernetes:apps/v1:DaemonSet cloud-controller-manager");
    expect(objects).toContain("kubernetes:apps/v1:Deployment csi-gce-pd-controller");
    expect(objects).toContain("kubernetes:apps/v1:DaemonSet csi-gce-pd-node");
    expect(objects).toContain("kubernetes:storage.k8s.io/v1:StorageClass pd-balanced");
    const args = plain<{ spec: { template: { spec: { containers: { args: string[] }[] } } } }>(
      named("allon").find(
        (r) =>
          r.type === "kubernetes:apps/v1:DaemonSet" &&
          (r.inputs.metadata as { name: string }).name === "cloud-controller-manager",
      )?.inputs,
    ).spec.template.spec.containers[0]?.args;
    expect(args).toContain(
      "--controllers=cloud-node-controller,cloud-node-lifecycle-controller,service-lb-controller",
    );
  });

  it("with every part on, grants the control plane's account the parts' roles in its project", () => {
    expect(projectRoles("allon")).toEqual(
      [
        "roles/compute.viewer",
        "roles/compute.loadBalancerAdmin",
        "roles/compute.securityAdmin",
        "roles/compute.storageAdmin",
        // The driver's custom role, by its name in the project.
        expect.stringMatching(/^projects\/project\/roles\/minos_allon_[0-9a-f]{8}_[0-9a-f]{6}$/),
      ].sort(),
    );
    for (const r of named("allon").filter((r) => r.type === "gcp:projects/iAMMember:IAMMember"))
      expect(r.inputs).toMatchObject({
        project: "project",
        member: expect.stringMatching(/^serviceAccount:allon-cp-[0-9a-f]{8}@project\./),
      });
  });

  it("gives the disk driver upstream's custom role, and acts as the two node accounts only", () => {
    const [role] = named("allon").filter(
      (r) => r.type === "gcp:projects/iAMCustomRole:IAMCustomRole",
    );
    const upstream = fixture("pd-csi/custom-role.yaml")[0];
    expect(role?.inputs.permissions).toEqual(upstream?.includedPermissions);
    const grants = accountGrants("allon").map((r) => r.inputs);
    expect(grants).toHaveLength(2);
    for (const g of grants)
      expect(g).toMatchObject({
        role: "roles/iam.serviceAccountUser",
        member: expect.stringMatching(/^serviceAccount:allon-cp-/),
      });
    expect(grants.map((g) => g.serviceAccountId).sort()).toEqual([
      expect.stringMatching(/serviceAccounts\/allon-cp-/),
      expect.stringMatching(/serviceAccounts\/allon-wk-/),
    ]);
  });

  it("lets control-plane instances call Compute Engine, and workers nothing more than before", () => {
    expect(instanceScopes("allon")).toEqual([...NODE_SCOPES, COMPUTE]);
    expect(templateScopes("allon")).toEqual(NODE_SCOPES);
  });

  it("with the controller off, makes no controller and grants none of its roles", () => {
    expect(kinds("nocontrol", "kubernetes:").filter((k) => k.includes("cloud-controller"))).toEqual(
      [],
    );
    expect(projectRoles("nocontrol")).toEqual([
      expect.stringMatching(/^projects\/project\/roles\/minos_nocontrol_/),
      "roles/compute.storageAdmin",
    ]);
    // The disk driver's controller still calls Compute Engine from the control plane.
    expect(instanceScopes("nocontrol")).toEqual([...NODE_SCOPES, COMPUTE]);
  });

  it("with nothing on, adds nothing: no add-on, no role, a node's scopes", () => {
    const before = kinds("none", "kubernetes:").filter(
      (k) => k.includes("cloud-controller") || k.includes("csi") || k.includes("StorageClass"),
    );
    expect(before).toEqual([]);
    expect(projectRoles("none")).toEqual([]);
    expect(accountGrants("none")).toEqual([]);
    expect(instanceScopes("none")).toEqual(NODE_SCOPES);
  });

  it("with volumes off, makes no disk driver, class or disk role", () => {
    const objects = kinds("novolumes", "kubernetes:");
    expect(objects.filter((k) => k.includes("csi") || k.includes("StorageClass"))).toEqual([]);
    expect(objects).toContain("kubernetes:apps/v1:DaemonSet cloud-controller-manager");
    expect(projectRoles("novolumes")).toEqual([
      "roles/compute.loadBalancerAdmin",
      "roles/compute.securityAdmin",
      "roles/compute.viewer",
    ]);
    expect(accountGrants("novolumes")).toEqual([]);
  });

  it("with load balancers off, runs no service controller and grants no load-balancer role", () => {
    const ds = named("nolb").find(
      (r) =>
        r.type === "kubernetes:apps/v1:DaemonSet" &&
        (r.inputs.metadata as { name: string }).name === "cloud-controller-manager",
    );
    const args = plain<{ spec: { template: { spec: { containers: { args: string[] }[] } } } }>(
      ds?.inputs,
    ).spec.template.spec.containers[0]?.args;
    expect(args).toContain("--controllers=cloud-node-controller,cloud-node-lifecycle-controller");
    expect(projectRoles("nolb")).not.toContain("roles/compute.loadBalancerAdmin");
    expect(projectRoles("nolb")).not.toContain("roles/compute.securityAdmin");
    expect(projectRoles("nolb")).toContain("roles/compute.viewer");
  });
});

describe("gcp() validate", () => {
  const info = (services: PlatformServices): PlatformClusterInfo => ({
    name: "v",
    controlPlaneCount: 1,
    apiPort: 6443,
    controlPlanePorts: [],
    sshEnabled: false,
    tags: {},
    groups: [],
    services,
  });
  const validate = (services: PlatformServices) => () =>
    gcp({ region: "europe-west1" }).validate?.(info(services));

  it("refuses load balancers without the controller, naming the switch", () => {
    let error: unknown;
    try {
      validate({ controller: false, volumes: true, loadBalancers: true, autoscaler: false })();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MinosError);
    expect((error as MinosError).argument).toBe("platformServices.loadBalancers");
    expect((error as Error).message).toMatch(/cloud controller/);
  });

  it("takes volumes without the controller: the disk driver needs nothing the controller sets", () => {
    expect(
      validate({ controller: false, volumes: true, loadBalancers: false, autoscaler: false }),
    ).not.toThrow();
    expect(
      validate({ controller: true, volumes: true, loadBalancers: true, autoscaler: false }),
    ).not.toThrow();
  });

  it("refuses it for a whole cluster before any resource exists", () => {
    const before = registered.length;
    expect(
      () =>
        new FlatcarCluster("refused", {
          platform: gcp({ region: "europe-west1" }),
          controlPlane: { count: 1 },
          platformServices: { controller: false, loadBalancers: true },
        }),
    ).toThrow(/platformServices\.loadBalancers/);
    expect(registered.length).toBe(before);
  });
});

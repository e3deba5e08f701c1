import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { EKS_FACTS as EKS } from "../../../test/support/eks.js";
import { installMocks, resolved } from "../../../test/support/pulumi-mocks.js";
import { checkEksVersion } from "../src/eks-cluster.js";
import { eksCluster } from "../src/index.js";

beforeAll(() => {
  installMocks();
});

describe("eksCluster", () => {
  it("is a cluster to join: placed by eks(), admitting nodes by their IAM role, with EKS's own CNI", async () => {
    const ref = eksCluster(EKS, { kubernetesVersion: "1.35.2" });
    expect(ref.platform.name).toBe("aws");
    expect(ref.kubernetesVersion).toBe("1.35.2");
    expect(ref.nodeAuth).toBe("platform");
    expect(ref.provider).toBeUndefined();
    expect(ref.cni).toEqual({ plugin: "none", deployedBy: "platform" });
    expect(ref.osUpdates).toEqual({ mode: "coordinated" });
    // EKS runs the control plane: its placement makes node groups only.
    expect(() => ref.platform.site({} as never, {} as never)).toThrow(/EKS runs its own control/);
    expect(await resolved(pulumi.output(ref.join))).toEqual({
      clusterName: "eks",
      kubernetesVersion: "1.35.2",
      endpoint: { host: "0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com", port: 443 },
      podCidr: "",
      serviceCidr: "",
      caCertPem: "-----BEGIN CERTIFICATE-----",
      caCertHash: "",
      osUpdates: { mode: "coordinated" },
      site: {},
    });
    expect(
      eksCluster(EKS, { kubernetesVersion: "1.35.2", osUpdates: { mode: "off" } }).osUpdates,
    ).toEqual({ mode: "off" });
  });

  it("refuses what it cannot join before anything is made", () => {
    const refused = (make: () => unknown) => {
      try {
        make();
      } catch (e) {
        return e as { name: string; argument: string; message: string };
      }
      throw new Error("accepted");
    };
    expect(
      refused(() => eksCluster({ name: "eks" } as never, { kubernetesVersion: "1.35.2" })),
    ).toMatchObject({ name: "MinosError", argument: "source" });
    expect(
      refused(() =>
        eksCluster({ ...EKS, endpoint: "http://eks.example" }, { kubernetesVersion: "1.35.2" }),
      ),
    ).toMatchObject({ argument: "source.endpoint" });
    expect(
      refused(() => eksCluster({ eksCluster: {} } as never, { kubernetesVersion: "1.35.2" })),
    ).toMatchObject({ argument: "source.eksCluster" });
    expect(refused(() => eksCluster(EKS, {} as never))).toMatchObject({
      argument: "kubernetesVersion",
      message: expect.stringMatching(/EKS cluster's Kubernetes version/),
    });
    expect(refused(() => eksCluster(EKS, { kubernetesVersion: "1.35" }))).toMatchObject({
      argument: "kubernetesVersion",
    });
    expect(
      refused(() =>
        eksCluster(EKS, {
          kubernetesVersion: "1.35.2",
          osUpdates: { window: { start: "02:00", lengthMinutes: 60 } },
        }),
      ),
    ).toMatchObject({ argument: "osUpdates.window" });
    expect(
      refused(() => eksCluster(EKS, { kubernetesVersion: "1.35.2", version: "1.35" } as never)),
    ).toMatchObject({ argument: "version" });
  });

  it("checks the EKS cluster's reported version against the one it was given", () => {
    expect(() => checkEksVersion("1.33", "1.34.1")).toThrow(
      /kubernetesVersion.*the EKS cluster runs 1\.33; use a 1\.33 release/,
    );
    expect(() => checkEksVersion("1.34", "1.34.1")).not.toThrow();
    expect(() => checkEksVersion("1.34.7", "1.34.1")).not.toThrow();
    expect(() => checkEksVersion(undefined, "1.34.1")).not.toThrow();
  });
});

import { createHash, generateKeyPairSync } from "node:crypto";

type Outputs = Record<string, unknown>;

let counter = 0;

/**
 * What a cloud would answer for a resource: its inputs plus the outputs
 * minos reads back (ids, ARNs, addresses, generated keys). Good enough to
 * evaluate a whole program without credentials; not a simulation.
 */
export function resourceOutputs(type: string, name: string, inputs: Outputs): Outputs {
  switch (type) {
    case "tls:index/privateKey:PrivateKey": {
      // Real keys, so hashes and parsers downstream see real PEM.
      const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
      return {
        ...inputs,
        privateKeyPem: privateKey.export({ type: "sec1", format: "pem" }),
        publicKeyPem: publicKey.export({ type: "spki", format: "pem" }),
      };
    }
    case "tls:index/selfSignedCert:SelfSignedCert":
    case "tls:index/locallySignedCert:LocallySignedCert":
      return {
        ...inputs,
        certPem: `-----BEGIN CERTIFICATE-----\nmock-${name}\n-----END CERTIFICATE-----\n`,
      };
    case "tls:index/certRequest:CertRequest":
      return {
        ...inputs,
        certRequestPem: `-----BEGIN CERTIFICATE REQUEST-----\nmock-${name}\n-----END CERTIFICATE REQUEST-----\n`,
      };
    case "random:index/randomBytes:RandomBytes": {
      const bytes = Buffer.alloc(Number(inputs.length), name.length + (counter++ % 200));
      return { ...inputs, base64: bytes.toString("base64"), hex: bytes.toString("hex") };
    }
    case "random:index/randomString:RandomString":
      return { ...inputs, result: stableRandomString(name, inputs) };
    case "aws:lb/loadBalancer:LoadBalancer":
      return {
        ...inputs,
        arn: `arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/${name}`,
        dnsName: `${name}-0123456789.elb.us-east-1.amazonaws.com`,
      };
    case "aws:eks/cluster:Cluster":
      return {
        ...inputs,
        name: inputs.name ?? name,
        endpoint: `https://${name.toUpperCase()}0123.gr7.us-east-1.eks.amazonaws.com`,
        certificateAuthority: {
          data: Buffer.from(
            "-----BEGIN CERTIFICATE-----\neks\n-----END CERTIFICATE-----\n",
          ).toString("base64"),
        },
        vpcConfig: {
          ...(inputs.vpcConfig as object),
          clusterSecurityGroupId: "sg-0e1c5000000000001",
        },
      };
    case "aws:s3/bucket:Bucket":
      return { ...inputs, bucket: `${name}-bucket`, arn: `arn:aws:s3:::${name}-bucket` };
    case "aws:ec2/instance:Instance":
      return { ...inputs, privateIp: `10.0.128.${10 + (counter++ % 200)}` };
    case "aws:iam/role:Role":
    case "aws:iam/instanceProfile:InstanceProfile":
    case "aws:lb/targetGroup:TargetGroup":
      return {
        ...inputs,
        name: inputs.name ?? `${name}-x`,
        arn: `arn:aws:mock::111122223333:${type}/${name}`,
      };
    case "aws:ec2/launchTemplate:LaunchTemplate":
      return { ...inputs, latestVersion: 1 };
    case "aws:autoscaling/group:Group":
      return { ...inputs, name: `${name}-asg` };
    case "gcp:compute/address:Address":
      return {
        ...inputs,
        address: name.endsWith("-nat") ? "198.51.100.7" : "203.0.113.50",
        selfLink: `https://compute.test/addresses/${name}`,
      };
    case "gcp:compute/instance:Instance":
      return {
        ...inputs,
        selfLink: `https://compute.test/instances/${name}`,
        networkInterfaces: [{ networkIp: `10.0.0.${10 + (counter++ % 200)}` }],
      };
    case "gcp:compute/image:Image":
      return { ...inputs, selfLink: `https://compute.test/global/images/${name}` };
    case "gcp:storage/bucket:Bucket":
      return { ...inputs, name: inputs.name ?? `${name}-0a1b2c` };
    case "pulumi-nodejs:dynamic/minos-fcos:StreamImages":
      return { ...inputs, ...fcosStreamImages(String(inputs.stream), String(inputs.arch)) };
    case "gcp:serviceaccount/account:Account": {
      const email = `${inputs.accountId}@project.iam.gserviceaccount.com`;
      return {
        ...inputs,
        email,
        project: "project",
        name: `projects/project/serviceAccounts/${email}`,
      };
    }
    case "random:index/randomId:RandomId": {
      const bytes = Buffer.alloc(Number(inputs.byteLength), name.length);
      return { ...inputs, hex: bytes.toString("hex"), b64Url: bytes.toString("base64url") };
    }
    case "gcp:compute/instanceGroup:InstanceGroup":
    case "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager":
    case "gcp:compute/network:Network":
    case "gcp:compute/subnetwork:Subnetwork":
    case "gcp:compute/instanceTemplate:InstanceTemplate":
      return {
        ...inputs,
        name: `${name}-x`,
        selfLink: `https://compute.test/${name}`,
        selfLinkUnique: `https://compute.test/${name}?uid=1`,
      };
    default:
      return inputs;
  }
}

/**
 * A `random.RandomString`'s result as state would keep it: drawn from the
 * characters its inputs allow, the same for the same resource name and
 * inputs (keepers included) on every run, and another for another name or
 * a changed keeper.
 */
function stableRandomString(name: string, inputs: Outputs): string {
  const allow = (flag: unknown) => flag !== false;
  const alphabet = [
    allow(inputs.lower) ? "abcdefghijklmnopqrstuvwxyz" : "",
    allow(inputs.upper) ? "ABCDEFGHIJKLMNOPQRSTUVWXYZ" : "",
    allow(inputs.numeric) ? "0123456789" : "",
    allow(inputs.special) ? "!@#$%&*()-_=+[]{}<>:?" : "",
  ].join("");
  let bytes = Buffer.alloc(0);
  for (let block = 0; bytes.length < Number(inputs.length); block++)
    bytes = Buffer.concat([
      bytes,
      createHash("sha256")
        .update(JSON.stringify([name, inputs, block]))
        .digest(),
    ]);
  return [...bytes.subarray(0, Number(inputs.length))]
    .map((b) => alphabet[b % alphabet.length])
    .join("");
}

/**
 * What Fedora CoreOS's stream metadata would list for a stream and
 * architecture (the shape `imagesFromStream` reads): an AMI in the regions
 * these answers use, the GCE image, the QEMU image and its digest.
 */
function fcosStreamImages(stream: string, arch: string): Outputs {
  const release = "43.20260101.3.0";
  const machine = arch === "arm64" ? "aarch64" : "x86_64";
  return {
    release,
    aws: { "us-east-1": "ami-0fc05e0000000c001", "eu-west-1": "ami-0fc05e0000000e001" },
    gcp: {
      project: "fedora-coreos-cloud",
      family: `fedora-coreos-${stream}`,
      name: `fedora-coreos-${release.replaceAll(".", "-")}-gcp-${machine.replace("_", "-")}`,
    },
    qemu: {
      url: `https://builds.coreos.fedoraproject.org/prod/streams/${stream}/builds/${release}/${machine}/fedora-coreos-${release}-qemu.${machine}.qcow2.xz`,
      sha256: "5f".repeat(32),
    },
  };
}

/** What a cloud would answer for a data-source call (AMI, zones, images, parameters). */
export function invokeResult(token: string, inputs: Outputs): Outputs {
  switch (token) {
    case "aws:ec2/getAmi:getAmi":
      return {
        ...inputs,
        id: "ami-0f1a7ca70000000a1",
        rootDeviceName: "/dev/xvda",
        architecture: "x86_64",
      };
    case "aws:ssm/getParameter:getParameter":
      return { ...inputs, value: "ami-0b0771e0000000b01", type: "String" };
    case "aws:index/getRegion:getRegion":
      return { ...inputs, region: "us-east-1", name: "us-east-1" };
    case "aws:index/getAvailabilityZones:getAvailabilityZones":
      return {
        ...inputs,
        id: "us-east-1",
        names: ["us-east-1a", "us-east-1b", "us-east-1c"],
        zoneIds: ["use1-az1", "use1-az2", "use1-az4"],
      };
    case "gcp:compute/getImage:getImage":
      return {
        ...inputs,
        selfLink: `https://compute.test/projects/${inputs.project}/global/images/${inputs.family ?? inputs.name}-4230-2-3`,
      };
    case "gcp:compute/getZones:getZones":
      return {
        ...inputs,
        // Four zones, out of order, as some regions have (us-central1: a, b, c, f).
        names: ["f", "c", "a", "b"].map((zone) => `${inputs.region}-${zone}`),
      };
    default:
      return inputs;
  }
}

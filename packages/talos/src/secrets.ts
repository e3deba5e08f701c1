import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import * as tls from "@pulumi/tls";

/** The secrets Talos needs beyond Kubernetes' own, as plain PEM text and strings. */
export interface TalosSecretMaterial {
  /** Talos's OS CA (Ed25519, O=talos): signs apid's and the admin's certificates. */
  osCa: { certPem: string; keyPem: string };
  /** `machine.token`: how nodes get certificates from trustd. */
  machineToken: string;
  /** `cluster.id` and `cluster.secret`: the cluster's identity for discovery. */
  clusterId: string;
  clusterSecret: string;
  /** `cluster.secretboxEncryptionSecret`: encrypts Secrets at rest in etcd. */
  secretboxEncryptionSecret: string;
  /** An `os:admin` client certificate for talosctl and the bootstrap call. */
  admin: { certPem: string; keyPem: string };
}

const TEN_YEARS = 24 * 365 * 10;
const ONE_YEAR = 24 * 365;

/**
 * Talos's own secrets, made by the Pulumi program: the Ed25519 OS CA (10
 * years), the machine token (`[a-z0-9]{6}.[a-z0-9]{16}`), cluster id, cluster
 * secret and secretbox key (base64 of 32 random bytes each), and an `os:admin`
 * client certificate. Kubernetes' CAs, service-account key and bootstrap
 * token (Talos's `cluster.token`) are the cluster's shared ones. All secret.
 */
export class TalosSecrets extends pulumi.ComponentResource {
  readonly material: pulumi.Output<TalosSecretMaterial>;

  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super("minos:talos:TalosSecrets", name, {}, opts);
    const parent = { parent: this };
    const secretOut = (outputs: string[]) => ({ ...parent, additionalSecretOutputs: outputs });

    const caKey = new tls.PrivateKey(`${name}-os-ca`, { algorithm: "ED25519" }, parent);
    const caCert = new tls.SelfSignedCert(
      `${name}-os-ca`,
      {
        privateKeyPem: caKey.privateKeyPem,
        subject: { organization: "talos" },
        isCaCertificate: true,
        validityPeriodHours: TEN_YEARS,
        allowedUses: ["cert_signing", "digital_signature", "server_auth", "client_auth"],
      },
      parent,
    );
    const adminKey = new tls.PrivateKey(`${name}-os-admin`, { algorithm: "ED25519" }, parent);
    const adminCsr = new tls.CertRequest(
      `${name}-os-admin`,
      { privateKeyPem: adminKey.privateKeyPem, subject: { organization: "os:admin" } },
      parent,
    );
    const adminCert = new tls.LocallySignedCert(
      `${name}-os-admin`,
      {
        certRequestPem: adminCsr.certRequestPem,
        caPrivateKeyPem: caKey.privateKeyPem,
        caCertPem: caCert.certPem,
        validityPeriodHours: ONE_YEAR,
        earlyRenewalHours: 24 * 30,
        allowedUses: ["digital_signature", "client_auth"],
      },
      parent,
    );

    const text = (suffix: string, length: number) =>
      new random.RandomString(
        `${name}-${suffix}`,
        { length, lower: true, numeric: true, upper: false, special: false },
        secretOut(["result"]),
      ).result;
    const bytes32 = (suffix: string) =>
      new random.RandomBytes(`${name}-${suffix}`, { length: 32 }, secretOut(["base64", "hex"]))
        .base64;

    const machineToken = pulumi.interpolate`${text("machine-token-id", 6)}.${text("machine-token-secret", 16)}`;
    this.material = pulumi.secret(
      pulumi
        .all([
          caCert.certPem,
          caKey.privateKeyPem,
          machineToken,
          bytes32("cluster-id"),
          bytes32("cluster-secret"),
          bytes32("secretbox"),
          adminCert.certPem,
          adminKey.privateKeyPem,
        ])
        .apply(([osCaCert, osCaKey, token, id, secret, secretbox, admin, adminPem]) => ({
          osCa: { certPem: osCaCert, keyPem: osCaKey },
          machineToken: token,
          clusterId: id,
          clusterSecret: secret,
          secretboxEncryptionSecret: secretbox,
          admin: { certPem: admin, keyPem: adminPem },
        })),
    );
    this.registerOutputs({ material: this.material });
  }
}

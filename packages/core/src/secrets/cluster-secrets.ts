import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import * as tls from "@pulumi/tls";
import type { ClusterSecretMaterial, KeyPair } from "../contracts/bootstrap.js";
import { caCertHash } from "./ca-cert-hash.js";

const TEN_YEARS = 24 * 365 * 10;
const ONE_YEAR = 24 * 365;
/** `pulumi up` in the last 30 days of the admin certificate's life renews it. */
const RENEW_BEFORE = 24 * 30;

const CA_USES = ["cert_signing", "crl_signing", "digital_signature", "key_encipherment"];

/**
 * Every key and certificate a kubeadm cluster needs, and the control plane's
 * bootstrap token (kubeadm init makes it valid; joining control-plane nodes
 * use it; workers get tokens of their own per pool, `poolToken`), generated
 * by the Pulumi program before any machine exists. All outputs are secrets.
 *
 * Keys are ECDSA P-256: small enough that a control-plane node's whole
 * first-boot config fits EC2's 16 KiB user-data, and what kubeadm uses for
 * its own keys when `encryptionAlgorithm: ECDSA-P256`.
 */
export class ClusterSecrets extends pulumi.ComponentResource {
  /** Everything nodes need, in one secret output. */
  readonly material: pulumi.Output<ClusterSecretMaterial>;
  /** A client certificate in `system:masters`, for the admin kubeconfig. */
  readonly admin: pulumi.Output<KeyPair>;

  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super("minos:core:ClusterSecrets", name, {}, opts);
    const parent = { parent: this };

    const ca = selfSignedCa(`${name}-ca`, "kubernetes", parent);
    const frontProxyCa = selfSignedCa(`${name}-front-proxy-ca`, "front-proxy-ca", parent);
    const etcdCa = selfSignedCa(`${name}-etcd-ca`, "etcd-ca", parent);
    const serviceAccount = ecdsaKey(`${name}-service-account`, parent);

    const token = (suffix: string, length: number) =>
      new random.RandomString(
        `${name}-bootstrap-token-${suffix}`,
        { length, lower: true, numeric: true, upper: false, special: false },
        { ...parent, additionalSecretOutputs: ["result"] },
      ).result;
    const bootstrapToken = pulumi.interpolate`${token("id", 6)}.${token("secret", 16)}`;

    const adminKey = ecdsaKey(`${name}-admin`, parent);
    const adminCsr = new tls.CertRequest(
      `${name}-admin`,
      {
        privateKeyPem: adminKey.privateKeyPem,
        subject: { commonName: "minos-admin", organization: "system:masters" },
      },
      parent,
    );
    const adminCert = new tls.LocallySignedCert(
      `${name}-admin`,
      {
        certRequestPem: adminCsr.certRequestPem,
        caPrivateKeyPem: ca.key.privateKeyPem,
        caCertPem: ca.cert.certPem,
        validityPeriodHours: ONE_YEAR,
        earlyRenewalHours: RENEW_BEFORE,
        allowedUses: ["client_auth", "digital_signature", "key_encipherment"],
      },
      parent,
    );

    this.material = pulumi.secret(
      pulumi
        .output({
          caCert: ca.cert.certPem,
          caKey: ca.key.privateKeyPem,
          caPub: ca.key.publicKeyPem,
          fpCert: frontProxyCa.cert.certPem,
          fpKey: frontProxyCa.key.privateKeyPem,
          etcdCert: etcdCa.cert.certPem,
          etcdKey: etcdCa.key.privateKeyPem,
          saPub: serviceAccount.publicKeyPem,
          saKey: serviceAccount.privateKeyPem,
          token: bootstrapToken,
        })
        .apply(
          (k): ClusterSecretMaterial => ({
            join: { caCertPem: k.caCert, bootstrapToken: k.token, caCertHash: caCertHash(k.caPub) },
            controlPlane: {
              ca: { certPem: k.caCert, keyPem: k.caKey },
              frontProxyCa: { certPem: k.fpCert, keyPem: k.fpKey },
              etcdCa: { certPem: k.etcdCert, keyPem: k.etcdKey },
              serviceAccount: { publicKeyPem: k.saPub, privateKeyPem: k.saKey },
            },
          }),
        ),
    );
    this.admin = pulumi.secret(
      pulumi
        .all([adminCert.certPem, adminKey.privateKeyPem])
        .apply(([certPem, keyPem]) => ({ certPem, keyPem })),
    );
    this.registerOutputs({ material: this.material, admin: this.admin });
  }
}

function ecdsaKey(name: string, opts: pulumi.CustomResourceOptions): tls.PrivateKey {
  return new tls.PrivateKey(name, { algorithm: "ECDSA", ecdsaCurve: "P256" }, opts);
}

function selfSignedCa(name: string, commonName: string, opts: pulumi.CustomResourceOptions) {
  const key = ecdsaKey(name, opts);
  const cert = new tls.SelfSignedCert(
    name,
    {
      privateKeyPem: key.privateKeyPem,
      isCaCertificate: true,
      subject: { commonName },
      validityPeriodHours: TEN_YEARS,
      allowedUses: CA_USES,
    },
    opts,
  );
  return { key, cert };
}

import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { WorkerToken } from "../contracts/node-os.js";

/**
 * The group kubeadm binds node bootstrapping to: its members may post CSRs
 * (`system:node-bootstrapper`), have node client CSRs approved
 * (`kubeadm:node-autoapprove-bootstrap`), get nodes, and read the
 * `kubeadm-config` and `kubelet-config` ConfigMaps in kube-system.
 */
export const KUBEADM_NODE_TOKEN_GROUP = "system:bootstrappers:kubeadm:default-node-token";

/** The type and namespace every bootstrap token Secret has (`k8s.io/cluster-bootstrap`). */
export const BOOTSTRAP_TOKEN_TYPE = "bootstrap.kubernetes.io/token";

/** Labels on a pool's token Secret, to find the one to revoke. */
export const POOL_LABEL = "minos.dev/pool";
export const OWNER_LABEL = "minos.dev/owner";

/** One pool's bootstrap token, made by the program before any machine. */
export interface PoolToken {
  /** The public half, `[a-z0-9]{6}`: it names the Secret. Not secret. */
  id: pulumi.Output<string>;
  /** The private half, `[a-z0-9]{16}` (secret). */
  secret: pulumi.Output<string>;
  /** `<id>.<secret>`, as nodes are given it (secret). */
  token: pulumi.Output<string>;
}

/**
 * A pool's token: two `random` strings, kept in state (the secret half as a
 * secret), so every `pulumi up` renders the same payload. A new
 * `generation` replaces both, and with them the pool's payload and Secret.
 *
 * @param name The pool's planned group name (`<cluster>-worker-<pool>`,
 *   `<group>-<pool>`): a pool's token depends on nothing of another pool's.
 */
export function poolToken(
  name: string,
  generation: number,
  opts: pulumi.CustomResourceOptions,
): PoolToken {
  const keepers = { generation: String(generation) };
  const text = (suffix: string, length: number, secret: boolean) =>
    new random.RandomString(
      `${name}-token-${suffix}`,
      { length, lower: true, numeric: true, upper: false, special: false, keepers },
      { ...opts, ...(secret && { additionalSecretOutputs: ["result"] }) },
    ).result;
  const id = text("id", 6, false);
  const secret = pulumi.secret(text("secret", 16, true));
  return { id, secret, token: pulumi.secret(pulumi.interpolate`${id}.${secret}`) };
}

/** What a pool's token Secret says besides the token. */
export interface PoolTokenSecretArgs {
  /** The pool's name. */
  pool: string;
  /** The cluster or node group the pool belongs to. */
  owner: string;
  /** How the pool's workers use it: `kubeadm` adds the signing usage. */
  use: Exclude<WorkerToken, "none">;
  /** `auth-extra-groups`: what the cluster's control plane binds node bootstrapping to. */
  group: pulumi.Input<string>;
  /** RFC 3339 UTC time after which the token no longer works; none by default. */
  expiresAt?: string;
}

/**
 * The Secret that makes a pool's token valid in the cluster
 * (`kube-system/bootstrap-token-<id>`, type `bootstrap.kubernetes.io/token`),
 * made through a provider for that cluster. Deleting it revokes the token:
 * no machine joins with it again, and nodes that joined keep their own
 * certificates.
 */
export function poolTokenSecret(
  name: string,
  token: PoolToken,
  args: PoolTokenSecretArgs,
  opts: pulumi.CustomResourceOptions,
): k8s.core.v1.Secret {
  const b64 = (text: pulumi.Input<string>) =>
    pulumi.output(text).apply((t) => Buffer.from(t).toString("base64"));
  const data: Record<string, pulumi.Input<string>> = {
    "token-id": b64(token.id),
    "token-secret": pulumi.secret(b64(token.secret)),
    description: b64(`minos: lets machines of pool ${args.pool} (${args.owner}) join`),
    "usage-bootstrap-authentication": b64("true"),
    ...(args.use === "kubeadm" && { "usage-bootstrap-signing": b64("true") }),
    "auth-extra-groups": b64(args.group),
    ...(args.expiresAt !== undefined && { expiration: b64(args.expiresAt) }),
  };
  return new k8s.core.v1.Secret(
    `${name}-token`,
    {
      metadata: {
        name: pulumi.interpolate`bootstrap-token-${token.id}`,
        namespace: "kube-system",
        labels: { [POOL_LABEL]: args.pool, [OWNER_LABEL]: args.owner },
      },
      type: BOOTSTRAP_TOKEN_TYPE,
      data,
    },
    opts,
  );
}

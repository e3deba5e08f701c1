import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

type Rule = k8s.types.input.rbac.v1.PolicyRule;

/** A workload's identity: who it is, and what it may do cluster-wide and in its namespace. */
export interface ServiceAccountSpec {
  /** Account, role and binding name (the upstream manifest's). */
  name: string;
  namespace: string;
  /** Labels on every object, where upstream puts them. */
  labels?: Record<string, string>;
  /** What it may do anywhere (a ClusterRole). */
  clusterRules: Rule[];
  /** What it may do in its own namespace (a Role), if anything. */
  namespaceRules?: Rule[];
}

/**
 * A service account with its ClusterRole and binding, and a namespaced Role
 * and binding where it needs one: the RBAC every add-on manifest carries.
 * Resources are named `${prefix}-${spec.name}`; `inNamespace` options go to
 * the namespaced objects (they wait for the namespace).
 */
export function serviceAccount(
  prefix: string,
  spec: ServiceAccountSpec,
  opts: pulumi.CustomResourceOptions,
  inNamespace: pulumi.CustomResourceOptions = opts,
): pulumi.Resource[] {
  const id = `${prefix}-${spec.name}`;
  const metadata = { name: spec.name, ...(spec.labels && { labels: spec.labels }) };
  const subjects = [{ kind: "ServiceAccount", name: spec.name, namespace: spec.namespace }];
  const roleRef = (kind: string) => ({
    apiGroup: "rbac.authorization.k8s.io",
    kind,
    name: spec.name,
  });
  const account = new k8s.core.v1.ServiceAccount(
    id,
    { metadata: { ...metadata, namespace: spec.namespace } },
    inNamespace,
  );
  const clusterRole = new k8s.rbac.v1.ClusterRole(id, { metadata, rules: spec.clusterRules }, opts);
  const clusterBinding = new k8s.rbac.v1.ClusterRoleBinding(
    id,
    { metadata, roleRef: roleRef("ClusterRole"), subjects },
    opts,
  );
  if (!spec.namespaceRules) return [account, clusterRole, clusterBinding];
  const inNs = { ...metadata, namespace: spec.namespace };
  const role = new k8s.rbac.v1.Role(
    id,
    { metadata: inNs, rules: spec.namespaceRules },
    inNamespace,
  );
  const binding = new k8s.rbac.v1.RoleBinding(
    id,
    { metadata: inNs, roleRef: roleRef("Role"), subjects },
    inNamespace,
  );
  return [account, clusterRole, clusterBinding, role, binding];
}

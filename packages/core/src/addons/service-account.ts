import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

type Rule = k8s.types.input.rbac.v1.PolicyRule;

/** A workload's identity: who it is, and what it may do cluster-wide and in its namespace. */
export interface ServiceAccountSpec {
  /** Account, role and binding name (the upstream manifest's). */
  name: string;
  /** The roles' name, where upstream names them apart from the account. Default `name`. */
  roleName?: string;
  /** The bindings' name, where upstream names them apart from the account. Default `name`. */
  bindingName?: string;
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
  const named = (name: string) => ({ name, ...(spec.labels && { labels: spec.labels }) });
  const roleMeta = named(spec.roleName ?? spec.name);
  const bindingMeta = named(spec.bindingName ?? spec.name);
  const subjects = [{ kind: "ServiceAccount", name: spec.name, namespace: spec.namespace }];
  const roleRef = (kind: string) => ({
    apiGroup: "rbac.authorization.k8s.io",
    kind,
    name: roleMeta.name,
  });
  const account = new k8s.core.v1.ServiceAccount(
    id,
    { metadata: { ...named(spec.name), namespace: spec.namespace } },
    inNamespace,
  );
  const clusterRole = new k8s.rbac.v1.ClusterRole(
    id,
    { metadata: roleMeta, rules: spec.clusterRules },
    opts,
  );
  const clusterBinding = new k8s.rbac.v1.ClusterRoleBinding(
    id,
    { metadata: bindingMeta, roleRef: roleRef("ClusterRole"), subjects },
    opts,
  );
  if (!spec.namespaceRules) return [account, clusterRole, clusterBinding];
  const role = new k8s.rbac.v1.Role(
    id,
    { metadata: { ...roleMeta, namespace: spec.namespace }, rules: spec.namespaceRules },
    inNamespace,
  );
  const binding = new k8s.rbac.v1.RoleBinding(
    id,
    {
      metadata: { ...bindingMeta, namespace: spec.namespace },
      roleRef: roleRef("Role"),
      subjects,
    },
    inNamespace,
  );
  return [account, clusterRole, clusterBinding, role, binding];
}

import type { GraphNode } from "./pulumi-mocks.js";

/**
 * `pulumi destroy` as the engine runs it (pkg/resource/deploy: ScheduleDeletes
 * over pkg/resource/graph's DependenciesOf). A resource's dependencies are
 * its `dependsOn` and every resource an input came from (the URNs the SDK
 * sends; it already expands a component into its children), its provider,
 * its parent, its `deletedWith`, and, for a component among them, the
 * component's children registered before it. Deletes run in parallel waves,
 * and the only promise is that a resource goes after everything that
 * depends on it: the waves themselves follow chain lengths, so a resource
 * that a Kubernetes object does not depend on, directly or not, may be
 * deleted before it or in the same wave (as the private route-table
 * associations of an AWS cluster were, beside its Kubernetes namespaces).
 *
 * So: a resource is safe from being deleted before a Kubernetes object K
 * only if it is in K's transitive dependencies. Every resource that carries
 * API traffic must be, for every K, or K's delete may lose the API.
 *
 * Read the other way, it is what a resource waits for on `pulumi up`: the
 * SDK registers it only once its dependencies have registered (their
 * create or update done), so nothing in its closure can wait for it.
 */
export function dependenciesOf(graph: GraphNode[]): Map<string, string[]> {
  const children = new Map<string, string[]>();
  for (const node of graph)
    if (node.parent) children.set(node.parent, [...(children.get(node.parent) ?? []), node.urn]);
  const byUrn = new Map(graph.map((n, i) => [n.urn, { node: n, order: i }]));
  const descendants = (urn: string): string[] =>
    (children.get(urn) ?? []).flatMap((c) => [c, ...descendants(c)]);
  const deps = new Map<string, string[]>();
  for (const [order, node] of graph.entries()) {
    const direct = [...node.dependencies, node.provider, node.deletedWith].filter(Boolean);
    const fromComponents = direct
      .filter((urn) => byUrn.get(urn)?.node.custom === false)
      .flatMap(descendants)
      .filter((urn) => (byUrn.get(urn)?.order ?? Infinity) < order);
    deps.set(node.urn, [...direct, ...fromComponents, ...(node.parent ? [node.parent] : [])]);
  }
  return deps;
}

/** Everything `urn` depends on, directly or not. */
export function closure(deps: Map<string, string[]>, urn: string): Set<string> {
  const seen = new Set<string>();
  const stack = [...(deps.get(urn) ?? [])];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    if (seen.has(next)) continue;
    seen.add(next);
    stack.push(...(deps.get(next) ?? []));
  }
  return seen;
}

import * as pulumi from "@pulumi/pulumi";

/** The libvirt objects minos manages, by provider name. */
export type ProviderName = "network" | "baseImage" | "disk" | "configDisk" | "domain";

/**
 * What Pulumi serializes for each dynamic resource: a few lines that load the
 * real provider from this package in the provider process. The provider code
 * stays ordinary, importable and testable; nothing of this process's module
 * state is captured.
 */
export function providerShim(name: ProviderName): pulumi.dynamic.ResourceProvider {
  const load = () => require("@minos/libvirt/providers").providers[name];
  return {
    create: (inputs) => load().create(inputs),
    read: (id, props) => load().read(id, props),
    diff: (id, olds, news) => load().diff(id, olds, news),
    update: (id, olds, news) => load().update(id, olds, news),
    delete: (id, props) => load().delete(id, props),
  };
}

/** A libvirt object as a Pulumi dynamic resource, typed `minos-libvirt:<Type>`. */
export class LibvirtResource extends pulumi.dynamic.Resource {
  constructor(
    kind: ProviderName,
    type: string,
    name: string,
    props: pulumi.Inputs,
    opts?: pulumi.CustomResourceOptions,
  ) {
    super(providerShim(kind), name, props, opts, "minos-libvirt", type);
  }
}

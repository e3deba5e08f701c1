import { dynamicProviderShim } from "@minos/provider-kit";
import * as pulumi from "@pulumi/pulumi";

/** The libvirt objects minos manages, by provider name. */
export type ProviderName = "network" | "baseImage" | "disk" | "configDisk" | "domain";

/**
 * What Pulumi serializes for each libvirt resource: a loader of this
 * package's providers (see `dynamicProviderShim`). The KVM platform
 * (`@minos/kvm`) makes these resources, and a program lists it, not always
 * this package, so the provider process looks for it through `@minos/kvm` too.
 */
export function providerShim(name: ProviderName): pulumi.dynamic.ResourceProvider {
  let shim = shims.get(name);
  if (!shim) {
    shim = dynamicProviderShim("@minos/libvirt/providers", name, {
      from: __dirname,
      via: ["@minos/kvm"],
    });
    shims.set(name, shim);
  }
  return shim;
}

/**
 * One shim per provider for the whole program: Pulumi caches each
 * provider's serialized text by the provider object, so a new object per
 * resource serialized the same closure again for every domain and disk.
 */
const shims = new Map<ProviderName, pulumi.dynamic.ResourceProvider>();

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

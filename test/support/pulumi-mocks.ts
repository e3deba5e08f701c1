import { generateKeyPairSync } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";

/** One resource the program registered under mocks. */
export interface RegisteredResource {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

/** Outputs of one resource; a promise so tests can await registration. */
function outputsFor(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
): Record<string, unknown> {
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
    case "random:index/randomString:RandomString": {
      const length = Number(inputs.length);
      return {
        ...inputs,
        result: "abcdefghijklmnopqrstuvwxyz0123456789".repeat(2).slice(0, length),
      };
    }
    default:
      return inputs;
  }
}

/**
 * Installs Pulumi mocks that record every resource. Keys are real ECDSA keys;
 * certificates are placeholders (nothing in minos parses them). Call before
 * constructing any component.
 */
export function installMocks(): RegisteredResource[] {
  const registered: RegisteredResource[] = [];
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs });
        return { id: `${args.name}-id`, state: outputsFor(args.type, args.name, args.inputs) };
      },
      call: (args) => args.inputs,
    },
    "minos-test",
    "test",
    false,
  );
  return registered;
}

/** Resolves an Output's value. */
export function resolved<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

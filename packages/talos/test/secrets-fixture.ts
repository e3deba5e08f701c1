import { generateTalosSecrets } from "@minos/cli";
import type { ClusterSecretMaterial } from "@minos/core";
import { beforeAll } from "vitest";
import { testSecrets } from "../../../test/support/secrets.js";
import type { TalosSecretMaterial } from "../src/index.js";

// biome-ignore lint/suspicious/noExplicitAny: a parsed YAML tree, read by path in assertions
export type Parsed = Record<string, any>;

/** The cluster's and Talos's own secrets, made once before a test file's tests. */
export function talosSecretsFixture(): {
  cluster: ClusterSecretMaterial;
  talos: TalosSecretMaterial;
} {
  const made = {} as { cluster: ClusterSecretMaterial; talos: TalosSecretMaterial };
  beforeAll(async () => {
    made.cluster = await testSecrets();
    made.talos = await generateTalosSecrets();
  });
  return made;
}

import { KUBERNETES_SUPPORT } from "@minos/core";
import { describe, expect, it } from "vitest";
import { OPERATING_SYSTEMS } from "../src/index.js";

describe("the OSes minos render knows", () => {
  it.each(Object.entries(OPERATING_SYSTEMS).filter(([, os]) => os.defaultKubernetesVersion))(
    "%s: the default version its help states before loading it is the one its renderer uses",
    async (_, os) => {
      await os.load?.();
      const renderer = os.make();
      expect((renderer.kubernetes ?? KUBERNETES_SUPPORT).defaultVersion).toBe(
        os.defaultKubernetesVersion,
      );
    },
  );
});

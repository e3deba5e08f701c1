/**
 * `@minos/workload/providers`: the dynamic providers this package
 * serializes by name (see `dynamicProviderShim`), loaded in Pulumi's
 * provider process where the program runs.
 */
import { collectorProvider } from "./collector/collector-provider.js";

/** The providers by the name their shims load. */
export const providers = { probeCollector: collectorProvider };

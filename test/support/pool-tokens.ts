import type { RegisteredResource } from "./pulumi-mocks.js";
import { isSecretInput, plain } from "./pulumi-mocks.js";

/** The type of a pool's token Secret as the engine registers it. */
export const SECRET_TYPE = "kubernetes:core/v1:Secret";

/** A registered bootstrap token Secret, read back: its name, labels, type and decoded data. */
export interface TokenSecret {
  name: string;
  namespace: string;
  type: string;
  labels: Record<string, string>;
  /** Every data key, base64-decoded. */
  data: Record<string, string>;
  /** Whether `data` was registered as a secret. */
  dataSecret: boolean;
  /** `<token-id>.<token-secret>`. */
  token: string;
}

/** Reads a registered `bootstrap-token-<id>` Secret. */
export function tokenSecret(r: RegisteredResource | undefined): TokenSecret {
  if (!r) throw new Error("no such Secret was registered");
  const metadata = r.inputs.metadata as {
    name: string;
    namespace: string;
    labels: Record<string, string>;
  };
  const raw = plain<Record<string, string>>(r.inputs.data);
  const data = Object.fromEntries(
    Object.entries(raw).map(([k, v]) => [k, Buffer.from(v, "base64").toString()]),
  );
  return {
    name: metadata.name,
    namespace: metadata.namespace,
    type: r.inputs.type as string,
    labels: metadata.labels,
    data,
    dataSecret: isSecretInput(r.inputs.data),
    token: `${data["token-id"]}.${data["token-secret"]}`,
  };
}

/** The token Secret registered for a pool's planned group (`<cluster>-worker-<pool>`, `<group>-<pool>`). */
export function poolTokenOf(registered: RegisteredResource[], group: string): TokenSecret {
  return tokenSecret(registered.find((r) => r.type === SECRET_TYPE && r.name === `${group}-token`));
}

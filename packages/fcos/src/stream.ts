import type { Arch } from "@minos/core/render";
import { MinosError } from "@minos/core/render";

/** Fedora CoreOS update streams. */
export type FcosStream = "stable" | "testing" | "next";
export const FCOS_STREAMS: readonly FcosStream[] = ["stable", "testing", "next"];

/** Where Fedora CoreOS publishes stream metadata. */
export const STREAM_BASE_URL = "https://builds.coreos.fedoraproject.org/streams";

/** The images one stream offers for one architecture. */
export interface FcosImages {
  release: string;
  /** AMI id per AWS region. */
  aws: Record<string, string>;
  gcp: { project: string; family: string; name: string };
  /** The QEMU qcow2.xz: where, and the SHA-256 of the compressed file. */
  qemu: { url: string; sha256: string };
}

/** Stream metadata names architectures as the kernel does. */
const STREAM_ARCH: Record<Arch, string> = { amd64: "x86_64", arm64: "aarch64" };

/**
 * Reads the images for an architecture out of stream metadata
 * (`.architectures.<arch>.images.aws.regions`, `.images.gcp`,
 * `.artifacts.qemu.formats["qcow2.xz"].disk`). A missing field is an error
 * naming its path: the metadata format changed, or the stream lacks it.
 */
export function imagesFromStream(
  stream: unknown,
  arch: Arch,
  source = "stream metadata",
): FcosImages {
  const root = `architectures.${STREAM_ARCH[arch]}`;
  const at = (path: string): unknown =>
    path
      .split(".")
      .reduce<unknown>(
        (node, key) =>
          node && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined,
        stream,
      );
  const need = (path: string, shape: RegExp): string => {
    const value = at(path);
    if (typeof value !== "string" || !shape.test(value))
      throw new MinosError(`${source} ${path}`, value, `expected ${shape}`);
    return value;
  };
  const arches = at("architectures");
  if (!arches || typeof arches !== "object" || !(STREAM_ARCH[arch] in arches)) {
    const listed = arches && typeof arches === "object" ? Object.keys(arches).join(", ") : "none";
    throw new MinosError(
      "arch",
      arch,
      `${source} has no ${STREAM_ARCH[arch]} images (it lists: ${listed || "none"})`,
    );
  }
  const qemu = at(`${root}.artifacts.qemu.formats`) as
    | Record<string, { disk?: { location?: unknown; sha256?: unknown } }>
    | undefined;
  const disk = qemu?.["qcow2.xz"]?.disk;
  if (
    typeof disk?.location !== "string" ||
    typeof disk.sha256 !== "string" ||
    !/^[0-9a-f]{64}$/.test(disk.sha256)
  ) {
    throw new MinosError(
      `${source} ${root}.artifacts.qemu.formats["qcow2.xz"].disk`,
      disk,
      "expected { location, sha256 }",
    );
  }
  const regions = at(`${root}.images.aws.regions`);
  if (!regions || typeof regions !== "object")
    throw new MinosError(
      `${source} ${root}.images.aws.regions`,
      regions,
      "expected an object of regions",
    );
  const aws = Object.fromEntries(
    Object.entries(regions as Record<string, { image?: unknown }>)
      .filter(([, r]) => typeof r?.image === "string" && /^ami-[0-9a-f]+$/.test(r.image))
      .map(([region, r]) => [region, r.image as string]),
  );
  return {
    release: need(`${root}.artifacts.qemu.release`, /^\d+\.\d+\.\d+\.\d+$/),
    aws,
    gcp: {
      project: need(`${root}.images.gcp.project`, /^[a-z][-a-z0-9]+$/),
      family: need(`${root}.images.gcp.family`, /^[a-z][-a-z0-9]+$/),
      name: need(`${root}.images.gcp.name`, /^[a-z][-a-z0-9]+$/),
    },
    qemu: { url: disk.location, sha256: disk.sha256 },
  };
}

/**
 * Fetches a stream's metadata, giving up after `timeoutMs` with an error
 * that says where it looked and how to pin an image instead.
 */
export async function fetchStream(
  stream: FcosStream,
  options: { baseUrl?: string; timeoutMs?: number } = {},
): Promise<unknown> {
  const url = `${(options.baseUrl ?? STREAM_BASE_URL).replace(/\/+$/, "")}/${stream}.json`;
  const timeoutMs = options.timeoutMs ?? 30_000;
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    const reason =
      (e as Error).name === "TimeoutError" ? `no answer in ${timeoutMs} ms` : (e as Error).message;
    throw new Error(
      `minos: cannot read Fedora CoreOS stream metadata at ${url} (${reason}); pin an image instead`,
    );
  }
  if (!response.ok)
    throw new Error(
      `minos: ${url} answered ${response.status} ${response.statusText}; pin an image instead`,
    );
  return response.json();
}

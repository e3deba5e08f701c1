/**
 * What a readiness gate's timeout error adds: where to look for why the
 * nodes never came up, from the platform (`Platform.serialConsole`) and the
 * OS (`NodeOs.troubleshooting`). Plain text, so the gate, which Pulumi
 * serializes, takes it as data; undefined when neither says anything.
 */
export function readinessTroubleshooting(
  os: { name: string; troubleshooting?: string },
  platform: { name: string; serialConsole?: string },
): string | undefined {
  const where = [
    platform.serialConsole && `the nodes' serial console (${platform.serialConsole})`,
    os.troubleshooting && `on a ${os.name} node, ${os.troubleshooting}`,
  ].filter(Boolean);
  return where.length > 0 ? `to see why, read ${where.join("; and ")}` : undefined;
}

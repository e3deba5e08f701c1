import * as pulumi from "@pulumi/pulumi";

/** A program's own state, by its connection to the engine. */
const programs = new WeakMap<object, Map<string, Map<string, unknown>>>();
const outsidePulumi = {};

/**
 * A map of this program's own, one per `kind`. A program is one connection
 * to the engine, its resource monitor (under mocks, each `setMocks` starts
 * another). Module-level on purpose: clusters made anywhere in one program
 * meet here, whichever package made them.
 */
export function perProgram<T>(kind: string): Map<string, T> {
  const program = pulumi.runtime.getMonitor() ?? outsidePulumi;
  let kinds = programs.get(program);
  if (!kinds) {
    kinds = new Map();
    programs.set(program, kinds);
  }
  let map = kinds.get(kind);
  if (!map) {
    map = new Map();
    kinds.set(kind, map);
  }
  return map as Map<string, T>;
}

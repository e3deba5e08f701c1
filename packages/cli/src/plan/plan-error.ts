/** A plan that cannot run: one line saying what to set or install. */
export class PlanError extends Error {
  override readonly name = "PlanError";
  constructor(message: string) {
    super(`minos: ${message}`);
  }
}

import type { Command } from "../command.js";
import { DOCTOR_HELP, doctor } from "./doctor.js";

/** `minos doctor`. */
export const doctorCommand: Command = {
  name: "doctor",
  summary: "check this machine can build clusters on KVM",
  help: DOCTOR_HELP,
  async run(args) {
    const result = await doctor(args);
    process.stdout.write(result === "help" ? DOCTOR_HELP : result.text);
    return result === "help" ? 0 : result.exitCode;
  },
};

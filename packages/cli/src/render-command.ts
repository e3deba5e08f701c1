import { writeFileSync } from "node:fs";
import type { Command } from "./command.js";
import { renderFiles } from "./files/render-files.js";
import { OPERATING_SYSTEMS } from "./operating-systems.js";
import { RENDER_HELP, render } from "./render.js";

/** `minos render`. */
export const renderCommand: Command = {
  name: "render",
  summary: "print the first-boot payload a node receives",
  help: RENDER_HELP,
  async run(args) {
    const result = await render(args);
    if (result === "help") {
      process.stdout.write(RENDER_HELP);
      return 0;
    }
    const os = OPERATING_SYSTEMS[result.os];
    const files = result.files && os ? [renderFiles(os, result.payload, result.files)] : [];
    if (result.out) writeFileSync(result.out, result.payload);
    else if (!result.files) process.stdout.write(result.payload);
    process.stderr.write([result.summary, ...files, ""].join("\n"));
    return 0;
  },
};

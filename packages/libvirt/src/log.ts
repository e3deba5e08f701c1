/**
 * Messages to the operator: Pulumi's log in the dynamic-provider process
 * (shown with the resource in `pulumi up` and `destroy`). An object, so a
 * test can watch what the driver says.
 */
export const log = {
  info(message: string): void {
    pulumiLog().info(message);
  },
  warn(message: string): void {
    pulumiLog().warn(message);
  },
};

// Loaded when used: the provider process's own @pulumi/pulumi.
const pulumiLog = (): typeof import("@pulumi/pulumi").log => require("@pulumi/pulumi").log;

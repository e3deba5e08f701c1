/** `minos plan --help`; apart from plan.ts, which loads the Pulumi SDK, so `minos help plan` need not. */
export const PLAN_HELP = `Usage: minos plan <program-dir> [--config key=value ...] [--json]

Runs a Pulumi program under mocks and prints the resources it would create
(type, name, parent), each node group's first-boot payload size and
delivery, and the program's stack outputs: a preview without cloud
credentials or the Pulumi CLI.

Options:
  --config key=value   stack config, as 'pulumi config set' would give it
                       (e.g. platform=aws, gcp:region=europe-west1); repeatable
  --json               print the plan as JSON: every resource's type, name,
                       parent and inputs (secrets as "[secret]", a dynamic
                       provider's code as its size and hash), the payloads,
                       and the stack outputs (secret ones as "[secret]")
  -h, --help           show this help
`;

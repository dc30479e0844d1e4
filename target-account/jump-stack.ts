import * as pulumi from "@pulumi/pulumi";
import {
  CONTRACT_OUTPUTS,
  ConfigError,
  jumpContractSchema,
  readStackOutputs,
  type JumpContract,
  type TargetContract,
} from "@jumpenv/shared";

/**
 * The one typed reader of the jump stack. It reads the stack's outputs once
 * (shared/stack-outputs.ts), takes every contract output, fails loudly (naming the stack and the
 * output) when one is missing or malformed, and is the only place that turns stack outputs into
 * the contract type.
 */
export async function readJumpStack(stackName: string): Promise<JumpContract> {
  let outputs: Readonly<Record<string, unknown>> | undefined;
  try {
    outputs = await readStackOutputs(new pulumi.StackReference(stackName));
  } catch (e) {
    // The engine could not read the stack (a misspelt name, no access): one line in the user's
    // terms instead of the runtime's trace.
    throw new ConfigError([
      `stack "${pulumi.getStack()}": target-account:jumpStack is "${stackName}", which could not be read (${(e instanceof Error ? e.message : String(e)).split("\n")[0]}); expected the fully qualified name of a deployed jump-account stack, <organization>/jump-account/<stack>`,
    ]);
  }
  const raw: Record<string, unknown> = {};
  for (const output of CONTRACT_OUTPUTS) {
    const value = outputs?.[output];
    if (value === undefined) {
      throw new ConfigError([
        `stack "${pulumi.getStack()}": target-account:jumpStack is "${stackName}", but that stack has no output "${output}"; expected a deployed jump-account stack (run \`pulumi up\` there first)`,
      ]);
    }
    raw[output] = value;
  }
  const parsed = jumpContractSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ConfigError([
      `stack "${pulumi.getStack()}": the outputs of jump stack "${stackName}" do not match this version's contract at ${first.path.join(".")}: ${first.message}; expected outputs written by the same version of jump-account`,
    ]);
  }
  return parsed.data;
}

/** This account's entry in the contract, or a clear error when the jump stack does not list it. */
export function targetOf(contract: JumpContract, accountId: string, stackName: string): TargetContract {
  const target = contract.targets.find((t) => t.accountId === accountId);
  if (!target) {
    throw new ConfigError([
      `stack "${pulumi.getStack()}": aws:allowedAccountIds is ["${accountId}"], but jump stack "${stackName}" lists no such target (it lists ${contract.targets.map((t) => t.accountId).join(", ")}); expected an account declared in jump-account:targets`,
    ]);
  }
  return target;
}

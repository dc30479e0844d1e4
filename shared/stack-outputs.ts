import * as pulumi from "@pulumi/pulumi";

/**
 * The outputs of a referenced stack, read in one pass. `StackReference.getOutputDetails` walks the
 * whole outputs object once per output asked for (Pulumi's `all`, `outputRec` and
 * `containsUnknowns` over every value): a jump stack of 1,000 accounts x 1,000 users exports
 * megabytes, so reading four outputs that way cost a dozen walks of them per target stack. Here
 * the runtime walks them once, when it builds `ref.outputs`.
 *
 * Resolves to the outputs (secret ones as plain values, as `getOutputDetails` gives them in
 * `secretValue`), or to undefined when the engine reports them unknown; rejects with the engine's
 * error when the stack cannot be read (a misspelt name, no access).
 */
export async function readStackOutputs(ref: pulumi.StackReference): Promise<Readonly<Record<string, unknown>> | undefined> {
  let outputs: Record<string, unknown> | undefined;
  // `apply` runs only for known outputs; waiting on the applied output's secretness waits for the
  // read itself (and rejects with its error), and is public API where `Output.promise` is not.
  const read = ref.outputs.apply((o: Record<string, unknown>) => {
    outputs = o;
  });
  await pulumi.isSecret(read);
  return outputs;
}

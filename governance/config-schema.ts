/**
 * The config schema of the governance project (the root `Pulumi.yaml`), declared once with zod.
 * `npm run docs` (docgen/) generates the project's `config:` declarations and the config reference
 * from it.
 */
import { z } from "zod";

export const POLICY_GROUP_MODES = ["preventative", "audit"] as const;

/** Keys of the governance project (namespace = project name). */
export const governanceConfigSchema = z
  .object({
    mode: z
      .enum(POLICY_GROUP_MODES, { error: `expected one of ${POLICY_GROUP_MODES.join(", ")}` })
      .default("preventative")
      .describe(
        'How Pulumi Cloud applies the pack to the stacks: "preventative" blocks a preview or update that has a mandatory violation, "audit" only reports it.',
      ),
  })
  .strict();

export type GovernanceSettings = Readonly<z.output<typeof governanceConfigSchema>>;

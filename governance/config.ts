/**
 * Reads the governance stack's config with the one parser every project's loader uses
 * (`parseNamespace` in `shared/config.ts`): validated before anything is registered, failing with one
 * line per problem that names the stack, the key, the value and what was expected.
 */
import * as pulumi from "@pulumi/pulumi";
import * as providerConfig from "@pulumi/pulumiservice/config/vars";
import { ConfigError, namespaceProblems, parseNamespace, type NamespaceKeys, type RawConfig } from "@jumpenv/shared";
import { governanceConfigSchema, type GovernanceSettings } from "./config-schema";

/** Besides its own keys, the governance stack sets only the Pulumi Cloud provider's and the CLI's own. */
const NAMESPACES: NamespaceKeys = { pulumiservice: Object.keys(providerConfig), pulumi: "any" };

/** Pure: parse the raw config the CLI passes (`<project>:<key>` to string) into settings. */
export function parseGovernanceConfig(raw: RawConfig, project: string, stack: string): GovernanceSettings {
  const problems: string[] = [];
  const id = { project, stack };
  namespaceProblems(raw, id, NAMESPACES, problems);
  const settings = parseNamespace(governanceConfigSchema, raw, id, problems);
  if (!settings || problems.length > 0) throw new ConfigError(problems);
  return settings;
}

/** Load and validate the running governance stack's config. */
export function loadGovernanceConfig(): GovernanceSettings {
  return parseGovernanceConfig(pulumi.runtime.allConfig(), pulumi.getProject(), pulumi.getStack());
}

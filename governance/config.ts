/**
 * Reads the governance stack's config: validated with its schema before anything is registered,
 * failing with one line per problem that names the stack, the key, the value and what was
 * expected (the same shape as the jump-account and target-account loaders in `shared`).
 */
import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { ConfigError, type RawConfig } from "@jumpenv/shared";
import { governanceConfigSchema, type GovernanceSettings } from "./config-schema";

function show(value: unknown): string {
  return value === undefined ? "missing" : JSON.stringify(value);
}

/** The CLI passes strings as they are and every other value as JSON. */
function takesString(schema: z.ZodType): boolean {
  let def = schema.def as { type: string; innerType?: z.ZodType };
  while ((def.type === "default" || def.type === "optional") && def.innerType) def = def.innerType.def as typeof def;
  return def.type === "string" || def.type === "enum";
}

/** Pure: parse the raw config the CLI passes (`<project>:<key>` to string) into settings. */
export function parseGovernanceConfig(raw: RawConfig, project: string, stack: string): GovernanceSettings {
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  const keys = Object.keys(governanceConfigSchema.shape);
  for (const [fullKey, text] of Object.entries(raw)) {
    if (!fullKey.startsWith(`${project}:`)) continue;
    const key = fullKey.slice(project.length + 1);
    if (!keys.includes(key)) {
      problems.push(
        `stack "${stack}": ${fullKey} is ${show(text)}; unknown key; expected one of ${keys.map((k) => `${project}:${k}`).join(", ")}`,
      );
      continue;
    }
    if (takesString(governanceConfigSchema.shape[key as keyof typeof governanceConfigSchema.shape])) {
      values[key] = text;
      continue;
    }
    try {
      values[key] = JSON.parse(text);
    } catch {
      problems.push(`stack "${stack}": ${fullKey} is ${show(text)}; expected a YAML/JSON value (list, object, number or boolean)`);
    }
  }
  const result = governanceConfigSchema.safeParse(values);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = `${project}:${issue.path.map(String).join(".")}`;
      problems.push(`stack "${stack}": ${key} is ${show(values[String(issue.path[0])])}; ${issue.message}`);
    }
  }
  if (problems.length > 0 || !result.success) throw new ConfigError(problems);
  return result.data;
}

/** Load and validate the running governance stack's config. */
export function loadGovernanceConfig(): GovernanceSettings {
  return parseGovernanceConfig(pulumi.runtime.allConfig(), pulumi.getProject(), pulumi.getStack());
}

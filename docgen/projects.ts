/**
 * The three Pulumi projects whose config is documented, and how each top-level key of their zod
 * schemas is handled in Pulumi.yaml.
 *
 * Pulumi's project schema (sdk/go/common/workspace/project.json) gives a declared key a `type`
 * of string, integer, boolean, array or object (object since v3.187: the CLI checks only that the
 * value is a map, `ValidateConfigValue` in sdk/go/common/workspace/project.go), and an array's
 * `items` one of those again. So every key is declared, lists of objects (`users`, `groups`,
 * `targets`) and objects (`passwordPolicy`) included; their fields are documented in the reference
 * and checked by the program's own validation (shared/config.ts). A declared key without a
 * default is required by the CLI, so an optional key without a default is not declared.
 */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { z } from "zod";
import { jumpConfigSchema, targetConfigSchema } from "../shared/config-schema";
import { identityCenterConfigSchema } from "../shared/identity-center-schema";
import { AWS_REGIONS } from "../shared/aws-provider";
import { governanceConfigSchema } from "../governance/config-schema";

export const REPO_ROOT = path.resolve(__dirname, "..");

/** A JSON Schema node as `z.toJSONSchema` writes it (the parts used here). */
export interface JsonSchema {
  type?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
}

interface ProviderKey {
  readonly key: string;
  readonly required: boolean;
  readonly description: string;
}

export interface ProjectDoc {
  /** Project folder relative to the repository root (`.` for the root project). */
  readonly dir: string;
  readonly schema: z.ZodObject;
  /** Where the schema lives, for the generated comments. */
  readonly schemaSource: string;
  /** Keys of other namespaces the project reads. Pulumi.yaml may not declare a type for them. */
  readonly providerKeys: readonly ProviderKey[];
}

const AWS_KEYS: readonly ProviderKey[] = [
  {
    key: "aws:allowedAccountIds",
    required: true,
    description:
      'Exactly one 12-digit account id, quoted (`["111122223333"]`): the stack\'s own account. It pins the AWS provider to that account, and the program reads the account id from it.',
  },
  {
    key: "aws:region",
    required: true,
    description: `Region of the AWS provider: one of the aws partition's regions in the provider's Region list (${AWS_REGIONS.join(", ")}). IAM is global; any enabled region works (the examples use \`us-east-1\`).`,
  },
];

export const PROJECTS: readonly ProjectDoc[] = [
  { dir: "jump-account", schema: jumpConfigSchema, schemaSource: "shared/config-schema.ts (jumpConfigSchema)", providerKeys: AWS_KEYS },
  {
    dir: "target-account",
    schema: targetConfigSchema,
    schemaSource: "shared/config-schema.ts (targetConfigSchema)",
    providerKeys: AWS_KEYS,
  },
  {
    dir: "identity-center",
    schema: identityCenterConfigSchema,
    schemaSource: "shared/identity-center-schema.ts (identityCenterConfigSchema)",
    providerKeys: AWS_KEYS,
  },
  {
    dir: ".",
    schema: governanceConfigSchema,
    schemaSource: "governance/config-schema.ts (governanceConfigSchema)",
    providerKeys: [
      {
        key: "pulumiservice:accessToken",
        required: false,
        description:
          "Pulumi Cloud token of the provider. Unset, the provider uses the `PULUMI_ACCESS_TOKEN` environment variable, like the CLI.",
      },
    ],
  },
];

/** Pulumi.yaml's declarable types (an array's items are one of these too). */
const SIMPLE_TYPES = ["string", "integer", "boolean", "object"];

/** The oldest Pulumi CLI that accepts every declaration generated here (`type: object`). */
export const MIN_PULUMI_CLI = "3.187.0";

/** How a top-level key is handled in Pulumi.yaml. */
export type Declaration =
  | { readonly kind: "declared"; readonly decl: Record<string, unknown> }
  | { readonly kind: "structured"; readonly reason: string }
  | { readonly kind: "optional"; readonly reason: string };

export interface KeyDoc {
  readonly key: string;
  readonly schema: JsonSchema;
  readonly required: boolean;
  readonly declaration: Declaration;
}

function jsonSchemaOf(schema: z.ZodObject): JsonSchema {
  return z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
}

/** The Pulumi.yaml type of a JSON Schema node, or undefined when Pulumi.yaml cannot declare it. */
export function pulumiTypeOf(s: JsonSchema): { type: string; items?: { type: string } } | undefined {
  if (s.type && SIMPLE_TYPES.includes(s.type)) return { type: s.type };
  if (s.type === "array" && s.items?.type && SIMPLE_TYPES.includes(s.items.type)) return { type: "array", items: { type: s.items.type } };
  return undefined;
}

export function keyDocs(project: ProjectDoc): KeyDoc[] {
  const root = jsonSchemaOf(project.schema);
  const required = new Set(root.required ?? []);
  return Object.entries(root.properties ?? {}).map(([key, s]) => {
    const isRequired = required.has(key);
    const type = pulumiTypeOf(s);
    let declaration: Declaration;
    if (!type) {
      declaration = {
        kind: "structured",
        reason: "its value is not a string, integer, boolean, object or a list of those, which is all Pulumi.yaml can declare",
      };
    } else if (!isRequired && s.default === undefined) {
      declaration = {
        kind: "optional",
        reason: "it is optional without a default, and the CLI requires every declared key that has no default",
      };
    } else {
      declaration = {
        kind: "declared",
        decl: {
          type: type.type,
          ...(type.items ? { items: type.items } : {}),
          description: s.description ?? "",
          ...(s.default !== undefined ? { default: s.default } : {}),
        },
      };
    }
    return { key, schema: s, required: isRequired, declaration };
  });
}

export function projectNameIn(dir: string): string {
  const doc = YAML.parse(fs.readFileSync(path.join(REPO_ROOT, dir, "Pulumi.yaml"), "utf8")) as { name?: unknown };
  if (typeof doc?.name !== "string") throw new Error(`${path.join(dir, "Pulumi.yaml")}: no project name`);
  return doc.name;
}

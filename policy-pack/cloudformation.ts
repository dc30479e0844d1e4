/**
 * IAM principals inside CloudFormation: the templates of `aws` and `aws-native` CloudFormation
 * stacks and stack sets, and Cloud Control resources (a CloudFormation resource type with its
 * desired state), read as the resources they would create.
 *
 * JSON templates are parsed with `JSON.parse`; YAML ones with the `yaml` package, loaded only when
 * a YAML template turns up so that the pack's cold start does not pay for it. CloudFormation's
 * short-form tags (`!Sub`, `!Ref`, `!GetAtt`, ...) become their long forms (`Fn::Sub`, `Ref`, ...).
 */
import { readProp } from "./unknown";

/** Resource types that carry a CloudFormation template, and where. */
export const TEMPLATE_TYPES: Readonly<Record<string, { readonly body: string; readonly url: string; readonly what: string }>> = {
  "aws:cloudformation/stack:Stack": { body: "templateBody", url: "templateUrl", what: "CloudFormation stack" },
  "aws:cloudformation/stackSet:StackSet": { body: "templateBody", url: "templateUrl", what: "CloudFormation stack set" },
  "aws-native:cloudformation:Stack": { body: "templateBody", url: "templateUrl", what: "CloudFormation stack" },
};

/** A Cloud Control resource: any CloudFormation resource type, created from a JSON desired state. */
export const CLOUD_CONTROL_TYPE = "aws:cloudcontrol/resource:Resource";

/** A stack set deploys into other accounts: `${AWS::AccountId}` is each of them, never this stack's. */
export const STACK_SET_TYPE = "aws:cloudformation/stackSet:StackSet";

/** One resource a template (or a Cloud Control resource) would create. */
export interface TemplateResource {
  readonly logicalId: string;
  readonly type: string;
  readonly properties: Readonly<Record<string, unknown>>;
}

export type TemplateRead =
  | { readonly state: "not-a-template" }
  | { readonly state: "unknown"; readonly path: string }
  | { readonly state: "url"; readonly url: string }
  | { readonly state: "absent" }
  | { readonly state: "unreadable"; readonly error: string }
  | { readonly state: "read"; readonly what: string; readonly resources: readonly TemplateResource[] };

const SHORT_FORMS = [
  "Base64",
  "Cidr",
  "FindInMap",
  "GetAtt",
  "GetAZs",
  "ImportValue",
  "Join",
  "Length",
  "Select",
  "Split",
  "Sub",
  "ToJsonString",
  "Transform",
  "And",
  "Equals",
  "If",
  "Not",
  "Or",
  "Ref",
  "Condition",
];

let yamlTags: unknown[] | undefined;

/** The short-form tags as `yaml` custom tags, each for a scalar, a sequence and a mapping. */
function cloudFormationTags(): unknown[] {
  if (yamlTags) return yamlTags;
  yamlTags = SHORT_FORMS.flatMap((name) => {
    const key = name === "Ref" || name === "Condition" ? name : `Fn::${name}`;
    // `!GetAtt Role.Arn` is the short form of `Fn::GetAtt: [Role, Arn]`.
    const wrap = (v: unknown) => ({ [key]: name === "GetAtt" && typeof v === "string" ? v.split(/\.(.*)/s).slice(0, 2) : v });
    const json = (node: { toJSON(): unknown }) => wrap(node.toJSON());
    return [
      { tag: `!${name}`, resolve: (s: string) => wrap(s) },
      { tag: `!${name}`, collection: "seq", resolve: json },
      { tag: `!${name}`, collection: "map", resolve: json },
    ];
  });
  return yamlTags;
}

/** A template body (JSON or YAML text, or an object) as plain data; never throws. */
export function parseTemplate(body: unknown): { ok: true; template: unknown } | { ok: false; error: string } {
  if (typeof body !== "string") return { ok: true, template: body };
  const text = body.trim();
  if (text.startsWith("{")) {
    try {
      return { ok: true, template: JSON.parse(text) };
    } catch (e) {
      return { ok: false, error: `not valid JSON (${(e as Error).message})` };
    }
  }
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const YAML = require("yaml") as typeof import("yaml");
    const doc = YAML.parseDocument(text, { customTags: cloudFormationTags() as never, uniqueKeys: false });
    if (doc.errors.length > 0) return { ok: false, error: `not valid YAML (${doc.errors[0].message.split("\n")[0]})` };
    return { ok: true, template: doc.toJS({ maxAliasCount: 1000 }) };
  } catch (e) {
    return { ok: false, error: `not valid YAML (${(e as Error).message.split("\n")[0]})` };
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** The resources of a parsed template. */
export function resourcesOfTemplate(template: unknown): TemplateResource[] | string {
  if (!isObject(template)) return "the template is not a mapping";
  const resources = template.Resources ?? {};
  if (!isObject(resources)) return "its Resources section is not a mapping";
  return Object.entries(resources).map(([logicalId, r]) => ({
    logicalId,
    type: isObject(r) && typeof r.Type === "string" ? r.Type : "",
    properties: isObject(r) && isObject(r.Properties) ? r.Properties : {},
  }));
}

/** What a resource would create through CloudFormation, as far as its known props tell. */
export function readTemplate(type: string, props: Record<string, unknown>): TemplateRead {
  if (type === CLOUD_CONTROL_TYPE) {
    const typeName = readProp(props, "typeName");
    const state = readProp(props, "desiredState");
    if (typeName.state === "unknown") return { state: "unknown", path: typeName.path };
    if (typeName.state !== "known" || typeof typeName.value !== "string") return { state: "absent" };
    if (state.state === "unknown") return { state: "unknown", path: state.path };
    const parsed = state.state === "known" ? parseTemplate(state.value) : { ok: true as const, template: {} };
    if (!parsed.ok) return { state: "unreadable", error: `desiredState is ${parsed.error}` };
    const properties = isObject(parsed.template) ? parsed.template : {};
    return { state: "read", what: "Cloud Control resource", resources: [{ logicalId: typeName.value, type: typeName.value, properties }] };
  }
  const t = TEMPLATE_TYPES[type];
  if (!t) return { state: "not-a-template" };
  const body = readProp(props, t.body);
  if (body.state === "unknown") return { state: "unknown", path: body.path };
  if (body.state === "absent") {
    const url = readProp(props, t.url);
    if (url.state === "unknown") return { state: "unknown", path: url.path };
    return url.state === "known" ? { state: "url", url: String(url.value) } : { state: "absent" };
  }
  const parsed = parseTemplate(body.value);
  if (!parsed.ok) return { state: "unreadable", error: `its templateBody is ${parsed.error}` };
  const resources = resourcesOfTemplate(parsed.template);
  return typeof resources === "string" ? { state: "unreadable", error: resources } : { state: "read", what: t.what, resources };
}

/**
 * A template value as a string once CloudFormation resolves it in an account: a literal, or
 * `Fn::Sub` / `Fn::Join` over literals and the pseudo parameters `AWS::AccountId` and
 * `AWS::Partition`. Undefined when it depends on anything else (a parameter, another resource).
 */
export function resolveString(value: unknown, accountId: string, partition = "aws"): string | undefined {
  const pseudo: Record<string, string> = { "AWS::AccountId": accountId, "AWS::Partition": partition };
  if (typeof value === "string") return value;
  if (!isObject(value) || Object.keys(value).length !== 1) return undefined;
  if (typeof value.Ref === "string") return pseudo[value.Ref];
  const sub = value["Fn::Sub"];
  if (sub !== undefined) {
    const [text, vars] = typeof sub === "string" ? [sub, {}] : Array.isArray(sub) && sub.length === 2 ? sub : [undefined, undefined];
    if (typeof text !== "string" || !isObject(vars)) return undefined;
    let unresolved = false;
    const out = text.replace(/\$\{(!?)([^}]*)\}/g, (whole, bang: string, name: string) => {
      if (bang) return `\${${name}}`; // ${!Literal} is the literal text ${Literal}
      const v = name in vars ? resolveString(vars[name], accountId, partition) : pseudo[name];
      if (v === undefined) unresolved = true;
      return v ?? whole;
    });
    return unresolved ? undefined : out;
  }
  const join = value["Fn::Join"];
  if (Array.isArray(join) && join.length === 2 && typeof join[0] === "string" && Array.isArray(join[1])) {
    const parts = join[1].map((p) => resolveString(p, accountId, partition));
    return parts.every((p): p is string => p !== undefined) ? parts.join(join[0]) : undefined;
  }
  return undefined;
}

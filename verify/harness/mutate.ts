/**
 * Changes to a planned environment, for tests and catalogues that ask "what if the program had
 * registered this instead?": one resource's props, or one policy document inside them. A selector
 * that matches no resource throws, so a mistyped mutation can never pass as a harmless one.
 */
import type { PlannedEnvironment } from "./environment";
import type { RegisteredResource, StackRun } from "./mock-run";

export interface ResourceSelector {
  /** The stack's short name (`seed-target`). */
  readonly stack: string;
  readonly type: string;
  /** The resource's `name` input (the IAM name), not its Pulumi name. */
  readonly name: string;
}

/** A copy of the plan with one resource's props replaced by `change(props)` (a deep copy is passed). */
export function changeResource(
  plan: PlannedEnvironment,
  sel: ResourceSelector,
  change: (props: Record<string, unknown>) => Record<string, unknown>,
): PlannedEnvironment {
  let hits = 0;
  const apply = (run: StackRun): StackRun => {
    if (run.stack !== sel.stack) return run;
    const resources = run.resources.map((r): RegisteredResource => {
      if (r.type !== sel.type || r.props.name !== sel.name) return r;
      hits++;
      return { ...r, props: change(structuredClone(r.props) as Record<string, unknown>) };
    });
    return { ...run, resources };
  };
  const out = { jump: apply(plan.jump), targets: plan.targets.map(apply) };
  if (hits !== 1) throw new Error(`changeResource: ${hits} resources match ${JSON.stringify(sel)}; expected exactly one`);
  return out;
}

/** A policy document as tests edit it: statements are plain, mutable JSON. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type EditableDocument = { Version: string; Statement: Record<string, any>[] };

/** A copy of the plan with one policy document (a JSON string prop such as `policy` or `assumeRolePolicy`) changed. */
export function changeDocument(
  plan: PlannedEnvironment,
  sel: ResourceSelector,
  prop: string,
  change: (doc: EditableDocument) => unknown,
): PlannedEnvironment {
  return changeResource(plan, sel, (props) => {
    const raw = props[prop];
    if (typeof raw !== "string") throw new Error(`changeDocument: ${sel.name}.${prop} is not a JSON document string`);
    return { ...props, [prop]: JSON.stringify(change(JSON.parse(raw) as EditableDocument)) };
  });
}

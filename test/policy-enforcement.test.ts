/**
 * Changing the enforcement mode or the pack version never leaves a stack without an enforcing
 * policy group. The update is emulated the way the Pulumi engine and the pulumiservice provider
 * (v1.3.0, provider/pkg/resources/policy_group.go) perform it: a resource whose name, entityType
 * or mode changes is replaced delete-before-replace (the provider's Diff always says so); a
 * changed pack list is an update that removes the old pack before adding the new one; a new
 * logical name is created while the program runs; a logical name the program no longer registers
 * is deleted at the end of the update.
 */
import { strict as assert } from "assert";
import { enforcementPlan } from "../governance/enforcement-plan";
import { policyGroupSpecs, type PolicyEnforcementArgs, type PolicyGroupSpec } from "../governance/policy-enforcement";

type Group = { stacks: Set<string>; packs: number };

/** The stacks that, at some step of the update from `olds` to `news`, are in no group that applies a pack. */
export function enforcementGaps(olds: readonly PolicyGroupSpec[], news: readonly PolicyGroupSpec[]): string[] {
  const live = new Map<string, Group>();
  const stacksOf = (s: PolicyGroupSpec) => new Set(s.props.stacks.map((x) => `${x.routingProject}/${x.name}`));
  for (const o of olds) live.set(o.resourceName, { stacks: stacksOf(o), packs: o.props.policyPacks.length });
  const everyStack = new Set(olds.flatMap((o) => [...stacksOf(o)]));
  const gaps = new Set<string>();
  const check = (step: string) => {
    for (const s of everyStack) if (![...live.values()].some((g) => g.packs > 0 && g.stacks.has(s))) gaps.add(`${s} (${step})`);
  };
  const packKey = (s: PolicyGroupSpec) => JSON.stringify(s.props.policyPacks.map((p) => [p.name, p.versionTag]));
  for (const n of news) {
    const o = olds.find((x) => x.resourceName === n.resourceName);
    if (!o) {
      live.set(n.resourceName, { stacks: stacksOf(n), packs: n.props.policyPacks.length });
      check(`create ${n.resourceName}`);
    } else if (o.props.name !== n.props.name || o.props.entityType !== n.props.entityType || o.props.mode !== n.props.mode) {
      live.delete(n.resourceName);
      check(`replace ${n.resourceName}: delete before replace`);
      live.set(n.resourceName, { stacks: stacksOf(n), packs: n.props.policyPacks.length });
    } else if (packKey(o) !== packKey(n)) {
      live.set(n.resourceName, { stacks: stacksOf(n), packs: 0 });
      check(`update ${n.resourceName}: old pack removed before the new one is added`);
      live.set(n.resourceName, { stacks: stacksOf(n), packs: n.props.policyPacks.length });
    }
  }
  for (const o of olds) {
    if (news.some((n) => n.resourceName === o.resourceName)) continue;
    live.delete(o.resourceName);
    check(`delete ${o.resourceName} at the end`);
  }
  return [...gaps].sort();
}

describe("policy groups: a new mode or pack version never leaves a stack unenforced", () => {
  const plan = enforcementPlan();
  const args = (mode: PolicyEnforcementArgs["mode"], version: string): PolicyEnforcementArgs => ({
    organizationName: "acme",
    mode,
    pack: { ...plan.pack, version },
    groups: plan.groups,
  });

  it("every committed stack is in a group in both the old and the new program", () => {
    const stacks = policyGroupSpecs("policy", args("preventative", "0.1.0")).flatMap((s) => s.props.stacks);
    assert.ok(stacks.length >= 3);
  });

  for (const [what, from, to] of [
    ["audit -> preventative", args("audit", "0.1.0"), args("preventative", "0.1.0")],
    ["preventative -> audit", args("preventative", "0.1.0"), args("audit", "0.1.0")],
    ["pack 0.1.0 -> 0.2.0", args("preventative", "0.1.0"), args("preventative", "0.2.0")],
    ["both at once", args("audit", "0.1.0"), args("preventative", "0.2.0")],
  ] as const) {
    it(`${what}: the new groups exist before the old ones go`, () => {
      assert.deepEqual(enforcementGaps(policyGroupSpecs("policy", from), policyGroupSpecs("policy", to)), []);
    });
  }

  it("the emulation finds the gap of groups named without mode and version (the provider's delete-before-replace, remove-then-add)", () => {
    const unversioned = (a: PolicyEnforcementArgs) =>
      policyGroupSpecs("policy", a).map((s) => {
        const base = s.props.name.replace(/-(audit|preventative)-v[\w.-]+$/, "");
        return { resourceName: `policy-${base}`, props: { ...s.props, name: base } };
      });
    assert.match(
      enforcementGaps(unversioned(args("preventative", "0.1.0")), unversioned(args("audit", "0.1.0"))).join("\n"),
      /delete before replace/,
    );
    assert.match(
      enforcementGaps(unversioned(args("preventative", "0.1.0")), unversioned(args("preventative", "0.2.0"))).join("\n"),
      /old pack removed before the new one is added/,
    );
  });

  it("group names carry the mode and the pack version", () => {
    for (const s of policyGroupSpecs("policy", args("preventative", "1.2.3"))) {
      assert.match(s.props.name, /-preventative-v1\.2\.3$/);
      assert.equal(s.resourceName, `policy-${s.props.name}`);
    }
  });
});

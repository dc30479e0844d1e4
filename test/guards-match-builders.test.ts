/**
 * The pack cannot import `shared/` (it ships on its own), so its guard list is a second copy of
 * what the boundary must deny. These tests keep the two copies one truth: the pack's guards are
 * exactly the article's statements as the builders write them, and every profile the builders
 * produce holds them all, at any boundary name, path and account.
 */
import { strict as assert } from "assert";
import * as fc from "fast-check";
import {
  BOUNDARY_POLICY_EDIT_ACTIONS,
  BOUNDARY_PROFILES,
  boundaryPolicy,
  policyArn,
  ROLE_PERMISSION_ACTIONS,
  roleArn,
  seedBoundaryPolicy,
  USER_AND_GROUP_ACTIONS,
} from "@jumpenv/shared";
import { BOUNDARY_GUARDS, missingGuardsIn } from "../policy-pack/guards";

describe("the policy pack's boundary guards and the shared boundary builders", () => {
  it("the pack requires exactly the article's four guarded action lists", () => {
    const byId = Object.fromEntries(BOUNDARY_GUARDS.map((g) => [g.id, [...g.actions].sort()]));
    assert.deepEqual(byId, {
      "deny-user-and-group-management": [...USER_AND_GROUP_ACTIONS].sort(),
      "deny-role-changes-without-boundary": [...ROLE_PERMISSION_ACTIONS].sort(),
      "deny-boundary-removal": ["iam:DeleteRolePermissionsBoundary"],
      "deny-boundary-policy-edits": [...BOUNDARY_POLICY_EDIT_ACTIONS].sort(),
    });
  });

  it("every profile holds every guard, whatever the boundary's name, path and account", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...BOUNDARY_PROFILES),
        fc.stringMatching(/^[A-Za-z0-9+=,.@_-]{1,128}$/),
        fc.constantFrom("/", "/boundaries/", "/a/b/"),
        fc.stringMatching(/^\d{12}$/),
        (profile, name, path, account) => {
          const boundaryArn = policyArn(account, path, name);
          const doc = boundaryPolicy(profile, {
            boundaryArn,
            accountId: account,
            shieldedRoleArns: [roleArn(account, "/", "admin")],
            delegatedPath: "/delegated/",
          });
          assert.deepEqual(missingGuardsIn(doc, boundaryArn), []);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("a builder that dropped one action of a guard is caught, naming the action", () => {
    const boundaryArn = policyArn("444455556666", "/", "test-pb-policy");
    const doc = seedBoundaryPolicy({ boundaryArn });
    const broken = {
      ...doc,
      Statement: doc.Statement.map((s, i) =>
        i === 2 ? { ...s, Action: (s.Action as string[]).filter((a) => a !== "iam:PutRolePolicy") } : s,
      ),
    };
    const missing = missingGuardsIn(broken, boundaryArn);
    assert.deepEqual(
      missing.map((m) => [m.guard.id, m.missingActions]),
      [["deny-role-changes-without-boundary", ["iam:PutRolePolicy"]]],
    );
  });
});

import * as assert from "assert";
import { ssoPermissionSetRequiresPermissionsBoundary as policy } from "./sso-permission-set-requires-permissions-boundary";
import { UNKNOWN, check, messages, resource } from "./test/fixtures";
import type { OfflineResource } from "./offline";

const PROJECT = "identity-center";
const INSTANCE = "arn:aws:sso:::instance/ssoins-72230e4b2bd6e7c1";

/** A permission set and its boundary attachment as the identity-center program registers them (during preview: the set's ARN unknown). */
function program(
  boundary: Record<string, unknown> | null = { customerManagedPolicyReference: { name: "jump-permissions-boundary", path: "/" } },
): OfflineResource[] {
  const set = resource(
    "aws:ssoadmin/permissionSet:PermissionSet",
    "identity-center-PlatformAdmin",
    { instanceArn: INSTANCE, name: "PlatformAdmin" },
    PROJECT,
  );
  const out: OfflineResource[] = [set];
  if (boundary)
    out.push({
      ...resource(
        "aws:ssoadmin/permissionsBoundaryAttachment:PermissionsBoundaryAttachment",
        "identity-center-PlatformAdmin-boundary",
        { instanceArn: INSTANCE, permissionSetArn: UNKNOWN, permissionsBoundary: boundary },
        PROJECT,
      ),
      dependencies: [set.urn],
    });
  return out;
}

describe("sso-permission-set-requires-permissions-boundary", () => {
  describe("Compliance", () => {
    it("passes a permission set whose attachment references the approved boundary, tied by its dependency during preview", async () => {
      assert.deepStrictEqual((await check(policy, program())).violations, []);
    });

    it("passes an attachment that names the set's known ARN (a stack export)", async () => {
      const [set, attachment] = program();
      const arn = `${INSTANCE.replace(":instance/", ":permissionSet/")}/ps-0123456789abcdef`;
      const r = await check(policy, [
        { ...set, props: { ...set.props, arn } },
        { ...attachment, dependencies: [], props: { ...attachment.props, permissionSetArn: arn } },
      ]);
      assert.deepStrictEqual(r.violations, []);
    });

    it("passes a set named in exemptPermissionSetNames (documented break-glass), even without a boundary", async () => {
      const r = await check(policy, program(null), { config: { exemptPermissionSetNames: ["Platform*"] } });
      assert.deepStrictEqual(r.violations, []);
    });

    it("passes the approved boundary under a configured path", async () => {
      const r = await check(policy, program({ customerManagedPolicyReference: { name: "pb", path: "/guard/" } }), {
        config: { boundaryPolicyName: "pb", boundaryPolicyPath: "/guard/" },
      });
      assert.deepStrictEqual(r.violations, []);
    });
  });

  describe("Noncompliance", () => {
    it("1: refuses a permission set without a boundary attachment, as a mandatory violation on the set", async () => {
      const r = await check(policy, program(null));
      assert.equal(r.violations.length, 1);
      assert.equal(r.violations[0].enforcementLevel, "mandatory");
      assert.match(r.violations[0].urn ?? "", /PermissionSet::identity-center-PlatformAdmin$/);
      assert.match(
        messages(r)[0],
        /permission set "PlatformAdmin" has no permissions boundary; attach the customer managed policy \/jump-permissions-boundary/,
      );
    });

    it("2: refuses an attachment that names another policy", async () => {
      const r = await check(policy, program({ customerManagedPolicyReference: { name: "permissive", path: "/" } }));
      assert.match(messages(r)[0], /bounded by \/permissive, not the approved boundary \/jump-permissions-boundary/);
    });

    it("3: refuses the approved name under another path", async () => {
      const r = await check(policy, program({ customerManagedPolicyReference: { name: "jump-permissions-boundary", path: "/other/" } }));
      assert.match(messages(r)[0], /bounded by \/other\/jump-permissions-boundary/);
    });

    it("4: refuses an AWS managed policy as the boundary", async () => {
      const r = await check(policy, program({ managedPolicyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }));
      assert.match(messages(r)[0], /bounded by arn:aws:iam::aws:policy\/AdministratorAccess/);
    });

    it("5: refuses an attachment of another permission set (not tied to this one)", async () => {
      const [set, attachment] = program();
      const r = await check(policy, [set, { ...attachment, dependencies: [] }]);
      assert.match(messages(r)[0], /has no permissions boundary/);
    });

    it("6: an unknown boundary name fails closed, and is advisory only with unknownBoundary: warn", async () => {
      const unknown = program({ customerManagedPolicyReference: { name: UNKNOWN, path: "/" } });
      const denied = await check(policy, unknown);
      assert.equal(denied.violations[0].enforcementLevel, "mandatory");
      assert.match(messages(denied)[0], /unknown during preview/);
      const warned = await check(policy, unknown, { config: { unknownBoundary: "warn" } });
      assert.equal(warned.violations[0].enforcementLevel, "advisory");
    });
  });
});

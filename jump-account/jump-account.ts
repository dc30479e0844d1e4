import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  assertWithinQuotas,
  accessOutputs,
  groupAssumeRolePolicies,
  groupTagKey,
  jumpContract,
  jumpNameProblems,
  jumpResourceName,
  jumpQuotaProblems,
  taggedGroups,
  selfServicePolicy,
  toJson,
  type AccessOutputs,
  type JumpConfig,
  type JumpContract,
} from "@jumpenv/shared";

/** Inputs of the Jump account: its validated stack config. */
export type JumpAccountArgs = JumpConfig;

/**
 * The Jump account: IAM users (console login, forced password reset), groups and memberships,
 * each group's assume-role policy for its target roles, the self-service MFA/password policy on
 * every group, and optionally the account password policy.
 */
export class JumpAccount extends pulumi.ComponentResource {
  /** What the target-account stacks read. */
  readonly contract: JumpContract;
  readonly userArns: pulumi.Output<Record<string, string>>;
  /** Initial console passwords (PGP-encrypted where a user has `pgpKey`). Secret. */
  readonly initialPasswords: pulumi.Output<Record<string, string>>;
  /** Console switch-role URLs and `~/.aws/config` snippets, per user and per group (see `accessOutputs`). */
  readonly access: AccessOutputs;

  constructor(name: string, args: JumpAccountArgs, opts?: pulumi.ComponentResourceOptions) {
    // Every generated document is measured against IAM's quotas before anything is registered.
    // ...and every name it generates is checked for clashes, IAM's and Pulumi's.
    const id = { project: pulumi.getProject(), stack: pulumi.getStack() };
    assertWithinQuotas([...jumpNameProblems(args, id, name), ...jumpQuotaProblems(args, id)]);
    super("jumpenv:index:JumpAccount", name, {}, opts);
    const parent = { parent: this };
    // IAM has no call that changes a managed policy's description: the provider replaces the
    // policy when it differs, detaching it from every group on the way. It is written once, at
    // creation; a policy created in the console and imported keeps its own.
    const policyOpts = { parent: this, ignoreChanges: ["description"] };
    const tags = { "jumpenv:managed-by": "pulumi", "jumpenv:component": name };

    const selfService = new aws.iam.Policy(
      jumpResourceName.selfServicePolicy(name),
      {
        name: args.selfServicePolicyName,
        path: "/",
        description: "Jump users: manage your own password and MFA; nothing else on your identity until you sign in with MFA.",
        policy: toJson(selfServicePolicy(args.selfServiceProfile)),
        tags,
      },
      policyOpts,
    );

    const groups = new Map<string, aws.iam.Group>();
    for (const g of args.groups) {
      const group = new aws.iam.Group(jumpResourceName.group(name, g.name), { name: g.name, path: g.path }, parent);
      groups.set(g.name, group);
      new aws.iam.GroupPolicyAttachment(
        jumpResourceName.groupSelfServiceAttachment(name, g.name),
        { group: group.name, policyArn: selfService.arn },
        parent,
      );

      groupAssumeRolePolicies(args, g).forEach((p, i) => {
        const resourceName = jumpResourceName.groupAssumeRolePolicy(name, g.name, i);
        const assume = new aws.iam.Policy(
          resourceName,
          {
            name: p.name,
            path: "/",
            description: `Members of ${g.name} may switch into their target roles (the roles' trust policies require MFA).`,
            policy: toJson(p.document),
            tags,
          },
          policyOpts,
        );
        new aws.iam.GroupPolicyAttachment(resourceName, { group: group.name, policyArn: assume.arn }, parent);
      });
    }

    // Under the group-tags trust strategy, a role admits Jump users carrying its groups' tags.
    const tagged = taggedGroups(args);
    const users = new Map<string, aws.iam.User>();
    const userArns: Record<string, pulumi.Output<string>> = {};
    const passwords: Record<string, pulumi.Output<string>> = {};
    for (const u of args.users) {
      const user = new aws.iam.User(
        jumpResourceName.user(name, u.name),
        // forceDestroy: removing a user from config must also remove the MFA device they created.
        {
          name: u.name,
          path: u.path,
          forceDestroy: true,
          tags: { ...tags, ...Object.fromEntries(u.groups.filter((g) => tagged.has(g)).map((g) => [groupTagKey(g), "true"])) },
        },
        parent,
      );
      users.set(u.name, user);
      userArns[u.name] = user.arn;
      if (u.createLoginProfile) {
        const login = new aws.iam.UserLoginProfile(
          jumpResourceName.userLoginProfile(name, u.name),
          { user: user.name, passwordResetRequired: true, ...(u.pgpKey ? { pgpKey: u.pgpKey } : {}) },
          // After the first sign-in the user owns the password; never fight them over it.
          { parent: this, ignoreChanges: ["passwordLength", "passwordResetRequired", "pgpKey"] },
        );
        passwords[u.name] = u.pgpKey ? login.encryptedPassword : login.password;
      }
    }

    for (const g of args.groups) {
      const members = args.users.filter((u) => u.groups.includes(g.name)).map((u) => users.get(u.name)!.name);
      if (members.length === 0) continue;
      // Exclusive membership: a user added to a Jump group by hand is removed on the next update.
      new aws.iam.GroupMembership(
        jumpResourceName.groupMembership(name, g.name),
        { group: groups.get(g.name)!.name, users: members },
        parent,
      );
    }

    if (args.createAccountPasswordPolicy) {
      new aws.iam.AccountPasswordPolicy(jumpResourceName.passwordPolicy(name), passwordPolicyArgs(args), parent);
    }

    this.contract = jumpContract(args);
    this.userArns = pulumi.all(userArns);
    this.initialPasswords = pulumi.secret(pulumi.all(passwords));
    this.access = accessOutputs(args);
    this.registerOutputs({ contract: this.contract, userArns: this.userArns, initialPasswords: this.initialPasswords, ...this.access });
  }
}

function passwordPolicyArgs(args: JumpAccountArgs): aws.iam.AccountPasswordPolicyArgs {
  const p = args.passwordPolicy;
  return {
    minimumPasswordLength: p.minimumPasswordLength,
    requireLowercaseCharacters: p.requireLowercaseCharacters,
    requireUppercaseCharacters: p.requireUppercaseCharacters,
    requireNumbers: p.requireNumbers,
    requireSymbols: p.requireSymbols,
    allowUsersToChangePassword: p.allowUsersToChangePassword,
    passwordReusePrevention: p.passwordReusePrevention,
    hardExpiry: p.hardExpiry,
    ...(p.maxPasswordAge > 0 ? { maxPasswordAge: p.maxPasswordAge } : {}),
  };
}

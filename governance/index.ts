import * as pulumi from "@pulumi/pulumi";
import { loadGovernanceConfig } from "./config";
import { enforcementPlan } from "./enforcement-plan";
import { PolicyEnforcement } from "./policy-enforcement";

const config = loadGovernanceConfig();
const plan = enforcementPlan();
const enforcement = new PolicyEnforcement("policy", {
  organizationName: pulumi.getOrganization(),
  mode: config.mode,
  pack: plan.pack,
  groups: plan.groups,
});

export const policyPackName = plan.pack.name;
export const policyPackVersionTag = plan.pack.version;
export const policyGroupNames = enforcement.policyGroupNames;
export const policyGroupStacks = enforcement.policyGroupStacks;

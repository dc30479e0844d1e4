/**
 * The pack's entry point (package.json `main` is its compiled form, bin/index.js). Constructing
 * the PolicyPack starts the gRPC server the Pulumi CLI talks to and never returns control, so no
 * other module or test imports this file. The policies are the list in `policies.ts`; a test of
 * the packed tarball asks the running server for them and compares with that list.
 */
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, policies } from "./policies";

new PolicyPack(PACK_NAME, { policies });

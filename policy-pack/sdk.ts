/**
 * Typed access to the runtime exports of `@pulumi/policy` 1.21.0 that its type declarations hide
 * (`proxy.d.ts` is stripped as `@internal`, yet `index.js` exports these names). The version is
 * pinned exactly in package.json, so this is the one place that relies on them.
 */
import * as policy from "@pulumi/policy";

/** Thrown by the props proxy when a policy reads a value that is unknown during preview. */
export interface UnknownValueErrorInstance extends Error {
  /** The property path of the unknown value, e.g. `["permissionsBoundary"]`. */
  readonly props: string[];
  readonly unknownTypeSentinel: string;
}

interface HiddenExports {
  unknownCheckingProxy<T extends object>(props: T): T;
  UnknownValueError: new (sentinel: string, props: string[]) => UnknownValueErrorInstance;
  getPulumiType(o: unknown): string | undefined;
  isResourcePolicy(p: unknown): boolean;
  isStackPolicy(p: unknown): boolean;
}

const hidden = policy as unknown as HiddenExports;

/** Wraps props the way the engine does before it hands them to a policy. */
export const unknownCheckingProxy = hidden.unknownCheckingProxy;
export const UnknownValueError = hidden.UnknownValueError;
export const getPulumiType = hidden.getPulumiType;
export const isResourcePolicy = hidden.isResourcePolicy;
export const isStackPolicy = hidden.isStackPolicy;

/**
 * Reading resource properties that may be unknown during preview.
 *
 * The engine hands a policy its props wrapped in `unknownCheckingProxy`: reading a value that is
 * not known yet throws `UnknownValueError`, and `@pulumi/policy` turns that into an *advisory*
 * "can't run policy ... during preview" note, whatever the policy's enforcement level. The pack's
 * policies decide for themselves what an unknown means, so they read props only through `readProp`.
 */
import { UnknownValueError } from "./sdk";

/**
 * The sentinels the engine uses for values that are unknown during preview (`@pulumi/policy`
 * 1.21.0 `proxy.js`; the string one is also what `pulumi preview --json` prints for an unknown).
 */
export const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9", // string
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
  "030794c1-ac77-496b-92df-f27374a8bd58", // asset
  "e48ece36-62e2-4504-bad9-02848725956a", // archive
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
]);

/** The unknown string sentinel. */
export const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isUnknownSentinel(value: unknown): boolean {
  return typeof value === "string" && UNKNOWN_SENTINELS.has(value);
}

/** A property read without letting an unknown value escape as an exception. */
export type PropRead =
  | { readonly state: "absent" }
  | { readonly state: "unknown"; readonly path: string }
  | { readonly state: "known"; readonly value: unknown };

/**
 * Reads `props[key]` as plain data (a deep copy with no proxies left in it). A value that is
 * unknown, or that contains an unknown anywhere inside it, reads as `unknown` with the path of the
 * first unknown; a missing, `undefined` or `null` value reads as `absent`.
 */
export function readProp(props: Record<string, unknown>, key: string): PropRead {
  let value: unknown;
  try {
    if (!(key in props)) return { state: "absent" };
    value = plainCopy(props[key], key);
  } catch (e) {
    if (e instanceof UnknownValueError) return { state: "unknown", path: e.props.join(".") };
    if (e instanceof SentinelFound) return { state: "unknown", path: e.path };
    throw e;
  }
  return value === undefined || value === null ? { state: "absent" } : { state: "known", value };
}

/** Like `readProp`, for a property that must be a string; anything else reads as `absent`. */
export function readString(props: Record<string, unknown>, key: string): PropRead {
  const r = readProp(props, key);
  return r.state === "known" && typeof r.value !== "string" ? { state: "absent" } : r;
}

/** The value of a string property when it is known, else undefined. */
export function knownString(props: Record<string, unknown>, key: string): string | undefined {
  const r = readString(props, key);
  return r.state === "known" ? (r.value as string) : undefined;
}

class SentinelFound extends Error {
  constructor(readonly path: string) {
    super(`unknown value at .${path}`);
  }
}

/**
 * Deep copy through the proxy. Props that did not come through the engine (plain objects in a
 * caller's hands) may hold raw sentinels; those count as unknown too.
 */
function plainCopy(value: unknown, path: string): unknown {
  if (isUnknownSentinel(value)) throw new SentinelFound(path);
  if (Array.isArray(value)) return value.map((v, i) => plainCopy(v, `${path}.${i}`));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value)) out[k] = plainCopy((value as Record<string, unknown>)[k], `${path}.${k}`);
    return out;
  }
  return value;
}

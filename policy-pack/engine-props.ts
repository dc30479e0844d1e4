/**
 * Props in the forms the engine and `@pulumi/policy` hand them around: the wire form a policy
 * reads (unknowns as sentinels, secrets unwrapped), a fresh proxied copy per validation, and plain
 * JSON back out of a remediation's proxies.
 */
import { unknownCheckingProxy } from "./sdk";
import { UNKNOWN_STRING } from "./unknown";

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/**
 * Props in the engine's wire form: a Pulumi SDK unknown (`output.unknown`, as runtime mocks record
 * it during preview) becomes the unknown sentinel, and a secret (`{sig, value}`) its plain value,
 * as `@pulumi/policy` unwraps it for policies.
 */
export function toEngineProps(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toEngineProps);
  if (value !== null && typeof value === "object") {
    const o = value as Record<string, unknown>;
    if (o.__pulumiUnknown === true) return UNKNOWN_STRING;
    if (o[SIG_KEY] === SECRET_SIG && "value" in o) return toEngineProps(o.value);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = toEngineProps(v);
    return out;
  }
  return value;
}

/** What the engine hands each validation: a fresh copy, top-level `undefined` dropped, behind the proxy. */
export function freshProps(props: Record<string, unknown>): Record<string, unknown> {
  return unknownCheckingProxy(JSON.parse(JSON.stringify(props ?? {})) as Record<string, unknown>);
}

/** Plain JSON of a remediation result: proxies unwrapped without reading through them. */
export function unwrap(value: unknown): unknown {
  let v = value as { __isSpecialProxy?: boolean; __getSpecialProxyTarget?: unknown } | null;
  while (v !== null && typeof v === "object" && v.__isSpecialProxy === true) v = v.__getSpecialProxyTarget as typeof v;
  if (Array.isArray(v)) return v.map(unwrap);
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = unwrap(x);
    return out;
  }
  return v;
}

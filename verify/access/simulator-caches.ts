/**
 * Memoises pure functions inside the IAM evaluator, which recomputes them on every request:
 *
 * - `getResourceTypesForAction(service, action, resource)`: the resource types an action's
 *   resource ARN matches, found by intersecting pattern automata of the IAM action catalogue (a
 *   static data set). The proof asks it for the same few actions on the same ARNs thousands of
 *   times; it was about a sixth of `npm start`'s time at 100 accounts x 100 users.
 * - `caseInsensitiveEquals` / `caseInsensitiveEndsWith` of the policy library: a
 *   `localeCompare` per call (an ICU comparison), asked of the same few condition operator names
 *   (`StringEquals`, `...IfExists`, `ForAnyValue`) on every statement of every request.
 *
 * - `convertIamString(value, request, options)`: a policy value turned into the regular expression
 *   (or string) a condition or resource is matched with. A value without a wildcard or a policy
 *   variable (no `*`, `?` or `$`) never reads the request, so its answer depends on the value and
 *   whether a regular expression is asked for; those are cached (the expression has no flags, so
 *   sharing it keeps no state). At 1,000 accounts x 1,000 users each group policy narrows its role
 *   patterns to a thousand accounts (`aws:ResourceAccount`), so every check compiled a thousand
 *   expressions: a quarter of a proof worker's time. Values with wildcards or variables are not cached.
 *
 * All answer from their arguments alone, so a cached answer is the answer: verdicts do not change
 * (verify/plan/plan.test.ts compares a whole report with these caches and without them). The
 * modules are reached by file, next to each package's entry point, because the packages export
 * only their entry points; the callers read the functions through the module's exports object at
 * each call, which is what makes replacing them effective. A version of the packages that moves or
 * renames them fails here, loudly, instead of running uncached.
 */
import * as path from "path";

type Fn = (...args: never[]) => unknown;

function moduleOf(pkg: string, file: string, names: readonly string[]): Record<string, Fn> {
  const m = require(path.join(path.dirname(require.resolve(pkg)), file)) as Record<string, Fn>;
  for (const n of names)
    if (typeof m[n] !== "function")
      throw new Error(`${pkg}/${file} no longer exports ${n}: verify/access/simulator-caches.ts must follow the new version`);
  return m;
}

const resourceTypes = moduleOf("@cloud-copilot/iam-simulate", "simulation_engine/resourceTypes.js", ["getResourceTypesForAction"]);
const policyUtils = moduleOf("@cloud-copilot/iam-policy", "utils.js", ["caseInsensitiveEquals", "caseInsensitiveEndsWith"]);
const simulateUtils = moduleOf("@cloud-copilot/iam-simulate", "util.js", ["convertIamString"]);

/** The uncached functions, for the test that compares verdicts with and without the caches. */
const original = {
  getResourceTypesForAction: resourceTypes.getResourceTypesForAction,
  caseInsensitiveEquals: policyUtils.caseInsensitiveEquals,
  caseInsensitiveEndsWith: policyUtils.caseInsensitiveEndsWith,
  convertIamString: simulateUtils.convertIamString,
};

/**
 * Past this many entries a cache starts again: at 1,000 accounts the resource ARNs number in the
 * hundreds of thousands, and each is asked about a few times in a row (one role's checks), so a
 * bounded cache keeps nearly every hit without holding every ARN.
 */
const MAX_ENTRIES = 50_000;

/** A cache by string key that starts again past `maxEntries`: `get(key, compute)`. */
function boundedCache<R>(maxEntries: number): (key: string, compute: () => R) => R {
  let cache = new Map<string, R>();
  return (key, compute) => {
    let r = cache.get(key);
    if (r === undefined && !cache.has(key)) {
      r = compute();
      if (cache.size >= maxEntries) cache = new Map();
      cache.set(key, r);
    }
    return r as R;
  };
}

function memoised<A extends string[], R>(fn: (...args: A) => R): (...args: A) => R {
  const get = boundedCache<R>(MAX_ENTRIES);
  return (...args: A) => get(args.join("\0"), () => fn(...args));
}

/** `convertIamString`, cached for values that cannot read the request (no wildcard, no policy variable). */
function literalIamStrings(fn: Fn): Fn {
  const convert = fn as unknown as (value: unknown, request: unknown, options?: object) => unknown;
  // Keyed by the value itself (no joined key to build: the same policy string is asked about a
  // thousand times per check), each entry holding the answer of either kind once asked. Fewer
  // entries than the other caches: each holds a compiled regular expression, and the values asked
  // about again and again are few (a policy's account lists), while each target's own ARNs are
  // asked about briefly.
  const get = boundedCache<{ regex?: unknown; string?: unknown }>(10_000);
  return ((value: unknown, request: unknown, options?: { convertToRegex?: boolean }) => {
    if (typeof value !== "string" || /[*?$]/.test(value)) return convert(value, request, options);
    // The library's own defaulting: a regular expression unless asked otherwise.
    const kind = { convertToRegex: true, ...options }.convertToRegex ? "regex" : "string";
    const answers = get(value, () => ({}));
    if (!(kind in answers)) answers[kind] = convert(value, undefined, { convertToRegex: kind === "regex" });
    return answers[kind];
  }) as Fn;
}

const cached = {
  getResourceTypesForAction: memoised(original.getResourceTypesForAction as unknown as (...a: string[]) => unknown),
  caseInsensitiveEquals: memoised(original.caseInsensitiveEquals as unknown as (...a: string[]) => unknown),
  caseInsensitiveEndsWith: memoised(original.caseInsensitiveEndsWith as unknown as (...a: string[]) => unknown),
  convertIamString: literalIamStrings(original.convertIamString),
};

/** Turn the caches on (the default, set when this module loads) or off. */
export function useSimulatorCaches(on: boolean): void {
  const from = on ? cached : original;
  resourceTypes.getResourceTypesForAction = from.getResourceTypesForAction as Fn;
  policyUtils.caseInsensitiveEquals = from.caseInsensitiveEquals as Fn;
  policyUtils.caseInsensitiveEndsWith = from.caseInsensitiveEndsWith as Fn;
  simulateUtils.convertIamString = from.convertIamString as Fn;
}

useSimulatorCaches(true);

/**
 * Runs a real Pulumi program (a project's `index.ts`) in this process under Pulumi's runtime
 * mocks, with the project name from its `Pulumi.yaml` and the config of one of its
 * `Pulumi.<stack>.yaml` files, exactly as the CLI would pass them. It records every resource
 * the program registers, with its inputs and options, and the stack outputs. Stack references
 * resolve to the outputs of stacks run before (jump first, then the targets).
 *
 * Runs are sequential: Pulumi's runtime state is process-global.
 */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor, type Mocks, type MockResourceArgs } from "@pulumi/pulumi/runtime/mocks";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { mockState } from "./mock-state";
import { programEntry, type StackFile } from "./stack-file";

export { programEntry, projectName, readStackFile, stackFilesIn, StackFileError, type StackFile } from "./stack-file";

export interface ResourceOptionsSeen {
  readonly protect: boolean;
  readonly parent?: string;
  readonly dependsOn: readonly string[];
  readonly ignoreChanges: readonly string[];
}

export interface RegisteredResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly custom: boolean;
  /** The inputs as the program passed them (a policy document is the JSON string it sent). */
  readonly props: Record<string, unknown>;
  readonly options: ResourceOptionsSeen;
}

export interface StackRun {
  readonly project: string;
  readonly stack: string;
  readonly resources: readonly RegisteredResource[];
  readonly outputs: Record<string, unknown>;
}

/** Outputs of stacks already run, by fully qualified name (`org/project/stack`) and short forms. */
export type StackOutputs = ReadonlyMap<string, Record<string, unknown>>;

/** Wait until every registration the program started has been answered (not in the .d.ts). */
function waitForRPCs(): Promise<void> {
  return (settings as unknown as { waitForRPCs: () => Promise<void> }).waitForRPCs();
}

const STACK_REFERENCE = "pulumi:pulumi:StackReference";

/**
 * A stack reference's state as the mock monitor serialized it, per referenced outputs object.
 * Every target stack of an environment reads the same jump outputs (megabytes at 1,000 accounts x
 * 1,000 users): serializing them into a protobuf Struct once, instead of once per target stack,
 * removes most of a target run's cost. The outputs object is frozen, deeply, when it is first read,
 * so every later read answers with what the first one saw (a caller that changes it between runs
 * gets a TypeError instead of a stale answer; pass a changed copy instead).
 */
interface SerializedReference {
  readonly state: unknown;
  readonly struct: unknown;
}
const serializedReferences = new WeakMap<object, SerializedReference>();

function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== "object" || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const v of Object.values(value)) deepFreeze(v);
}

class RecordingMonitor extends MockMonitor {
  readonly seen: RegisteredResource[] = [];

  /**
   * Stack references: the first read of an outputs object goes through `MockMonitor.readResource`
   * unchanged; later reads answer as it would, with the Struct it built then (the runtime only
   * reads it: `deserializeProperties` makes fresh objects for each reader). The answer is the
   * shape the runtime itself gives under mocks (runtime/resource.js `readResource`): `getUrn` and
   * `getProperties`, so the Struct is not copied into a protobuf message for each target.
   */
  override async readResource(req: any, callback: (err: any, response: any) => void): Promise<void> {
    if (req.getType() !== STACK_REFERENCE) return super.readResource(req, callback);
    let result: { id?: string; state: Record<string, unknown> };
    try {
      result = await this.mocks.newResource({
        type: req.getType(),
        name: req.getName(),
        inputs: pulumi.runtime.deserializeProperties(req.getProperties()),
        provider: req.getProvider(),
        custom: true,
        id: req.getId(),
      });
    } catch (err) {
      return callback(err, undefined);
    }
    const outputs = result.state.outputs;
    const key = outputs !== null && typeof outputs === "object" ? outputs : undefined;
    const hit = key ? serializedReferences.get(key) : undefined;
    if (!hit) {
      return super.readResource(req, (err, response) => {
        if (!err && key) {
          deepFreeze(key);
          serializedReferences.set(key, { state: this.resources.get(response.getUrn())?.state, struct: response.getProperties() });
        }
        callback(err, response);
      });
    }
    const urn = (this as unknown as { newUrn(parent: string, type: string, name: string): string }).newUrn(
      req.getParent(),
      req.getType(),
      req.getName(),
    );
    this.resources.set(urn, { urn, id: result.id ?? null, state: hit.state });
    // toString: the runtime interpolates the response into a debug message that nothing prints
    // under mocks (no engine); the Struct's own rendering would be megabytes for each target.
    callback(null, { getUrn: () => urn, getProperties: () => hit.struct, toString: () => `ReadResourceResponse ${urn}` });
  }

  override async registerResource(req: any, callback: (err: any, response: any) => void): Promise<void> {
    const props = pulumi.runtime.deserializeProperties(req.getObject()) as Record<string, unknown>;
    const options: ResourceOptionsSeen = {
      protect: req.getProtect() === true,
      ...(req.getParent() ? { parent: req.getParent() as string } : {}),
      dependsOn: req.getDependenciesList() as string[],
      ignoreChanges: req.getIgnorechangesList() as string[],
    };
    return super.registerResource(req, (err, response) => {
      if (!err)
        this.seen.push({ type: req.getType(), name: req.getName(), urn: response.getUrn(), custom: req.getCustom(), props, options });
      callback(err, response);
    });
  }
}

function clearProgramModules(projectDir: string): void {
  const dir = path.resolve(projectDir) + path.sep;
  for (const key of Object.keys(require.cache)) {
    if (key.startsWith(dir) && !key.includes(`${path.sep}node_modules${path.sep}`)) delete require.cache[key];
  }
}

/** Resolve an exported value (Outputs, promises, nested) to plain data; secrets are unwrapped. */
async function settle(value: unknown): Promise<unknown> {
  if (pulumi.Output.isInstance(value)) {
    return settle(await new Promise((resolve) => (value as pulumi.Output<unknown>).apply((v) => resolve(v))));
  }
  if (value instanceof Promise) return settle(await value);
  if (Array.isArray(value)) return Promise.all(value.map(settle));
  if (value !== null && typeof value === "object" && !(value instanceof pulumi.Resource)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = await settle(v);
    return out;
  }
  return value;
}

export interface RunOptions {
  /** Earlier stacks' outputs for `StackReference`s (each outputs object is frozen when a reference first reads it). */
  readonly stackOutputs?: StackOutputs;
  /** Run as `pulumi preview` (resource outputs unknown) instead of `pulumi up`. */
  readonly preview?: boolean;
  readonly organization?: string;
}

/** A program that threw: what it threw, and what it had registered before that. */
export class ProgramError extends Error {
  constructor(
    readonly stackFile: StackFile,
    override readonly cause: unknown,
    readonly resources: readonly RegisteredResource[],
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = "ProgramError";
  }
}

/** Run one stack's program under mocks. A program that throws (e.g. a ConfigError) gives a ProgramError. */
export async function runStack(stack: StackFile, opts: RunOptions = {}): Promise<StackRun> {
  const organization = opts.organization ?? "organization";
  const mocks: Mocks = {
    call: (args) => {
      throw new Error(`unmocked invoke ${args.token}: the programs must not call provider functions (they would need AWS)`);
    },
    newResource: (args: MockResourceArgs) => {
      if (args.type === "pulumi:pulumi:StackReference") {
        const name = String(args.inputs.name);
        const outputs = opts.stackOutputs?.get(name);
        if (!outputs) throw new Error(`stack reference "${name}": no such stack was planned before this one`);
        return { id: name, state: { name, outputs, secretOutputNames: [] } };
      }
      return { id: `${args.name}-id`, state: mockState(args, stack.config, opts.preview === true) };
    },
  };
  const monitor = new RecordingMonitor(mocks);
  pulumi.runtime.setAllConfig({ ...stack.config });
  settings.setMockOptions(monitor, stack.project, stack.stack, opts.preview === true, organization);

  const entry = programEntry(stack.projectDir);
  clearProgramModules(path.dirname(entry));
  let outputs: Record<string, unknown>;
  // Pulumi takes a stack trace for every resource (its source position) and every promise it
  // makes. A stack-trace handler that maps frames (ts-node installs source-map-support) made that
  // half of the jump stack's run at 1,000 users. The mock monitor records no source positions, so
  // the program runs with V8's own formatting; the handler is back once the run ends (a trace is
  // formatted when first read, so an error the program throws still goes through it). Sucrase,
  // which runs the TypeScript here, keeps every line where it was, so positions need no mapping.
  const traces = Error as { prepareStackTrace?: ErrorConstructor["prepareStackTrace"] };
  const prepareStackTrace = traces.prepareStackTrace;
  traces.prepareStackTrace = undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    let exported: unknown = require(entry);
    if (typeof exported === "function") exported = await (exported as () => unknown)();
    outputs = (await settle(exported)) as Record<string, unknown>;
    await waitForRPCs();
  } catch (e) {
    await waitForRPCs().catch(() => undefined);
    throw new ProgramError(stack, e, [...monitor.seen]);
  } finally {
    traces.prepareStackTrace = prepareStackTrace;
  }
  return { project: stack.project, stack: stack.stack, resources: [...monitor.seen], outputs };
}

/** The names a target stack may use for a planned stack: `org/project/stack`, `project/stack`, `stack`. */
export function stackNames(run: Pick<StackRun, "project" | "stack">, organization = "organization"): string[] {
  return [`${organization}/${run.project}/${run.stack}`, `${run.project}/${run.stack}`, run.stack];
}

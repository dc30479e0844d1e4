/**
 * The access proof's expectations: the article's console verification, automated, and more.
 * Every expectation is derived from the planned environment (intent from config, documents from
 * the registered resources, see access-model.ts), so any `--env` gets its own proof.
 *
 * An expectation is one request with the verdict it must get:
 *
 *   { id, guarantee, subject, how, account, request, expected, deniedBy? }
 *
 * `expected` is `Allowed`, `Denied` (either kind), `ImplicitlyDenied` or `ExplicitlyDenied`;
 * `deniedBy` also requires that the denial comes from that kind of policy (e.g. `boundary`: for an
 * AdministratorAccess role only the boundary can deny; `resource`: only the trust policy stands
 * between an outsider that is allowed to call AssumeRole and the role).
 *
 * What an expectation is: expectation.ts. The requests: requests.ts. The expectations of a role
 * session, of a role's trust and of a Jump user's self-service: session-expectations.ts,
 * trust-expectations.ts, self-service-expectations.ts; which users a role's trust is checked for
 * at scale: trust-sampling.ts. This file puts them together in the order the proof evaluates them.
 */
import { type RequestEnvironment } from "./context";
import type { AccessModel } from "./access-model";
import { type Expectation, type ProofOptions } from "./expectation";
import { roleSample, trustSampling } from "./trust-sampling";
import { sessionExpectations } from "./session-expectations";
import { trustExpectations } from "./trust-expectations";
import { selfServiceExpectations } from "./self-service-expectations";

/**
 * The proof's expectations, one batch per target role (its session, then its trust) and one per
 * Jump user (self-service), in the order `accessExpectations` returns them: a caller can evaluate
 * each batch and let it go.
 */
export async function* expectationBatches(model: AccessModel, opts: ProofOptions = {}): AsyncGenerator<Expectation[]> {
  const now = opts.now ?? new Date(Math.floor(Date.now() / 1000) * 1000);
  const sampling = trustSampling(model, opts);
  for (const [index, t] of model.targets.entries()) {
    const env: RequestEnvironment = { now, region: t.region };
    for (const r of t.roles) {
      const batch = await sessionExpectations(t, r, env);
      for (const e of trustExpectations(model, t, r, env, opts, roleSample(model, r, opts, sampling, index))) batch.push(e);
      yield batch;
    }
  }
  const jumpEnv: RequestEnvironment = { now, region: model.jump.region };
  for (const u of model.jump.users) yield selfServiceExpectations(model, u, jumpEnv);
}

/** Every expectation of the proof, for every target account and role and every Jump user. */
export async function accessExpectations(model: AccessModel, opts: ProofOptions = {}): Promise<Expectation[]> {
  const out: Expectation[] = [];
  for await (const batch of expectationBatches(model, opts)) for (const e of batch) out.push(e);
  return out;
}

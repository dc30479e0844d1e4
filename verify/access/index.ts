/** The access proof: evaluator wrapper, request contexts, environment model, expectations, catalogue check. */
export * from "./aws-managed";
export * from "./iam-catalogue";
export * from "./context";
export * from "./documents";
export * from "./evaluator";
export * from "./expectation";
export * from "./expectations";
export * from "./requests";
export * from "./trust-sampling";
export * from "./session-expectations";
export * from "./trust-expectations";
export * from "./self-service-expectations";
export * from "./access-model";
export * from "./proof";
export * from "../harness/mutate";

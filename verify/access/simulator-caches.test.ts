import { strict as assert } from "assert";
import * as path from "path";
import { useSimulatorCaches } from "./simulator-caches";

/** The library's module whose export the cache replaces, reached as simulator-caches.ts reaches it. */
const util = require(path.join(path.dirname(require.resolve("@cloud-copilot/iam-simulate")), "util.js")) as {
  convertIamString: (value: string, request: unknown, options?: object) => unknown;
};

/** A request whose only context key is aws:username. */
function requestOf(username: string) {
  return {
    contextKeyExists: (k: string) => k.toLowerCase() === "aws:username",
    getContextKeyValue: () => ({ isStringValue: () => true, value: username }),
  };
}

/** What an answer is, comparably: a string, or an expression's source and flags with any errors. */
function shape(answer: unknown): unknown {
  if (typeof answer === "string") return answer;
  const { pattern, errors } = answer as { pattern: RegExp; errors?: string[] };
  return { source: pattern.source, flags: pattern.flags, errors };
}

const VALUES = [
  "111122223333",
  "arn:aws:iam::111122223333:role/restricted-admin",
  "a.b+c(d)[e]{f}|g^h\\\\i/j",
  "ünïcödé-名前",
  "",
  "${aws:username}",
  "user/${aws:username}",
  "${*}${?}${$}",
  "role/*",
  "a?b",
  "$",
  "cost${",
];
const OPTIONS = [undefined, { replaceWildcards: false }, { replaceWildcards: true }, { convertToRegex: false, replaceWildcards: false }];

describe("the evaluator's caches (verify/access/simulator-caches.ts)", () => {
  after(() => useSimulatorCaches(true));

  it("convertIamString answers as the library does, for literal values, wildcards, policy variables and regex metacharacters", () => {
    for (const user of ["alice", "bob"])
      for (const value of VALUES)
        for (const options of OPTIONS) {
          useSimulatorCaches(false);
          const original = shape(util.convertIamString(value, requestOf(user), options));
          useSimulatorCaches(true);
          // Twice: the first answer fills the cache, the second comes from it.
          for (let i = 0; i < 2; i++)
            assert.deepEqual(
              shape(util.convertIamString(value, requestOf(user), options)),
              original,
              `${value} ${JSON.stringify(options)} ${user}`,
            );
        }
  });

  it("a policy variable is resolved for each request, never answered from another request's cache entry", () => {
    useSimulatorCaches(true);
    const alice = shape(util.convertIamString("user/${aws:username}", requestOf("alice"), { replaceWildcards: false }));
    const bob = shape(util.convertIamString("user/${aws:username}", requestOf("bob"), { replaceWildcards: false }));
    assert.notDeepEqual(alice, bob);
    assert.match((bob as { source: string }).source, /bob/);
  });
});

import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { JUMP_PROJECT_DIR, TARGET_PROJECT_DIR } from "./environment";
import { parseStackYaml, readStackFile, STACK_FILE_LIMITS, stackFilesIn, StackFileError } from "./stack-file";

const made: string[] = [];
after(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "jumpenv-stack-file-"));
  made.push(dir);
  return dir;
}

/** The error a file gives, as one line, and how long refusing it took. */
function refusal(text: string | Buffer): { message: string; ms: number } {
  const t = process.hrtime.bigint();
  try {
    parseStackYaml(Buffer.isBuffer(text) ? text : Buffer.from(text), "Pulumi.x.yaml");
  } catch (e) {
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    assert.ok(e instanceof StackFileError, String(e));
    assert.ok(!e.message.includes("\n"), e.message);
    return { message: e.message, ms };
  }
  assert.fail("expected the file to be refused");
}

describe("stack files: found by the names the Pulumi CLI reads", () => {
  it("reads every committed example", () => {
    assert.deepEqual(
      stackFilesIn(TARGET_PROJECT_DIR).map((f) => f.stack),
      ["sandbox", "seed-target"],
    );
    assert.equal(stackFilesIn(JUMP_PROJECT_DIR)[0].config["aws:region"], "us-east-1");
  });

  const ignored: [string, RegExp][] = [
    // The CLI reads Pulumi.<stack> + the project file's extension: next to Pulumi.yaml, never .yml.
    ["Pulumi.sandbox.yml", /would ignore this file; rename it to Pulumi\.sandbox\.yaml/],
    ["Pulumi.sandbox.json", /rename it to Pulumi\.sandbox\.yaml/],
    ["pulumi.sandbox.yaml", /would ignore this file; expected Pulumi\.<stack>\.yaml \(with a capital P\)/],
    ["Pulumi.my sandbox.yaml", /stack name "my sandbox"; expected 1 to 100 letters, digits/],
    [`Pulumi.${"s".repeat(101)}.yaml`, /expected 1 to 100 letters/],
    ["Pulumi.sandbox.yaml.bak", /would ignore this file/],
  ];
  for (const [name, expected] of ignored) {
    it(`reports ${name.length > 40 ? "a 101-character stack name" : name} by name instead of skipping it`, () => {
      const dir = tempDir();
      fs.copyFileSync(path.join(TARGET_PROJECT_DIR, "Pulumi.sandbox.yaml"), path.join(dir, name));
      assert.throws(
        () => stackFilesIn(TARGET_PROJECT_DIR, dir),
        (e: unknown) => e instanceof StackFileError && e.message.startsWith(path.join(dir, name)) && expected.test(e.message),
      );
    });
  }

  it("leaves other files alone (a README, the project file)", () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "README.md"), "notes");
    fs.copyFileSync(path.join(TARGET_PROJECT_DIR, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    fs.copyFileSync(path.join(TARGET_PROJECT_DIR, "Pulumi.sandbox.yaml"), path.join(dir, "Pulumi.sandbox.yaml"));
    assert.deepEqual(
      stackFilesIn(TARGET_PROJECT_DIR, dir).map((f) => f.stack),
      ["sandbox"],
    );
  });

  const contents: [string, string, RegExp][] = [
    ["a list at the top", "- a\n", /expected a map with a "config:" key/],
    ["a misspelt top-level key", "confg:\n  aws:region: us-east-1\n", /top-level key "confg"; expected only config/],
    ["a key without a value", "config:\n  aws:region:\n", /aws:region has no value/],
    [
      "the same key bare and namespaced",
      "config:\n  jumpStack: a\n  target-account:jumpStack: b\n",
      /sets target-account:jumpStack a second time/,
    ],
    [
      "an ambiguous anchor (the YAML library would print a warning on stderr)",
      "config:\n  x:\n    - &name: a\n",
      /ambiguous YAML: Anchor ending in : is ambiguous/,
    ],
    ["a duplicate key", "config:\n  aws:region: a\n  aws:region: b\n", /not valid YAML: Map keys must be unique/],
  ];
  for (const [name, text, expected] of contents) {
    it(`refuses ${name} with one line`, () => {
      const dir = tempDir();
      const file = path.join(dir, "Pulumi.x.yaml");
      fs.writeFileSync(file, text);
      assert.throws(
        () => readStackFile(TARGET_PROJECT_DIR, file),
        (e: unknown) => e instanceof StackFileError && !e.message.includes("\n") && expected.test(e.message),
      );
    });
  }
});

describe("stack files: hostile input is cheap to refuse", () => {
  it("a 100 KB file of flat aliases: refused by count before anything expands, in well under a second", () => {
    let text = `config:\n  x: &a "${"a".repeat(5000)}"\n  y: [`;
    while (text.length < 100_000) text += "*a,";
    const r = refusal(`${text}*a]\n`);
    assert.match(r.message, new RegExp(`more than ${STACK_FILE_LIMITS.maxAliases} aliases`));
    assert.ok(r.ms < 500, `${r.ms} ms`);
  });

  it("a billion laughs under the alias count: refused by its expanded size", () => {
    let text = `config:\n  a0: &a0 [${Array(9).fill('"lol"').join(",")}]\n`;
    for (let i = 1; i < 20; i++)
      text += `  a${i}: &a${i} [${Array(9)
        .fill(`*a${i - 1}`)
        .join(",")}]\n`;
    const r = refusal(text);
    assert.match(r.message, /aliases expand it past \d+ characters \(10 times its size plus 1 MiB\)/);
    assert.ok(r.ms < 500, `${r.ms} ms`);
  });

  it("flat aliases of a long string under the alias count: refused by their expanded size", () => {
    let text = `config:\n  x: &a "${"a".repeat(10_000)}"\n  y: [`;
    for (let i = 0; i < 5000; i++) text += "*a,";
    const r = refusal(`${text}*a]\n`);
    assert.match(r.message, /aliases expand it past/);
    assert.ok(r.ms < 500, `${r.ms} ms`);
  });

  it("aliases that a file may reasonably use (a role list shared by many accounts) are read", () => {
    let text = "config:\n  roles: &roles [{name: admin, groups: [admins]}, {name: read-only, groups: [readers]}]\n  targets:\n";
    for (let i = 0; i < 1000; i++) text += `    - {name: t${i}, roles: *roles}\n`;
    const doc = parseStackYaml(Buffer.from(text), "Pulumi.x.yaml") as { config: { targets: { roles: unknown[] }[] } };
    assert.equal(doc.config.targets[999].roles.length, 2);
  });

  it("deep nesting is refused before the parser recurses", () => {
    const r = refusal(`config:\n  x: ${"[".repeat(50_000)}${"]".repeat(50_000)}\n`);
    assert.match(r.message, /nested more than 32 deep/);
    assert.ok(r.ms < 500, `${r.ms} ms`);
  });

  it("an alias inside its own anchor is refused", () => {
    assert.match(refusal("config:\n  x: &a [1, *a]\n").message, /refers to a node that contains it/);
  });

  it("a file over the size bound is refused unread", () => {
    const r = refusal(Buffer.alloc(STACK_FILE_LIMITS.maxBytes + 1, 0x20));
    assert.match(r.message, /expected a stack file of at most/);
  });

  it("bytes that are not UTF-8 are refused, as the CLI's YAML reader refuses them", () => {
    assert.match(refusal(Buffer.from([0x63, 0x6f, 0x6e, 0x66, 0x69, 0x67, 0x3a, 0xff, 0x0a])).message, /not UTF-8/);
  });
});

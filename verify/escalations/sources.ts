/**
 * Where the catalogue's methods come from. Every method names at least one source and the exact
 * page, file or numbered entry in it, so a reader can check the method against the original.
 * `outside` marks sources that are not this project's own reasoning about the article.
 */
export const SOURCES = {
  htc: {
    name: "Hacking the Cloud",
    home: "https://hackingthe.cloud (repository Hacking-the-Cloud/hackingthe.cloud)",
    outside: true,
  },
  pmapper: {
    name: "NCC Group PMapper",
    home: "https://github.com/nccgroup/PMapper (principalmapper/graphing/*_edges.py)",
    outside: true,
  },
  pathfinding: {
    name: "Datadog pathfinding.cloud",
    home: "https://pathfinding.cloud (repository DataDog/pathfinding.cloud, data/paths/<service>/<id>.yaml)",
    outside: true,
  },
  rhino: {
    name: "Rhino Security Labs",
    home: "https://github.com/RhinoSecurityLabs/AWS-IAM-Privilege-Escalation (README.md, methods 1-28) and RhinoSecurityLabs/pacu pacu/modules/iam__privesc_scan/main.py",
    outside: true,
  },
  aws: {
    name: "AWS documentation",
    home: "https://docs.aws.amazon.com (IAM User Guide, Organizations, Service Authorization Reference, AWS Security Blog)",
    outside: true,
  },
  article: {
    name: "The article's boundary",
    home: "the seed article (test/fixtures/article)",
    outside: false,
  },
  project: {
    name: "Jump-account pattern (this project)",
    home: "docs/escalations.md",
    outside: false,
  },
} as const;

export type SourceKey = keyof typeof SOURCES;

/** One source of a method: which, and the exact place in it (a URL or a repository path). */
export interface SourceRef {
  readonly source: SourceKey;
  readonly ref: string;
}

export const htc = (page: string): SourceRef => ({ source: "htc", ref: `https://hackingthe.cloud/aws/${page}/` });
export const pmapper = (edges: string): SourceRef => ({ source: "pmapper", ref: `nccgroup/PMapper principalmapper/graphing/${edges}.py` });
export const pathfinding = (...ids: string[]): SourceRef => ({
  source: "pathfinding",
  ref: ids.map((id) => `DataDog/pathfinding.cloud data/paths/${id.split("-")[0]}/${id}.yaml`).join(", "),
});
export const rhino = (...methods: number[]): SourceRef => ({
  source: "rhino",
  ref: `RhinoSecurityLabs/AWS-IAM-Privilege-Escalation README.md method ${methods.join(", ")}`,
});
export const aws = (url: string): SourceRef => ({ source: "aws", ref: url });
export const ARTICLE: SourceRef = { source: "article", ref: "test-pb-policy" };
export const PROJECT: SourceRef = { source: "project", ref: "the Jump-account trust and role design" };

export const HTC_PRIVESC = htc("exploitation/iam_privilege_escalation");
export const AWS_BOUNDARIES = aws("https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html");

/** A method's sources as one line of Markdown. */
export function describeSources(refs: readonly SourceRef[]): string {
  return refs.map((r) => `${SOURCES[r.source].name}: ${r.ref}`).join("; ");
}

/** The distinct outside sources a list of methods cites. */
export function outsideSources(methods: readonly { readonly sources: readonly SourceRef[] }[]): SourceKey[] {
  const keys = new Set<SourceKey>();
  for (const m of methods) for (const r of m.sources) if (SOURCES[r.source].outside) keys.add(r.source);
  return (Object.keys(SOURCES) as SourceKey[]).filter((k) => keys.has(k));
}

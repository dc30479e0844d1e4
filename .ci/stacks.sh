#!/usr/bin/env bash
# Run `pulumi preview` or `pulumi up` on several stacks of one project, one after the other, each
# with the built policy pack and that stack's own pack config, account and region
# (`npm run --silent policy-config`). Used by the workflows' sharded jobs: a matrix of up to 256
# jobs covers 1,000 target stacks only with several stacks per job.
#
#   bash .ci/stacks.sh preview|up <project folder> <stack>...
#
# AWS access is GitHub OIDC only: for each stack a fresh ID token is written to a file and the
# AWS SDK inside the provider assumes arn:aws:iam::<the stack's account>:role/$AWS_ROLE_NAME with
# it (AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE); the token is masked and never printed.
# Each stack's output goes to $RUNNER_TEMP/stacks/<project folder>/<stack>.log and a one-line
# result to <stack>.result; the script runs every stack and exits 1 if any failed.
# Secrets: the CLI prints secret values as [secret]; nothing here reads stack outputs.
set -uo pipefail
command=$1
dir=$2
shift 2
case "$command" in
  preview) args=(preview --diff) ;;
  up) args=(up --yes) ;;
  *) echo "stacks.sh: expected preview or up, got $command" >&2; exit 2 ;;
esac
root=$(cd "$(dirname "$0")/.." && pwd)
project=$(node -p "require('yaml').parse(require('fs').readFileSync('$root/$dir/Pulumi.yaml','utf8')).name")
out="${RUNNER_TEMP:-/tmp}/stacks/${dir//\//-}"
mkdir -p "$out"
failed=0
for stack in "$@"; do
  if ! [[ "$stack" =~ ^[A-Za-z0-9_.-]+$ ]]; then
    echo "stacks.sh: not a stack name: $stack" >&2
    exit 2
  fi
  log="$out/$stack.log"
  cfg="$out/$stack.policy-config.json"
  # policy-config names the root project (governance) by its project name, the others by folder.
  if ! vars=$(cd "$root" && npm run --silent policy-config -- "${dir/#./$project}/$stack" --out "$cfg"); then
    echo "failed|$dir/$stack|policy-config" > "$out/$stack.result"
    failed=1
    continue
  fi
  account=$(sed -n 's/^account-id=//p' <<<"$vars")
  region=$(sed -n 's/^region=//p' <<<"$vars")
  if [ -n "$account" ] && [ "${GITHUB_ACTIONS:-}" = true ] && [ -z "${ACTIONS_ID_TOKEN_REQUEST_URL:-}" ]; then
    echo "stacks.sh: $dir/$stack needs AWS account $account, and this job has no OIDC token (permissions: id-token: write)" >&2
    exit 2
  fi
  if [ -n "$account" ] && [ -n "${ACTIONS_ID_TOKEN_REQUEST_URL:-}" ]; then
    token=$(curl -sSf -H "Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN" "$ACTIONS_ID_TOKEN_REQUEST_URL&audience=sts.amazonaws.com" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.parse(s).value))')
    echo "::add-mask::$token"
    printf '%s' "$token" > "$out/token"
    export AWS_WEB_IDENTITY_TOKEN_FILE="$out/token"
    export AWS_ROLE_ARN="arn:aws:iam::$account:role/$AWS_ROLE_NAME"
    export AWS_ROLE_SESSION_NAME="${command}-${GITHUB_RUN_ID:-local}"
    export AWS_REGION="$region"
  fi
  echo "::group::pulumi $command $dir/$stack"
  (cd "$root/$dir" && pulumi "${args[@]}" --non-interactive --stack "$PULUMI_ORG/$project/$stack" \
    --policy-pack "$root/policy-pack" --policy-pack-config "$cfg") 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  echo "::endgroup::"
  rm -f "$out/token"
  if [ "$status" -eq 0 ]; then
    echo "ok|$dir/$stack|$(grep -E '^\s+([-+~]+\s*)?[0-9]+ (to |unchanged|created|updated|deleted|replaced)' "$log" | sed 's/^ *//' | paste -sd, -)" > "$out/$stack.result"
  else
    echo "failed|$dir/$stack|pulumi $command exited $status" > "$out/$stack.result"
    failed=1
  fi
done
exit "$failed"

#!/usr/bin/env bash
# Fuzz every operation of the OpenAPI document with schemathesis against the real server:
# once without authentication, then as a teacher, a school's operator and the national centre's
# administrator. Fails on any 5xx,
# any response that breaks its documented schema, status or content type.
#
# Each run gets a fresh server over a fresh SQLite database (migrate + demo seed), so what one
# run destroys (accounts disabled, units closed, logins locked) does not spill into the next.
#
# Environment:
#   INSERVICE_BIN         a built `inservice` binary (default: `cargo build --locked -p inservice`)
#   FUZZ_MAX_EXAMPLES     test cases per operation and phase (default 12)
#   FUZZ_MAX_TIME         seconds each run may take at most (default 90)
#   FUZZ_SEED             schemathesis seed (default: a fixed one, so CI is reproducible)
#   FUZZ_VENV             where schemathesis is installed (default: $CARGO_TARGET_DIR/fuzz-venv)
#   FUZZ_REPORT_DIR       where the reports go (default: $CARGO_TARGET_DIR/fuzz-report)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD

SCHEMATHESIS_VERSION=4.32.5
target_dir=${CARGO_TARGET_DIR:-$root/target}
venv=${FUZZ_VENV:-$target_dir/fuzz-venv}
report_dir=${FUZZ_REPORT_DIR:-$target_dir/fuzz-report}
max_examples=${FUZZ_MAX_EXAMPLES:-12}
max_time=${FUZZ_MAX_TIME:-90}
# A fixed seed keeps CI reproducible; set FUZZ_SEED to explore further.
seed=${FUZZ_SEED:-20261201}
password=inservice-demo-2026

log() { printf 'fuzz: %s\n' "$*" >&2; }

# --- schemathesis, pinned, in its own virtualenv ---------------------------------------------
st=$venv/bin/st
if ! "$st" --version 2>/dev/null | grep -q "version $SCHEMATHESIS_VERSION\$"; then
  log "installing schemathesis $SCHEMATHESIS_VERSION into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

# --- the server binary -----------------------------------------------------------------------
if [ -z "${INSERVICE_BIN:-}" ]; then
  cargo build --locked -q -p inservice
  INSERVICE_BIN=$target_dir/debug/inservice
fi
[ -x "$INSERVICE_BIN" ] || { log "no server binary at $INSERVICE_BIN"; exit 1; }

work=$(mktemp -d -t inservice-fuzz.XXXXXX)
server_pid=
stop_server() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=
  fi
}
cleanup() {
  stop_server
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

http_ok() {
  python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$1" 2>/dev/null
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Starts a fresh server over a fresh database; sets $base.
start_server() {
  local name=$1 data=$work/$1 port
  mkdir -p "$data"
  port=$(free_port)
  base=http://127.0.0.1:$port
  export INSERVICE_ENV=development INSERVICE_DATA_DIR=$data INSERVICE_BIND=127.0.0.1:$port
  export INSERVICE_PUBLIC_URL=$base RUST_LOG=${RUST_LOG:-warn}
  unset INSERVICE_DATABASE_URL INSERVICE_CONFIG
  "$INSERVICE_BIN" migrate >"$data/setup.log" 2>&1
  "$INSERVICE_BIN" seed --demo >>"$data/setup.log" 2>&1
  "$INSERVICE_BIN" serve >"$data/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 300); do
    if http_ok "$base/api/v1/health"; then
      log "[$name] server ready on $base (pid $server_pid, log $data/server.log)"
      return 0
    fi
    if ! kill -0 "$server_pid" 2>/dev/null; then
      log "[$name] the server exited before it was ready:"
      tail -n 40 "$data/server.log" >&2
      return 1
    fi
    sleep 0.1 # polling interval while the port opens
  done
  log "[$name] the server was not ready after 30 s"
  return 1
}

# Identifiers of the seeded data, for hooks.py to put into path parameters; the account that
# fuzzes is left out so that it does not disable or delete itself.
known_ids() {
  python3 - "$work/$1/inservice.db" "$2" >"$work/$1/known.json" <<'PY'
import json, sqlite3, sys
db, login = sys.argv[1:]
connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
def column(query, *args):
    return [row[0] for row in connection.execute(query, args)]
print(json.dumps({
    "course": column("SELECT id FROM courses ORDER BY id"),
    "unit": column("SELECT code FROM units ORDER BY code"),
    "enrollment": column("SELECT id FROM enrollments ORDER BY id"),
    "account": column("SELECT id FROM accounts WHERE account_name <> ? ORDER BY id", login),
    "attachment": column("SELECT id FROM course_attachments ORDER BY id"),
    "amendment": column("SELECT id FROM amendments ORDER BY id"),
    "tag": column("SELECT id FROM attribute_tags ORDER BY id"),
    "transcript": column("SELECT code FROM transcripts ORDER BY code"),
}))
PY
  export FUZZ_KNOWN_IDS=$work/$1/known.json
}

access_token() {
  python3 - "$base/api/v1/auth/login" "$1" "$password" <<'PY'
import json, sys, urllib.request
url, login, password = sys.argv[1:]
request = urllib.request.Request(url, json.dumps({"login": login, "password": password}).encode(),
                                 {"Content-Type": "application/json"})
with urllib.request.urlopen(request, timeout=30) as response:
    print(json.load(response)["access_token"])
PY
}

export SCHEMATHESIS_HOOKS=$root/tests/fuzz/hooks.py
checks=not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance
results=()
failed=0

# fuzz NAME LOGIN|- [extra schemathesis arguments]
fuzz() {
  local name=$1 login=$2 status=0 started
  shift 2
  start_server "$name"
  known_ids "$name" "$login"
  local auth=() token
  if [ "$login" != - ]; then
    token=$(access_token "$login")
    auth=(-H "Authorization: Bearer $token")
  fi
  mkdir -p "$report_dir"
  started=$SECONDS
  log "[$name] schemathesis against $base/api/v1/openapi.json (seed $seed)"
  # From the temp folder, where schemathesis leaves its crash cache (.schemathesis/).
  # One worker: with two threads, CPython 3.11's ast module (which Hypothesis uses to describe
  # its strategies) now and then fails with "AST constructor recursion depth mismatch", a
  # schemathesis run error that is no finding about the API.
  (cd "$work" && "$st" run "$base/api/v1/openapi.json" \
    --url "$base" \
    --checks "$checks" \
    --phases examples,coverage,fuzzing \
    --max-examples "$max_examples" \
    --max-time "$max_time" \
    --request-timeout 10 \
    --seed "$seed" \
    --generation-database none \
    --workers 1 \
    --no-color \
    --suppress-health-check all \
    --report junit --report-junit-path "$report_dir/$name.xml" \
    "${auth[@]}" "$@") || status=$?
  stop_server
  local took=$((SECONDS - started))
  if [ "$status" -eq 0 ]; then
    results+=("  $name: passed (${took}s)")
  else
    results+=("  $name: FAILED, schemathesis exit $status (${took}s; server log kept in $report_dir/$name-server.log)")
    cp "$work/$name/server.log" "$report_dir/$name-server.log" || true
    failed=1
  fi
}

# The operations that end the session the run authenticates with (or change its password)
# would turn every later request into a 401: the authenticated runs leave them out, the
# anonymous run covers them.
session_enders=(--exclude-path /api/v1/auth/logout --exclude-path /api/v1/auth/logout-all
  --exclude-path /api/v1/me/password)

fuzz anonymous -
fuzz teacher teacher.lin "${session_enders[@]}"
fuzz operator school.operator "${session_enders[@]}"
fuzz admin centre.admin "${session_enders[@]}"

echo
echo "fuzz summary (schemathesis $SCHEMATHESIS_VERSION, seed $seed, $max_examples examples/operation, checks $checks):"
printf '%s\n' "${results[@]}"
if [ "$failed" -ne 0 ]; then
  echo "fuzz: FAILED (reproduce with FUZZ_SEED=$seed make fuzz; JUnit reports in $report_dir)"
  exit 1
fi
echo "fuzz: all runs passed"

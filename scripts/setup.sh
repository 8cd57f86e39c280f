#!/usr/bin/env bash
# Sets up .venv with the CPU build of torch and the project; with --test also the system
# packages the test suite starts (TEST_PACKAGES below). Safe to run again: it only adds.
#
# It prints one line per step with how long it took, and the result last. What the installers
# print (apt, pip: their progress, and warnings from this machine's pip settings) goes to
# $SETUP_LOG, artifacts/setup.log by default; when a step fails, the end of it is shown.
set -euo pipefail

# System packages the tests start, as COMMAND=DEBIAN_PACKAGE: one line each.
TEST_PACKAGES=(
  redis-server=redis-server
  chromium=chromium
  wrk=wrk # benchmarks/load.py
  nginx=nginx # deploy/nginx: the proxy the deployment tests start
)
SETUP_LOG=${SETUP_LOG:-artifacts/setup.log}
TAIL_LINES=${TAIL_LINES:-40}

say() { printf 'setup: %s\n' "$*" >&2; }

duration() { # seconds -> "42 s" or "2 min 5 s"
  if (($1 < 60)); then echo "$1 s"; else echo "$(($1 / 60)) min $(($1 % 60)) s"; fi
}

# step WHAT COMMAND...: runs COMMAND with all its output in $SETUP_LOG and prints
# "setup: WHAT ... 12 s"; when it fails, the end of the log, then exits with its status.
step() {
  local what=$1 started=$SECONDS status=0
  shift
  printf 'setup: %s ... ' "$what" >&2
  printf '\n== %s: %s\n' "$what" "$*" >>"$SETUP_LOG"
  "$@" >>"$SETUP_LOG" 2>&1 </dev/null || status=$?
  if ((status)); then
    printf 'failed after %s (exit %d)\n' "$(duration $((SECONDS - started)))" "$status" >&2
    say "the last $TAIL_LINES lines of $SETUP_LOG:"
    tail -n "$TAIL_LINES" "$SETUP_LOG" | sed 's/^/  | /' >&2
    exit "$status"
  fi
  duration $((SECONDS - started)) >&2
}

apt_install() { # run in a step: errexit is off there, hence the &&
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

pip_install() { .venv/bin/pip install --disable-pip-version-check --progress-bar off "$@"; }

main() {
  cd "$(dirname "${BASH_SOURCE[0]}")/.."
  local with_tests=0 started=$SECONDS
  case "${1:-}" in
    "") ;;
    --test) with_tests=1 ;;
    *)
      say "unknown option ${1@Q}: use no option (the library and the command) or --test"
      exit 2
      ;;
  esac
  mkdir -p "$(dirname "$SETUP_LOG")"
  : >"$SETUP_LOG"

  if ((with_tests)); then
    local entry missing=()
    for entry in "${TEST_PACKAGES[@]}"; do
      command -v "${entry%%=*}" >/dev/null || missing+=("${entry#*=}")
    done
    if ((${#missing[@]})); then
      step "system packages for the tests: ${missing[*]} (apt)" apt_install "${missing[@]}"
    fi
  fi
  step "Python environment .venv" python3 -m venv .venv
  # torch first and pinned: 2.13.0 is the CPU wheel on these machines' disk; an unpinned torch
  # pulls a multi-GB CUDA build.
  step "torch 2.13.0 (CPU)" pip_install torch==2.13.0
  # Every other dependency at the version in the lock file (pip-compile; requirements/README.md).
  step "the project and its dev tools (requirements/dev.txt, -e '.[dev]')" \
    pip_install -r requirements/dev.txt -e '.[dev]'
  say "ready in $(duration $((SECONDS - started))): .venv/bin/summarizer," \
    ".venv/bin/python -m pytest (installers' output: $SETUP_LOG)"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  main "$@"
fi

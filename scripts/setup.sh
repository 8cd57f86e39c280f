#!/usr/bin/env bash
# Sets up .venv with the CPU build of torch and the project; with --test also the system
# packages the test suite starts (redis-server, chromium, wrk, nginx). Safe to run again: it only adds.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${1:-}" == "--test" ]]; then
  missing=()
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v chromium >/dev/null || missing+=(chromium)
  command -v wrk >/dev/null || missing+=(wrk)  # benchmarks/load.py
  command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || missing+=(nginx)  # deploy/nginx
  if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]} (apt)" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi

python3 -m venv .venv
# torch first and pinned: 2.13.0 is the CPU wheel on these machines' disk; an unpinned torch
# pulls a multi-GB CUDA build.
.venv/bin/pip install --quiet --disable-pip-version-check torch==2.13.0
# Every other dependency at the version in the lock file (pip-compile; requirements/README.md).
.venv/bin/pip install --quiet --disable-pip-version-check -r requirements/dev.txt -e '.[dev]'

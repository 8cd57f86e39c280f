"""scripts/setup.sh prints a line per step and its result, keeps the installers' output in a
log, and shows the end of that log when a step fails. Run on a copy of the script with stand-ins
for python3, pip and apt-get (a real install takes minutes; the Quickstart runs that)."""

from __future__ import annotations

import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT

WARNINGS = 150  # what this machine's pip settings print on every install
PYTHON3 = f"""#!/bin/sh
# "python3 -m venv .venv": a .venv whose pip prints what the real one does here
mkdir -p .venv/bin
cat > .venv/bin/pip <<'EOF'
#!/bin/sh
for i in $(seq 1 {WARNINGS}); do
  echo "WARNING: Location 'file:///opt/pypi-more/simple/package-$i/' is ignored"
done
case "$*" in *"-e .[dev]"*)
  if [ -n "$FAIL_PROJECT" ]; then echo "ERROR: No matching distribution for nothing"; exit 1; fi
esac
echo "Successfully installed: $*"
EOF
chmod +x .venv/bin/pip
"""
APT_GET = """#!/bin/sh
echo "apt-get $*" >> "$APT_CALLS"
"""
TOOLS = ("bash", "sh", "dirname", "mkdir", "tail", "sed", "cat", "chmod", "seq")


def make(path: Path, text: str) -> None:
    path.write_text(text)
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


@pytest.fixture
def checkout(tmp_path):
    """A checkout holding only scripts/setup.sh, and a PATH with only stand-ins and the few
    tools the script uses (so the test packages are missing from it)."""
    (tmp_path / "repo" / "scripts").mkdir(parents=True)
    shutil.copy(ROOT / "scripts" / "setup.sh", tmp_path / "repo" / "scripts" / "setup.sh")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    make(bin_dir / "python3", PYTHON3)
    make(bin_dir / "apt-get", APT_GET)
    for tool in TOOLS:
        (bin_dir / tool).symlink_to(shutil.which(tool))
    return tmp_path


def setup(checkout: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(checkout / "repo" / "scripts" / "setup.sh"), *args],
        env={
            "PATH": str(checkout / "bin"),
            "APT_CALLS": str(checkout / "apt-calls"),
            "HOME": str(checkout),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_line_per_step_with_its_duration_and_the_result_last(checkout):
    result = setup(checkout)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert [re.sub(r" \.\.\. \d+ s$", " ... N s", line) for line in lines[:-1]] == [
        "setup: Python environment .venv ... N s",
        "setup: torch 2.13.0 (CPU) ... N s",
        "setup: the project and its dev tools (requirements/dev.txt, -e '.[dev]') ... N s",
    ]
    assert re.fullmatch(r"setup: ready in \d+ s: .* \(installers' output: .*setup.log\)", lines[-1])
    assert result.stdout == ""
    log = (checkout / "repo" / "artifacts" / "setup.log").read_text()
    assert log.count("is ignored") == 2 * WARNINGS  # the installers' output is all there
    assert not (checkout / "apt-calls").exists()


def test_a_failing_step_shows_the_end_of_the_log_and_stops(checkout):
    result = setup(checkout, FAIL_PROJECT="1", TAIL_LINES="5")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[2].startswith("setup: the project and its dev tools")
    assert re.search(r" \.\.\. failed after \d+ s \(exit 1\)$", lines[2]), lines[2]
    assert lines[3] == "setup: the last 5 lines of artifacts/setup.log:"
    assert lines[-1] == "  | ERROR: No matching distribution for nothing"
    assert len(lines) == 4 + 5 and not any("ready" in line for line in lines)


def test_with_test_the_missing_system_packages_come_from_apt(checkout):
    result = setup(checkout, "--test")
    assert result.returncode == 0, result.stderr
    first = result.stderr.splitlines()[0]
    assert first.startswith("setup: system packages for the tests: redis-server chromium wrk nginx")
    assert (checkout / "apt-calls").read_text().splitlines() == [
        "apt-get update -qq",
        "apt-get install -y -qq redis-server chromium wrk nginx",
    ]


def test_an_unknown_option_is_refused_before_anything_runs(checkout):
    result = setup(checkout, "--tests")
    assert result.returncode == 2
    assert result.stderr.startswith("setup: unknown option '--tests'")
    assert not (checkout / "repo" / ".venv").exists()

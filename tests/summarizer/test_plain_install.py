"""A plain (non-editable) install finds ``models/``: the package then lives in site-packages,
where the checkout's ``models/`` is not, so ``registry.models_dir()`` looks elsewhere."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, summarizer
from summarizer import registry
print(json.dumps({
    "package": summarizer.__file__,
    "models_dir": str(registry.models_dir()),
    "names": [m["name"] for m in registry.available_models()],
}))
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """``pip install --no-deps --target``, offline, from a copy of the sources (so the build
    leaves nothing in the checkout)."""
    tmp = tmp_path_factory.mktemp("plain")
    source = tmp / "src"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("summarizer", "api"):
        shutil.copytree(ROOT / name, source / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    target = tmp / "site"
    pip = [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation"]
    subprocess.run(
        [*pip, "--no-index", "--target", str(target), str(source)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return target


def probe(site: Path, cwd: Path, home: Path, **env: str) -> dict:
    full = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SUMMARIZER_MODELS_DIR")}
    full.update(PYTHONPATH=str(site), HOME=str(home), XDG_DATA_HOME=str(home / "data"), **env)
    out = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=cwd, env=full, capture_output=True, timeout=120
    )
    assert out.returncode == 0, out.stderr.decode()
    return json.loads(out.stdout)


def manifest(folder: Path, name: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.toml").write_text(f'hub_id = "org/{name}"\nfamily = "bart"\n')


@pytest.mark.slow
def test_a_plain_install_finds_models_in_the_current_directory(site, tmp_path):
    work, home = tmp_path / "deploy", tmp_path / "home"
    manifest(work / "models", "house-model")
    found = probe(site, work, home)
    assert Path(found["package"]).is_relative_to(site)  # really the installed copy
    assert found["models_dir"] == str(work / "models")
    assert "house-model" in found["names"]


def test_a_plain_install_falls_back_to_the_user_data_folder(site, tmp_path):
    work, home = tmp_path / "elsewhere", tmp_path / "home"
    work.mkdir()
    manifest(home / "data" / "summarizer" / "models", "user-model")
    found = probe(site, work, home)
    assert found["models_dir"] == str(home / "data" / "summarizer" / "models")
    assert "user-model" in found["names"]


def test_summarizer_models_dir_wins(site, tmp_path):
    work, home, chosen = tmp_path / "deploy", tmp_path / "home", tmp_path / "chosen"
    manifest(work / "models", "house-model")
    manifest(chosen, "chosen-model")
    found = probe(site, work, home, SUMMARIZER_MODELS_DIR=str(chosen))
    assert found["models_dir"] == str(chosen)
    assert "chosen-model" in found["names"] and "house-model" not in found["names"]

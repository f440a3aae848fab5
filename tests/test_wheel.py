"""The walk-through of the README from a built wheel, in an empty directory.

The wheel is built from a copy of the source tree (``pip wheel --no-deps``)
and installed, without its dependencies, into a fresh venv that has no pip
and no access to this checkout; the dependencies come from the test
interpreter's site-packages through a ``.pth`` line (plain path entries: the
editable install of sqlmig there is a ``.pth`` file of that directory, which
Python does not process for a path added that way).  So this runs offline,
and what runs is what the wheel holds: its modules, its SQL files and its
``sqlmig`` script.  Then, by hand: config/dev.yaml and sql/migrations,
``new``, SQL written into both files, ``apply`` (dev updates the manifest
for the edited files), ``rollback`` and ``lint``, against the test server.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def run(*argv: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None,
        timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in argv], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv with the wheel of this tree installed; its bin directory."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    shutil.copytree(REPO / "src", source / "src",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    built = run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", tmp / "dist",
                source, timeout=300)
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp / "dist").glob("sqlmig-*.whl")

    venv = tmp / "venv"
    made = run(sys.executable, "-m", "venv", "--without-pip", venv)
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    purelib = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])")
                   .stdout.strip())
    (purelib / "_sqlmig_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    put = run(sys.executable, "-m", "pip", "--python", python, "install", "--quiet",
              "--no-deps", "--no-index", wheel)
    assert put.returncode == 0, put.stderr
    where = run(python, "-c", "import sqlmig; print(sqlmig.__file__)")
    assert where.returncode == 0, where.stderr
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout  # not this checkout
    return venv / "bin"


def test_walk_through_from_the_wheel_in_an_empty_directory(installed, tmp_path, db_url):
    shop = tmp_path / "shop"
    (shop / "config").mkdir(parents=True)
    (shop / "sql" / "migrations").mkdir(parents=True)
    (shop / "config" / "dev.yaml").write_text("database_url: ${DATABASE_URL}\n")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("SQLMIG_") and k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(DATABASE_URL=db_url, PATH=f"{installed}{os.pathsep}{env.get('PATH', '')}",
               NO_COLOR="1")

    def sqlmig(*args: str) -> subprocess.CompletedProcess[str]:
        result = run(installed / "sqlmig", *args, cwd=shop, env=env)
        assert result.returncode == 0, (args, result.stdout, result.stderr)
        return result

    assert sqlmig("--version").stdout.strip().startswith("sqlmig")
    created = sqlmig("new", "create users")
    assert "created" in created.stdout
    up = shop / "sql" / "migrations" / "0001_create_users.sql"
    down = shop / "sql" / "rollbacks" / "0001_create_users.sql"
    up.write_text(up.read_text() + "CREATE TABLE users (\n"
                  "    id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
                  "    email text NOT NULL UNIQUE\n);\n")
    down.write_text(down.read_text() + "DROP TABLE users;\n")
    applied = sqlmig("apply")
    assert "0001_create_users ... ok" in applied.stdout
    assert "notice: manifest.sha256 updated" in applied.stderr
    assert "current version: 1" in sqlmig("status").stdout
    sqlmig("rollback")
    assert "current version: none" in sqlmig("status").stdout
    sqlmig("lint")
    sqlmig("manifest", "--check")

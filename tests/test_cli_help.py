"""``sqlmig --help`` and every command's help: real examples, commands grouped
by what they are for, fleet-only options in a section of their own."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from sqlmig.cli.main import SECTIONS, cli


def commands(group: click.Group = cli, path: tuple[str, ...] = ()):
    """Every registered command and subcommand, as its argv path."""
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        assert cmd is not None
        yield (*path, name)
        if isinstance(cmd, click.Group):
            yield from commands(cmd, (*path, name))


def help_of(*argv: str) -> str:
    result = CliRunner().invoke(cli, [*argv, "--help"])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("argv", list(commands()), ids=" ".join)
def test_every_command_shows_a_real_example(argv):
    text = help_of(*argv)
    assert "\nExamples:\n" in text or "\n  Examples:\n" in text, text
    examples = text.split("Examples:\n", 1)[1].split("\n\n", 1)[0].splitlines()
    # Each line is indented under the heading (click kept the \b block as
    # written) and runs this very command.
    assert examples and all(line.startswith("    sqlmig ") or "sqlmig " in line
                            for line in examples), examples
    assert any(f"sqlmig {' '.join(argv)}" in line for line in examples), examples


def test_top_level_help_lists_the_commands_in_their_sections():
    text = help_of()
    heads = [line for line in text.splitlines() if line.endswith(" commands:")]
    assert heads[0] == "Daily commands:" and heads[-1] == "Other commands:", heads
    assert heads.index("Review commands:") < heads.index("Governance commands:")
    daily = text.split("Daily commands:\n", 1)[1].split("\n\n", 1)[0]
    assert [line.split()[0] for line in daily.splitlines()][:3] == ["new", "manifest", "status"]
    review = text.split("Review commands:\n", 1)[1].split("\n\n", 1)[0]
    assert "lint" in review and "verify" in review and "apply" not in review
    governance = text.split("Governance commands:\n", 1)[1].split("\n\n", 1)[0]
    assert "approve" in governance and "backup" in governance


def test_every_registered_command_appears_once_in_the_top_level_help():
    text = help_of()
    listed = [line.split()[0]
              for block in text.split("\n\n") if block.split("\n", 1)[0].endswith(" commands:")
              for line in block.splitlines()[1:] if not line.startswith("   ")]
    top = [argv[0] for argv in commands() if len(argv) == 1]
    assert sorted(listed) == sorted(top)


def test_a_command_named_in_no_section_is_listed_under_the_last(monkeypatch):
    @click.command("zz-new-thing")
    def extra() -> None:
        """A command nobody added to SECTIONS yet."""

    monkeypatch.setitem(cli.commands, "zz-new-thing", extra)
    text = help_of()
    last = SECTIONS[-1][0]
    assert "zz-new-thing" in text.split(f"{last} commands:\n", 1)[1]


def test_names_in_sections_that_are_not_registered_are_skipped():
    text = help_of()
    registered = {argv[0] for argv in commands()}
    for _, names in SECTIONS:
        for name in set(names) - registered:
            assert f"\n  {name} " not in text


def test_fleet_options_have_their_own_section():
    text = help_of("apply")
    options, fleet = text.split("\nOptions:\n", 1)[1].split(
        "Fleet options (environments with targets):\n", 1)
    assert "--canary" in fleet and "--target NAME" in fleet and "--wave-size" in fleet
    assert "--canary" not in options and "--target " not in options
    assert "--dry-run" in options and "--dry-run" not in fleet
    assert "Fleet options" not in help_of("rollback")


def test_the_lazy_command_table_names_every_command_of_every_module():
    import importlib
    import pkgutil

    import sqlmig.cli
    from sqlmig.cli.main import COMMAND_MODULES

    defined = {}
    for info in pkgutil.iter_modules(sqlmig.cli.__path__):
        module = importlib.import_module(f"sqlmig.cli.{info.name}")
        for command in getattr(module, "COMMANDS", ()):
            defined[command.name] = info.name
    assert defined == COMMAND_MODULES


def test_a_command_line_imports_only_its_own_command_module():
    import subprocess
    import sys

    code = ("import sys\nfrom sqlmig.cli.main import cli\n"
            "try:\n    cli(['status', '--help'], prog_name='sqlmig')\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('sqlmig.cli.')"
            " and m.count('.') == 2))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = eval(out.stdout.strip().splitlines()[-1])  # noqa: S307 - our own print
    from sqlmig.cli.main import COMMAND_MODULES

    others = {f"sqlmig.cli.{m}" for m in COMMAND_MODULES.values()} - {"sqlmig.cli.migrate"}
    assert "sqlmig.cli.migrate" in loaded
    assert not others & set(loaded), sorted(others & set(loaded))

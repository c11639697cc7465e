"""Docs tested against ``--help``: every ``stridelab ...`` command in README.md and docs/*.md
names a real command and only real options, and every command's help shows an example.

Nothing here runs a command's work: the command tree comes from
``typer.main.get_command(app)`` and only ``--help`` is invoked.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from stridelab.cli import app

ROOT = Path(__file__).resolve().parents[1]
DOC_FILES = (ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")))
HELP_OPTION = "--help"
_FENCE = re.compile(r"^\s*(```|~~~)")
_INLINE = re.compile(r"`(stridelab [^`]+)`")
_PROMPT = re.compile(r"^\s*(?:\$\s+)?(stridelab\s.*)$")
_NEGATIVE_NUMBER = re.compile(r"^-\d")


@dataclass(frozen=True)
class DocCommand:
    """One ``stridelab ...`` command line found in a doc, with where it was found."""

    where: str
    text: str


def _fenced_commands(path: Path) -> list[DocCommand]:
    """Command lines in fenced blocks (``$ `` prompt optional; ``\\`` continues a line)."""
    found: list[DocCommand] = []
    in_fence = False
    pending: tuple[int, str] | None = None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if not in_fence:
            continue
        if pending is not None:
            start, text = pending
            text = f"{text} {line.strip()}"
        else:
            match = _PROMPT.match(line)
            if match is None:
                continue
            start, text = number, match.group(1)
        if text.endswith("\\"):
            pending = (start, text[:-1])
            continue
        pending = None
        found.append(DocCommand(f"{path.relative_to(ROOT)}:{start}", text))
    return found


def _inline_commands(path: Path) -> list[DocCommand]:
    """Command mentions in inline code spans: `` `stridelab serve --host 0.0.0.0` ``."""
    found: list[DocCommand] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if _FENCE.match(line):
            continue
        for match in _INLINE.finditer(line):
            found.append(DocCommand(f"{path.relative_to(ROOT)}:{number}", match.group(1)))
    return found


def doc_commands() -> list[DocCommand]:
    """Every ``stridelab ...`` command written in README.md and docs/*.md."""
    out: list[DocCommand] = []
    for path in DOC_FILES:
        out += _fenced_commands(path)
        out += _inline_commands(path)
    return out


def _root() -> Any:
    return typer.main.get_command(app)


def _subcommands(command: Any) -> dict[str, Any]:
    commands = getattr(command, "commands", None)
    return dict(commands) if commands else {}


def _options(command: Any) -> dict[str, Any]:
    """Option name → click parameter (``--help`` maps to ``None``)."""
    names: dict[str, Any] = {HELP_OPTION: None}
    for param in command.params:
        for name in (*param.opts, *param.secondary_opts):
            if name.startswith("-"):
                names[name] = param
    return names


def _choices(param: Any) -> set[str] | None:
    """The allowed values of an enum/choice option, or ``None`` for free values."""
    for holder in (getattr(param, "type_descriptor", None), getattr(param, "type", None)):
        choices = getattr(holder, "choices", None)
        if choices:
            return {str(getattr(c, "value", c)) for c in choices}
    return None


def command_paths() -> list[tuple[str, ...]]:
    """Paths of every runnable (leaf) command: ``("plan",)``, ``("account", "add")``…"""
    paths: list[tuple[str, ...]] = []

    def walk(command: Any, path: tuple[str, ...]) -> None:
        subs = _subcommands(command)
        if not subs and path:
            paths.append(path)
        for name, sub in sorted(subs.items()):
            walk(sub, (*path, name))

    walk(_root(), ())
    return paths


def _resolve(path: tuple[str, ...]) -> Any:
    command = _root()
    for name in path:
        command = _subcommands(command)[name]
    return command


def problems(text: str) -> list[str]:
    """What is wrong with the command line ``text`` against the real CLI (empty: fine)."""
    tokens = [t.strip("[]") for t in shlex.split(text, comments=True)]
    if not tokens or tokens[0] != "stridelab":
        return [f"not a stridelab command: {text!r}"]
    command, path, errors = _root(), ["stridelab"], []
    rest = iter(tokens[1:])
    for token in rest:
        if not token:
            continue
        subs = _subcommands(command)
        if token.startswith("-") and not _NEGATIVE_NUMBER.match(token):
            name, _, inline_value = token.partition("=")
            options = _options(command)
            if name not in options:
                errors.append(f"{' '.join(path)} has no option {name}")
                continue
            param = options[name]
            if param is None or getattr(param, "is_flag", False):
                continue
            value = inline_value or next(rest, "")
            allowed = _choices(param)
            bad = [v for v in value.split("|") if allowed is not None and v not in allowed]
            if bad:
                errors.append(f"{' '.join(path)} {name} takes {sorted(allowed or ())}, not {bad}")
        elif subs:
            if token not in subs:
                errors.append(f"{' '.join(path)} has no command {token!r} (has {sorted(subs)})")
                break
            command = subs[token]
            path.append(token)
    if _subcommands(command) and not errors and path != ["stridelab"]:
        errors.append(f"{' '.join(path)} is a group: name one of {sorted(_subcommands(command))}")
    return errors


def _example(path: tuple[str, ...]) -> str:
    """The ``Example:`` paragraph of a command's docstring, joined into one line."""
    help_text = _resolve(path).help or ""
    match = re.search(r"^Example:\s*(.+?)(?:\n\s*\n|\Z)", help_text, re.M | re.S)
    return " ".join(match.group(1).split()) if match else ""


DOC_COMMANDS = doc_commands()


def test_docs_mention_many_commands() -> None:
    """Guard the collector itself: the README's CLI block and the job pages are found."""
    wheres = {c.where.split(":")[0] for c in DOC_COMMANDS}
    assert len(DOC_COMMANDS) >= 30
    assert {"README.md", "docs/plan.md", "docs/analyse.md", "docs/drill-check.md"} <= wheres
    continued = [c for c in DOC_COMMANDS if c.where == "README.md:50"]
    assert continued and "--current-weekly-km" in continued[0].text  # a "\" continuation


@pytest.mark.parametrize("doc", DOC_COMMANDS, ids=lambda c: f"{c.where} {c.text[:40]}")
def test_doc_command_exists_with_its_options(doc: DocCommand) -> None:
    assert problems(doc.text) == [], doc.where


@pytest.mark.parametrize("path", command_paths(), ids=" ".join)
def test_help_shows_an_example(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert re.search(r"^\W*Example: stridelab ", result.output, re.M), result.output


@pytest.mark.parametrize("path", command_paths(), ids=" ".join)
def test_help_example_is_a_valid_command(path: tuple[str, ...]) -> None:
    example = _example(path)
    assert example.startswith(f"stridelab {' '.join(path)}"), example
    assert problems(example) == []


def test_every_command_is_documented() -> None:
    documented = {tuple(t for t in c.text.split()[1:3]) for c in DOC_COMMANDS}
    missing = [p for p in command_paths() if not any(d[: len(p)] == p for d in documented)]
    assert missing == []


#: Flags of other tools that the docs mention (pip, mypy, curl), not stridelab options.
#: ``dask scheduler`` / ``dask worker`` flags are checked against Dask's own help below.
OTHER_TOOLS_FLAGS = frozenset(
    {"--no-deps", "--strict", "--data-binary", "--nworkers", "--nthreads"}
)
_FLAG = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]+")


def test_every_flag_in_prose_is_a_real_option() -> None:
    """Flags named in tables and prose (``--max-ramp``, ``--db``) exist on some command."""
    known: set[str] = set()

    def collect(command: Any) -> None:
        known.update(_options(command))
        for sub in _subcommands(command).values():
            collect(sub)

    collect(_root())
    unknown = [
        f"{path.relative_to(ROOT)}:{number} {flag}"
        for path in DOC_FILES
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        for flag in _FLAG.findall(line)
        if flag not in known | OTHER_TOOLS_FLAGS
    ]
    assert unknown == []


def test_dask_commands_in_docs_are_real() -> None:
    """``dask scheduler`` / ``dask worker`` lines in the docs use options Dask has."""
    import subprocess
    import sys

    dask = Path(sys.executable).with_name("dask")
    lines = [
        line.strip()
        for path in DOC_FILES
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip().startswith(("dask scheduler", "dask worker"))
    ]
    assert lines, "docs/dataset.md shows how to start a Dask cluster"
    for line in lines:
        words = shlex.split(line)
        shown = subprocess.run(
            [str(dask), words[1], HELP_OPTION], capture_output=True, text=True, check=True
        ).stdout
        for flag in (w for w in words if w.startswith("--")):
            assert flag in shown, f"{line!r}: dask {words[1]} has no {flag}"


_LINK = re.compile(r"\]\(([^)\s]+)\)")
_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*$")


def _slug(heading: str) -> str:
    """GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    anchors: set[str] = set()
    in_fence = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and (match := _HEADING.match(line)):
            anchors.add(_slug(match.group(1)))
    return anchors


def test_links_between_docs_resolve() -> None:
    """Relative links point at files that exist, and ``#anchors`` at real headings."""
    broken = []
    for path in DOC_FILES:
        for target in _LINK.findall(path.read_text(encoding="utf-8")):
            if re.match(r"^[a-z]+:", target):
                continue  # http(s), mailto: not checked offline
            file_part, _, anchor = target.partition("#")
            linked = (path.parent / file_part).resolve() if file_part else path
            if not linked.exists():
                broken.append(f"{path.relative_to(ROOT)} -> {target} (no such file)")
            elif anchor and linked.suffix == ".md" and anchor not in _anchors(linked):
                broken.append(f"{path.relative_to(ROOT)} -> {target} (no such heading)")
    assert broken == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("stridelab plan --goal 10k --no-such-flag 1", "plan has no option --no-such-flag"),
        ("stridelab analyse run.fit", "stridelab has no command 'analyse'"),
        ("stridelab account remove ada", "stridelab account has no command 'remove'"),
        ("stridelab account --role coach", "stridelab account has no option --role"),
        ("stridelab drill x.mp4 --height=172", "drill has no option --height"),
        ("stridelab drill x.mp4 --drill butt_kicks", "--drill takes"),
    ],
)
def test_checker_catches_wrong_commands(text: str, expected: str) -> None:
    assert any(expected in p for p in problems(text)), problems(text)


def test_checker_accepts_real_forms() -> None:
    for text in (
        "stridelab --version",
        "stridelab plan ... --json  # comment with a 'quote",
        "stridelab account add NAME --role athlete|coach [--coach COACH]",
        "stridelab warmup --race 10k --start=2027-04-18T09:00 --gap 12:00",
    ):
        assert problems(text) == [], text

"""Shared by the supervision and coordination tests: the `supervision` fixture edited in place, and loading it."""

from __future__ import annotations

from conftest import TODAY

from generator import checks
from generator import project as project_mod


def edit(root, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems(root, today=TODAY) -> list[str]:
    project = project_mod.load(root, today, use_git=False)
    return [p.format() for p in project.problems if p.is_error]


def found(root, today=TODAY) -> list[checks.Finding]:
    project = project_mod.load(root, today, use_git=False)
    assert project.ok, [p.format() for p in project.problems]
    return checks.findings(project, today)


def codes(root, today=TODAY) -> list[str]:
    return [f.code for f in found(root, today)]


def item(root, kind: str, rel: str, today=TODAY):
    """The loaded item (record, src, stamps) of the file `rel`."""
    project = project_mod.load(root, today, use_git=False)
    assert project.ok, [p.format() for p in project.problems if p.is_error]
    return next(i for i in project.items(kind) if i.src.path == rel)

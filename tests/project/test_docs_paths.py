"""Every repository path the docs cite exists: relative markdown links, and backticked paths
in docs/*.md and README.md —
- a path to a file (`actions/base.py`, `img/dashboard.png`), from the repository root or the
  doc's folder;
- a folder under a top-level folder of the repository (`portal_backend/routes/`);
- a bare file name (`decisions.md`, `schema.py`): some file of the repository has that name;
- a dotted name under a package of the repository (`sathi.privacy.mask_phone`,
  `tests.support.trackers`): the module exists and names the attribute.
Placeholders (`<service>`, `{x}`, `*`), URLs, absolute paths, identifiers that contain a
slash (`WB-08-012-002-002/270`, `application/pdf`) and run-time folders (var/, models/) are
not paths of the repository."""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = sorted((ROOT / "docs").glob("*.md")) + [ROOT / "README.md"]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
CODE = re.compile(r"`([^`\n]+)`")
EXTENSIONS = (
    ".py",
    ".yml",
    ".yaml",
    ".md",
    ".sh",
    ".txt",
    ".toml",
    ".ini",
    ".cfg",
    ".example",
    ".png",
    ".svg",
)
MADE_AT_RUN_TIME = ("var/", "models/", ".venv", "node_modules/")
PATH_LIKE = re.compile(r"[A-Za-z0-9_.\-/]+")
TOP_LEVEL = {p.name for p in ROOT.iterdir() if p.is_dir() and not p.name.startswith(".")}


@functools.cache
def _repository_file_names() -> frozenset[str]:
    """Every file and folder name of the repository, hidden folders, var/, models/ and caches
    pruned before they are walked (a walk into .venv took 2 s per doc)."""
    names = set()
    for folder, subfolders, files in os.walk(ROOT):
        at_top = Path(folder) == ROOT
        subfolders[:] = [
            d
            for d in subfolders
            if d != "__pycache__" and not (at_top and (d.startswith(".") or d in ("var", "models")))
        ]
        names.update(subfolders)
        names.update(f for f in files if not (at_top and f.startswith(".")))
    return frozenset(names)


def cited_paths(text: str) -> list[str]:
    paths = []
    for target in LINK.findall(text):
        if re.match(r"^[a-z]+:|^#|^/", target):
            continue
        paths.append(target.split("#")[0])
    paths += SHOUTED_DOC.findall(text)
    for code in CODE.findall(text):
        code = re.sub(r":\d+(-\d+)?$", "", code.strip())  # path:line
        if not PATH_LIKE.fullmatch(code) or code.startswith(("/", ".", "-")):
            continue
        if code.endswith(EXTENSIONS) or code.split("/")[0] in TOP_LEVEL and "/" in code:
            paths.append(code)
    return [p for p in paths if p and not p.startswith(MADE_AT_RUN_TIME)]


def exists(path: str, doc: Path, file_names: set[str]) -> bool:
    if (ROOT / path).exists() or (doc.parent / path).exists():
        return True
    return "/" not in path and path in file_names


def test_the_checker_finds_paths_and_skips_placeholders():
    text = (
        "see `actions/base.py`, `domain/<service>.yml`, `var/log/x.log`, `SERVICES.md`, "
        "`/webhooks/rest/webhook`, `sathi.trust`, [brief](../x/ARCHITECTURE.md), "
        "[site](https://example.org/a.md), `actions/base.py:35`, `application/pdf`, "
        "`WB-08-012-002-002/270`, `portal_backend/routes/`"
    )
    assert sorted(cited_paths(text)) == sorted(
        [
            "../x/ARCHITECTURE.md",
            "SERVICES.md",
            "ARCHITECTURE.md",
            "actions/base.py",
            "SERVICES.md",
            "actions/base.py",
            "portal_backend/routes/",
        ]
    )
    names = {"base.py"}
    assert not exists("SERVICES.md", DOCS[0], names)
    assert not exists("actions/nothing_here.py", DOCS[0], names)
    assert exists("base.py", DOCS[0], names) and exists("actions/base.py", DOCS[0], names)


PACKAGES = {name for name in TOP_LEVEL if (ROOT / name / "__init__.py").exists()}
DOTTED = re.compile(r"[a-z_][a-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+")


IMPORT = re.compile(r"from ([\w.]+) import (\w+)")
SHOUTED_DOC = re.compile(r"\b[A-Z][A-Z_]+\.md\b")  # README.md, SERVICES.md, ... in prose


def cited_modules(text: str) -> list[str]:
    dotted = [code for code in CODE.findall(text) if DOTTED.fullmatch(code)]
    dotted += [f"{module}.{name}" for module, name in IMPORT.findall(text)]
    return [m for m in dotted if m.split(".")[0] in PACKAGES and not m.endswith(EXTENSIONS)]


def module_exists(dotted: str) -> bool:
    """The longest prefix that is a module file; what follows is one attribute it names."""
    parts = dotted.split(".")
    for k in range(len(parts), 0, -1):
        base = ROOT.joinpath(*parts[:k])
        source = (
            base.with_suffix(".py")
            if base.with_suffix(".py").exists()
            else base / "__init__.py"
            if (base / "__init__.py").exists()
            else None
        )
        if source is None:
            continue
        rest = parts[k:]
        if not rest:
            return True
        return (
            len(rest) <= 2
            and re.search(rf"\b{re.escape(rest[0])}\b", source.read_text(encoding="utf-8"))
            is not None
        )
    return False


def test_the_module_checker():
    assert cited_modules(
        "`tests.support.action_portal`, `sathi.privacy.mask_phone`, "
        "`foo.bar`, `a.py`, (`from tests.support.records import x`)"
    ) == ["tests.support.action_portal", "sathi.privacy.mask_phone", "tests.support.records.x"]
    assert module_exists("sathi.privacy.mask_phone") and module_exists("tests.support.trackers")
    assert not module_exists("tests.support.action_portal")
    assert not module_exists("sathi.privacy.no_such_function")


@pytest.mark.parametrize("doc", DOCS, ids=lambda d: d.name)
def test_every_cited_module_exists(doc):
    missing = sorted(
        {m for m in cited_modules(doc.read_text(encoding="utf-8")) if not module_exists(m)}
    )
    assert not missing, f"{doc.relative_to(ROOT)} cites modules that do not exist: {missing}"


@pytest.mark.parametrize("doc", DOCS, ids=lambda d: d.name)
def test_every_cited_path_exists(doc):
    names = _repository_file_names()
    missing = sorted(
        {p for p in cited_paths(doc.read_text(encoding="utf-8")) if not exists(p, doc, names)}
    )
    assert not missing, f"{doc.relative_to(ROOT)} cites paths that do not exist: {missing}"

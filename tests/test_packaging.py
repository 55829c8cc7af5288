"""Packaging: the declared dependencies, the lock compiled from them, the licences and the citation file."""

import ast
import json
import re
import tomllib

import jsonschema
import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from helpers.data import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
README = (ROOT / "README.md").read_text(encoding="utf-8")
# the CFF 1.2.0 schema as published by the Citation File Format project (CC BY 4.0), kept here so the test runs offline
CFF_SCHEMA = ROOT / "tests" / "cff-schema-1.2.0.json"


def declared() -> list[Requirement]:
    """Every dependency pyproject.toml declares, the optional groups included."""
    project = PYPROJECT["project"]
    lines = project["dependencies"] + [line for group in project["optional-dependencies"].values() for line in group]
    return [Requirement(line) for line in lines]


def pins(text: str) -> dict[str, list[str]]:
    """Each package in a compiled requirements file with the versions pinned for it (one per environment marker)."""
    found: dict[str, list[str]] = {}
    for line in text.splitlines():
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)", line)
        if match:
            found.setdefault(canonicalize_name(match[1]), []).append(match[2])
        elif line.strip() and not line.lstrip().startswith("#"):
            pytest.fail(f"requirements.txt: {line!r} is not an exact pin (the lock pins every package with ==)")
    return found


LOCK = pins((ROOT / "requirements.txt").read_text(encoding="utf-8"))


@pytest.mark.parametrize("requirement", declared(), ids=str)
def test_every_declared_dependency_is_pinned_within_its_range(requirement):
    versions = LOCK.get(canonicalize_name(requirement.name))
    assert versions, f"{requirement.name} is declared in pyproject.toml but not pinned in requirements.txt"
    outside = [v for v in versions if not requirement.specifier.contains(v, prereleases=True)]
    assert not outside, f"requirements.txt pins {requirement.name}=={outside[0]}, outside {requirement}"


def test_the_lock_says_how_it_was_compiled_from_pyproject():
    header = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()[:2]
    assert "uv pip compile pyproject.toml --all-extras --universal" in header[1]


def test_pins_are_checked_for_real():
    """The pin reader fails on a loose line, and a version outside a floor is caught."""
    assert pins("numpy==2.4.6 ; python_full_version >= '3.11'\n    # via pandas\n") == {"numpy": ["2.4.6"]}
    with pytest.raises(pytest.fail.Exception, match="not an exact pin"):
        pins("numpy>=2\n")
    assert not Requirement("pandas>=3.0").specifier.contains("2.2.3")


def test_the_package_ships_every_helpers_subpackage_and_the_report_templates():
    setuptools = PYPROJECT["tool"]["setuptools"]
    assert setuptools["packages"]["find"]["include"] == ["helpers*"]
    templates = [p for p in (ROOT / "helpers" / "build").rglob("templates/**/*") if p.is_file()]
    patterns = setuptools["package-data"]["helpers.build"]
    assert templates and all(
        any(p.relative_to(ROOT / "helpers" / "build").match(g) for g in patterns) for p in templates
    )


def test_citation_file_is_valid_cff_1_2():
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    jsonschema.validate(citation, json.loads(CFF_SCHEMA.read_text(encoding="utf-8")))
    assert citation["version"] == PYPROJECT["project"]["version"]
    assert citation["license"] == ["MIT", "CC-BY-4.0"]


def test_the_cff_check_can_fail():
    schema = json.loads(CFF_SCHEMA.read_text(encoding="utf-8"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"cff-version": "1.2.0", "title": "no authors, no message"}, schema)


def test_licences_are_present_and_named_in_the_readme():
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    assert "Attribution 4.0 International" in (ROOT / "data" / "LICENSE").read_text(encoding="utf-8")
    assert PYPROJECT["project"]["license"] == "MIT"
    for name in ("LICENSE", "data/LICENSE", "CITATION.cff", "MIT", "CC BY 4.0"):
        assert name in README, f"the README does not name {name}"


def test_binder_installs_the_pins_then_the_project_and_the_save_hook():
    binder = ROOT / "binder"
    lines = [line for line in (binder / "requirements.txt").read_text().splitlines() if not line.startswith("#")]
    assert lines == ["-r ../requirements.txt"]
    runtime = (binder / "runtime.txt").read_text().strip()
    assert re.fullmatch(r"python-3\.(11|12|13)", runtime), runtime
    post = (binder / "postBuild").read_text()
    assert "pip install --no-cache-dir --no-deps -e ." in post and "python -m helpers.notebook.save_hook" in post
    assert (binder / "postBuild").stat().st_mode & 0o111, "postBuild must be executable"


def test_helpers_import_no_posix_only_module():
    """The report and its lock run on Windows too (filelock, not fcntl); bootstrap, run only by make, may use it."""
    posix_only = {"fcntl", "termios", "pwd", "grp", "resource", "posix"}
    found = []
    for path in (ROOT / "helpers").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            names += [node.module] if isinstance(node, ast.ImportFrom) and node.module else []
            found += [f"{path.relative_to(ROOT)}: {n}" for n in names if n.split(".")[0] in posix_only]
    assert not found, found

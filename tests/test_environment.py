"""Local installs, CI and Binder must run the same versions.

constraints.txt pins every package for pip (Makefile, CI); environment.yml pins
the runtime packages for Binder; pyproject.toml declares what the course needs.
"""

import re
import sys
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]


def _pyproject():
    import tomllib
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _constraints() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"constraints.txt: {line!r} is not an exact pin"
            pins[canonicalize_name(name)] = version
    return pins


def _environment():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert env["channels"][0] == "conda-forge"
    pins, python = {}, None
    for dep in env["dependencies"]:
        assert isinstance(dep, str), "install everything from conda-forge; no pip: section"
        name, _, version = dep.partition("=")
        if name == "python":
            python = version
        elif name != "pip":
            assert version and not version.startswith("="), f"environment.yml: pin {dep!r} exactly (name=X.Y.Z)"
            pins[canonicalize_name(name)] = version
    return pins, python


def test_every_runtime_dependency_is_pinned_identically_for_binder_and_pip():
    constraints = _constraints()
    env_pins, _ = _environment()
    runtime = {canonicalize_name(Requirement(r).name): Requirement(r) for r in _pyproject()["dependencies"]}
    assert set(env_pins) == set(runtime), (
        f"environment.yml and pyproject.toml list different runtime packages: "
        f"only in environment.yml {set(env_pins) - set(runtime)}, only in pyproject {set(runtime) - set(env_pins)}")
    for name, req in runtime.items():
        assert name in constraints, f"{name} is not pinned in constraints.txt"
        assert env_pins[name] == constraints[name], (
            f"{name}: environment.yml pins {env_pins[name]}, constraints.txt pins {constraints[name]}")
        assert req.specifier.contains(constraints[name]), f"{name}: pin {constraints[name]} violates pyproject {req}"


def test_test_extra_is_pinned():
    constraints = _constraints()
    for r in _pyproject()["optional-dependencies"]["test"]:
        req = Requirement(r)
        name = canonicalize_name(req.name)
        assert name in constraints and req.specifier.contains(constraints[name]), f"{req} not pinned compatibly"


def test_python_versions_agree():
    _, python = _environment()
    requires = SpecifierSet(_pyproject()["requires-python"])
    assert python and re.fullmatch(r"3\.\d+", python), "pin Python's minor version in environment.yml"
    assert requires.contains(f"{python}.0"), f"environment.yml python {python} outside requires-python {requires}"
    assert requires.contains(f"{sys.version_info.major}.{sys.version_info.minor}.0")


def test_the_running_environment_matches_the_pins():
    from importlib.metadata import PackageNotFoundError, version

    wrong = []
    for name, pinned in _constraints().items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            continue  # platform-specific packages may be absent
        if installed != pinned:
            wrong.append(f"{name} {installed} (pinned {pinned})")
    assert not wrong, "installed versions differ from constraints.txt: " + ", ".join(wrong)


def test_postbuild_installs_only_the_course_package():
    text = (ROOT / "postBuild").read_text()
    assert "python -m pip install --no-deps -e ." in text
    assert not re.search(r"^\s*jupyter lab build", text, re.M)

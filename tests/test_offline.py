"""The vendored JavaScript (kbgen/vendor/, fetched by tools/vendor_js.py) is what the lock
says it is, the kbgen plugin serves it, and a script from a CDN is reported. The site
itself is checked offline in a real browser in test_e2e_browser.py."""
from __future__ import annotations

import base64
import hashlib
import importlib.util
import json
import os

import pytest

from conftest import ROOT, copy_project, mkdocs_build

VENDOR = os.path.join(ROOT, "kbgen", "vendor")


def _tool():
    spec = importlib.util.spec_from_file_location("vendor_js", os.path.join(ROOT, "tools", "vendor_js.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def lock() -> dict:
    with open(os.path.join(VENDOR, "vendor.json"), encoding="utf-8") as fh:
        return json.load(fh)


def sha256(path: str) -> str:
    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


def test_vendored_files_are_the_locked_ones(lock):
    tool = _tool()
    assert [(p["name"], p["version"]) for p in lock["packages"]] == [(n, v) for n, v, _ in tool.PACKAGES]
    listed = set()
    for pkg in lock["packages"]:
        assert f"{pkg['name']}/LICENSE" in pkg["files"], f"{pkg['name']} ships without its licence"
        assert pkg["integrity"].startswith("sha512-") and pkg["license"]
        for rel, digest in pkg["files"].items():
            assert sha256(os.path.join(VENDOR, *rel.split("/"))) == digest, rel
            listed.add(rel)
    on_disk = {os.path.relpath(os.path.join(b, n), VENDOR).replace(os.sep, "/")
               for b, _, names in os.walk(VENDOR) for n in names} - {"vendor.json"}
    assert on_disk == listed  # nothing unlisted would ship


def test_the_tool_refuses_a_tarball_that_does_not_match_its_integrity():
    tool = _tool()
    data = b"package contents"
    good = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    tool.check_integrity(data, good, "x@1")
    with pytest.raises(SystemExit, match="integrity mismatch"):
        tool.check_integrity(data + b"!", good, "x@1")


def test_the_site_serves_them_and_mermaid_only_where_a_diagram_is(built_site, lock):
    for pkg in lock["packages"]:
        for rel, digest in pkg["files"].items():
            assert sha256(os.path.join(built_site, "assets", "kbgen", "vendor", *rel.split("/"))) == digest
    with_diagram = without = 0
    for base, _, names in os.walk(built_site):
        for name in (n for n in names if n.endswith(".html")):
            with open(os.path.join(base, name), encoding="utf-8") as fh:
                html = fh.read()
            has_script = "assets/kbgen/vendor/mermaid/mermaid.min.js" in html
            assert has_script == ('<pre class="mermaid">' in html), os.path.join(base, name)
            with_diagram += has_script
            without += not has_script
    assert with_diagram >= 1 and without > 30


def test_a_script_from_a_cdn_fails_the_strict_build_with_what_to_do(tmp_path):
    copy_project(str(tmp_path))
    with open(tmp_path / "mkdocs.yml", "a", encoding="utf-8") as fh:
        fh.write("extra_javascript:\n  - https://unpkg.com/mathjax@3/es5/tex-mml-chtml.js\n")
    result = mkdocs_build(str(tmp_path), str(tmp_path / "site"))
    out = result.stdout + result.stderr
    assert result.returncode != 0
    assert "extra_javascript loads https://unpkg.com/mathjax@3/es5/tex-mml-chtml.js from outside the site" in out
    assert "offline: false" in out and "Traceback" not in out

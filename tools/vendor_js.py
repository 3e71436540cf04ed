"""Fetch the JavaScript the built site needs (MathJax, Mermaid, iframe-worker) from the
npm registry into kbgen/vendor/, so the site loads nothing from a CDN.

    python tools/vendor_js.py           # fetch the pinned versions, write kbgen/vendor/
    python tools/vendor_js.py --check   # fetch again and compare with the committed files

Each tarball is checked against the registry's `dist.integrity` (and, for a version
already in kbgen/vendor/vendor.json, against the integrity recorded there) before a
file is taken from it. Only the files listed in PACKAGES are kept; vendor.json records
version, tarball, integrity, licence and each file's sha256 (the tests check the
committed files against it). To upgrade, change a version below and run the script.
"""
from __future__ import annotations

import argparse
import base64
import fnmatch
import hashlib
import io
import json
import os
import shutil
import sys
import tarfile
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENDOR = os.path.join(ROOT, "kbgen", "vendor")
LOCK = os.path.join(VENDOR, "vendor.json")
REGISTRY = os.environ.get("NPM_CONFIG_REGISTRY", "https://registry.npmjs.org").rstrip("/")

# name, version, {path in the tarball (below package/, globs allowed): path below kbgen/vendor/NAME/}
PACKAGES = [
    # One component with every TeX extension (no autoload requests) and the CommonHTML
    # fonts, kept at the path MathJax looks for them next to the script.
    ("mathjax", "3.2.2", {
        "es5/tex-chtml-full.js": "tex-chtml-full.js",
        "es5/output/chtml/fonts/woff-v2/*.woff": "output/chtml/fonts/woff-v2/",
        "LICENSE": "LICENSE",
    }),
    # Material renders diagrams with Mermaid 11 and uses `mermaid` when it is defined.
    ("mermaid", "11.17.2", {"dist/mermaid.min.js": "mermaid.min.js", "LICENSE": "LICENSE"}),
    # Material's offline plugin (sites opened from files) runs the search worker in an iframe.
    ("iframe-worker", "1.0.4", {"shim/index.js": "shim.js", "LICENSE": "LICENSE"}),
]


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=120) as r:
        return r.read()


def read(path: str) -> bytes | None:
    """A file below kbgen/vendor/, or None."""
    full = os.path.join(VENDOR, *path.split("/"))
    if not os.path.isfile(full):
        return None
    with open(full, "rb") as fh:
        return fh.read()


def check_integrity(data: bytes, integrity: str, what: str) -> None:
    algo, _, expected = integrity.partition("-")
    got = base64.b64encode(hashlib.new(algo, data).digest()).decode()
    if got != expected:
        raise SystemExit(f"{what}: integrity mismatch (registry says {integrity}, got {algo}-{got}); nothing written")


def extract(name: str, version: str, wanted: dict[str, str], known: dict | None) -> tuple[dict, dict[str, bytes]]:
    meta = json.loads(fetch(f"{REGISTRY}/{name}/{version}"))
    dist = meta["dist"]
    if known and known["version"] == version and known["integrity"] != dist["integrity"]:
        raise SystemExit(f"{name}@{version}: the registry's integrity changed since vendor.json was written")
    tarball = fetch(dist["tarball"])
    check_integrity(tarball, dist["integrity"], f"{name}@{version}")
    files: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as tar:
        members = [m for m in tar.getmembers() if m.isfile()]
        for pattern, dest in wanted.items():
            hits = [m for m in members if fnmatch.fnmatchcase(m.name, "package/" + pattern)]
            if not hits:
                raise SystemExit(f"{name}@{version}: no file matches {pattern}")
            for m in hits:
                target = dest + os.path.basename(m.name) if dest.endswith("/") else dest
                files[f"{name}/{target}"] = tar.extractfile(m).read()
    entry = {"name": name, "version": version, "license": meta.get("license"), "tarball": dist["tarball"],
             "integrity": dist["integrity"],
             "files": {p: hashlib.sha256(b).hexdigest() for p, b in sorted(files.items())}}
    return entry, files


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="compare with the committed files, write nothing")
    args = ap.parse_args(argv)
    lock = {}
    if os.path.exists(LOCK):
        with open(LOCK, encoding="utf-8") as fh:
            lock = {p["name"]: p for p in json.load(fh)["packages"]}
    entries, payload = [], {}
    for name, version, wanted in PACKAGES:
        entry, files = extract(name, version, wanted, lock.get(name))
        entries.append(entry)
        payload.update(files)
        print(f"{name}@{version}: {len(files)} files, {sum(map(len, files.values())) / 1e6:.2f} MB, {entry['integrity'][:20]}…")
    text = json.dumps({"registry": REGISTRY, "packages": entries}, indent=2, ensure_ascii=False) + "\n"
    if args.check:
        stale = [p for p, b in {**payload, "vendor.json": text.encode()}.items() if read(p) != b]
        for p in stale:
            print(f"differs from the registry: kbgen/vendor/{p}", file=sys.stderr)
        return 1 if stale else 0
    for name, _, _ in PACKAGES:  # no stale files from an older version
        shutil.rmtree(os.path.join(VENDOR, name), ignore_errors=True)
    for path, data in payload.items():
        full = os.path.join(VENDOR, *path.split("/"))
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "wb") as fh:
            fh.write(data)
    with open(LOCK, "w", encoding="utf-8") as fh:
        fh.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Install the front-end assets listed in static/vendor.json into static/vendor/.

Each package is fetched from the npm registry as the tarball `npm install` would use, checked
against the integrity hash pinned in vendor.json, and only the listed files are copied out.
It needs nothing but Python, so `make run` works on a machine without Node.js; at run time
the assets are served locally and no page ever loads anything from a CDN.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import sys
import tarfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "static" / "vendor.json"
DEST = ROOT / "static" / "vendor"
REGISTRY = os.environ.get("NPM_REGISTRY", "https://registry.npmjs.org").rstrip("/")


def tarball_url(name: str, version: str) -> str:
    base = name.rsplit("/", 1)[-1]
    return f"{REGISTRY}/{name}/-/{base}-{version}.tgz"


def verify(data: bytes, integrity: str) -> None:
    algo, _, expected = integrity.partition("-")
    actual = base64.b64encode(hashlib.new(algo, data).digest()).decode()
    if actual != expected:
        raise SystemExit(f"integrity check failed: expected {integrity}, got {algo}-{actual}")


def install(package: dict) -> None:
    stamp = DEST / ".installed" / f"{package['name']}@{package['version']}"
    if stamp.exists() and all((DEST / t).exists() for t in package["files"].values()):
        return
    url = tarball_url(package["name"], package["version"])
    print(f"fetching {package['name']}@{package['version']}", file=sys.stderr)
    with urllib.request.urlopen(url, timeout=60) as response:
        data = response.read()
    verify(data, package["integrity"])
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for source, target in package["files"].items():
            member = tar.extractfile(source)
            if member is None:
                raise SystemExit(f"{package['name']}: {source} is not a file in the tarball")
            path = DEST / target
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(member.read())
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.touch()


def main() -> None:
    for package in json.loads(LOCK.read_text())["packages"]:
        install(package)


if __name__ == "__main__":
    main()

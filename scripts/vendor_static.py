"""Install the front-end assets listed in static/vendor.json into static/vendor/.

Each package is fetched from the npm registry as the tarball `npm install` would use, checked
against the integrity hash pinned in vendor.json, and only the listed files are copied out.
It needs nothing but Python, so `make run` works on a machine without Node.js; at run time
the assets are served locally and no page ever loads anything from a CDN.

A copied script or style sheet may end with a `sourceMappingURL` comment. `collectstatic` with
the manifest storage (production) rewrites that reference to the hashed name and stops when the
file is missing, so a comment whose map is not among the listed files is removed from the copy
(with a warning naming it): list the map in vendor.json to keep it.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import re
import sys
import tarfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "static" / "vendor.json"
DEST = ROOT / "static" / "vendor"
REGISTRY = os.environ.get("NPM_REGISTRY", "https://registry.npmjs.org").rstrip("/")


# `//# sourceMappingURL=x.map` (scripts) and `/*# sourceMappingURL=x.map */` (style sheets).
SOURCE_MAP = re.compile(
    rb"^[ \t]*(?://|/\*)[#@] sourceMappingURL=([^\s*]+)[ \t]*(?:\*/)?[ \t]*$", re.M
)


def without_missing_maps(data: bytes, target: str, vendored: set[str]) -> bytes:
    """Drop source-map comments that point at a file not vendored next to `target`."""

    def keep_or_drop(match: re.Match[bytes]) -> bytes:
        reference = match.group(1).decode("utf-8", "replace")
        if "://" in reference or reference.startswith("data:"):
            return match.group(0)
        resolved = os.path.normpath(os.path.join(os.path.dirname(target), reference))
        if resolved.replace(os.sep, "/") in vendored:
            return match.group(0)
        print(
            f"{target}: source map {reference} is not vendored; reference removed", file=sys.stderr
        )
        return b""

    return SOURCE_MAP.sub(keep_or_drop, data)


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
    vendored = set(package["files"].values())
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for source, target in package["files"].items():
            member = tar.extractfile(source)
            if member is None:
                raise SystemExit(f"{package['name']}: {source} is not a file in the tarball")
            content = member.read()
            if target.endswith((".js", ".css")):
                content = without_missing_maps(content, target, vendored)
            path = DEST / target
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.touch()


def main() -> None:
    for package in json.loads(LOCK.read_text())["packages"]:
        install(package)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""The third-party scripts Knowledge Cards uses, pinned: the one place their versions and checksums live.

Each file comes out of one npm package's tarball, fetched over HTTPS from the npm registry and checked
against the sha512 the registry publishes for that version (its `dist.integrity`), together with the
package's LICENSE. No npm is needed: Python's standard library only.

Read by `setup.py` (the wheel's build fetches the site's scripts into the package when they are missing)
and by the Makefile (which also fetches axe-core, used by the browser tests only):

    python3 scripts/vendor.py fetch [--force] [NAME ...]   # default: the site's scripts
    python3 scripts/vendor.py list                         # NAME VERSION DEST, one a line

On a checksum mismatch, or when the registry cannot be reached, it fails with one line and writes nothing.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import os
import sys
import tarfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REGISTRY = "https://registry.npmjs.org"
PACKAGE_VENDOR = "generator/knowledge_cards/assets/vendor"
TEST_VENDOR = "tests/.vendor"


@dataclass(frozen=True)
class Pin:
    name: str
    """The npm package."""
    version: str
    sha512: str
    """Base64 sha512 of the package's tarball, as in the registry's `dist.integrity` (without `sha512-`)."""
    inner: str
    """The file wanted, inside the tarball's `package/` folder."""
    dest: str
    """Where it goes, relative to the repository."""
    site: bool
    """Shipped in the wheel (the site serves it), rather than used by the tests only."""

    @property
    def url(self) -> str:
        return f"{REGISTRY}/{self.name}/-/{self.name.rsplit('/', 1)[-1]}-{self.version}.tgz"

    @property
    def licence_dest(self) -> str:
        return f"{os.path.dirname(self.dest)}/{self.name}.LICENSE"


PINS = (
    Pin(
        "mermaid",
        "11.12.0",
        "ZudVx73BwrMJfCFmSSJT84y6u5brEoV8DOItdHomNLz32uBjNrelm7mg95X7g+C6UoQH/W6mBLGDEDv73JdxBg==",
        "dist/mermaid.min.js",
        f"{PACKAGE_VENDOR}/mermaid.min.js",
        site=True,
    ),
    Pin(
        "cytoscape",
        "3.35.0",
        "sMvBIXiGMnhkCaWz2R06FwF/27MNlS+Tqvi17foO9UhnUg3XGZccKjxsvEqQFAQYMSSZmN5SxYzUYlQ0DOJJ3g==",
        "dist/cytoscape.min.js",
        f"{PACKAGE_VENDOR}/cytoscape.min.js",
        site=True,
    ),
    Pin(
        "axe-core",
        "4.11.0",
        "ilYanEU8vxxBexpJd8cWM4ElSQq4QctCLKih0TSfjIfCQTeyH/6zVrmIJfLPrKTKJRbiG+cfnZbQIjAlJmF1jQ==",
        "axe.min.js",
        f"{TEST_VENDOR}/axe.min.js",
        site=False,
    ),
)
LICENCE_NAMES = ("LICENSE", "LICENSE.md", "LICENSE.txt", "LICENCE", "license")


class VendorError(Exception):
    """A file that cannot be fetched; the message is one line."""


def _download(url: str, attempts: int = 3) -> bytes:
    for attempt in range(1, attempts + 1):
        try:
            with urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310 (an https URL of ours)
                return bytes(response.read())
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            if isinstance(exc, urllib.error.HTTPError) and exc.code < 500:
                raise VendorError(f"cannot fetch {url}: HTTP {exc.code}") from None
            if attempt == attempts:
                reason = getattr(exc, "reason", exc)
                raise VendorError(f"cannot fetch {url}: {reason}") from None
            time.sleep(2 * attempt)
    raise AssertionError("unreachable")


def _write(path: Path, data: bytes) -> None:
    """Write atomically, with the current time as mtime (so that make sees the file as new)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def fetch(pin: Pin, root: Path = ROOT, *, force: bool = False, log: Callable[[str], object] = print) -> bool:
    """Fetch `pin`'s file and licence under `root` unless both are there; True when it fetched."""
    dest, licence = root / pin.dest, root / pin.licence_dest
    if not force and dest.is_file() and dest.stat().st_size > 0 and licence.is_file():
        return False
    tarball = _download(pin.url)
    got = base64.b64encode(hashlib.sha512(tarball).digest()).decode()
    if got != pin.sha512:
        raise VendorError(
            f"{pin.name}@{pin.version}: checksum mismatch for {pin.url} (expected sha512-{pin.sha512}, got sha512-{got})"
        )
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as tar:
        members = {m.name: m for m in tar.getmembers() if m.isfile()}
        wanted = members.get(f"package/{pin.inner}")
        if wanted is None:
            raise VendorError(f"{pin.name}@{pin.version}: the tarball has no package/{pin.inner}")
        licence_member = next((members[f"package/{n}"] for n in LICENCE_NAMES if f"package/{n}" in members), None)
        if licence_member is None:
            raise VendorError(f"{pin.name}@{pin.version}: the tarball has no LICENSE file")
        data = tar.extractfile(wanted).read()  # type: ignore[union-attr]
        licence_text = tar.extractfile(licence_member).read()  # type: ignore[union-attr]
    _write(licence, licence_text)
    _write(dest, data)
    log(f"fetched {pin.name} {pin.version} -> {pin.dest} (sha512 checked), licence -> {pin.licence_dest}")
    return True


def fetch_site(root: Path = ROOT, *, force: bool = False, log: Callable[[str], object] = print) -> None:
    """Fetch every file the wheel ships that is missing under `root`."""
    for pin in PINS:
        if pin.site:
            fetch(pin, root, force=force, log=log)


def _select(names: list[str]) -> list[Pin]:
    if not names:
        return [p for p in PINS if p.site]
    by_name = {p.name: p for p in PINS} | {p.dest: p for p in PINS}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        raise VendorError(f"unknown vendor file(s): {', '.join(unknown)} (known: {', '.join(p.name for p in PINS)})")
    return [by_name[n] for n in names]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Fetch the pinned third-party scripts from the npm registry.")
    sub = parser.add_subparsers(dest="command", required=True)
    fetch_cmd = sub.add_parser("fetch", help="fetch files (default: those the site ships)")
    fetch_cmd.add_argument("names", nargs="*", help="npm package names or destination paths")
    fetch_cmd.add_argument("--force", action="store_true", help="fetch even when the file is there")
    sub.add_parser("list", help="print NAME VERSION DEST for every pin")
    args = parser.parse_args(argv)
    if args.command == "list":
        for pin in PINS:
            print(pin.name, pin.version, pin.dest)
        return 0
    try:
        for pin in _select(args.names):
            fetch(pin, force=args.force)
    except VendorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

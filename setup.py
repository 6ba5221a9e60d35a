"""The build step the metadata in pyproject.toml cannot express: the wheel carries the third-party scripts.

Before the package is built (a wheel, or an editable install), the pinned npm files the site serves are
fetched into generator/knowledge_cards/assets/vendor/ when missing, checked against their sha512, with
their licences (scripts/vendor.py holds the pins; the Makefile reads the same file). Everything else is
in pyproject.toml.
"""

from __future__ import annotations

import importlib.util
import logging
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.errors import SetupError

HERE = Path(__file__).resolve().parent


def _vendor():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("kcards_vendor", HERE / "scripts" / "vendor.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


class BuildPyWithVendor(build_py):
    """`build_py` that first fetches the missing vendor scripts into the source tree."""

    def run(self) -> None:
        vendor = _vendor()
        try:
            vendor.fetch_site(HERE, log=self.announce_fetch)
        except vendor.VendorError as exc:
            raise SetupError(str(exc)) from None
        self.__dict__.pop("data_files", None)  # computed lazily: list the package data again, with the new files
        super().run()

    def announce_fetch(self, message: str) -> None:
        self.announce(message, level=logging.INFO)


setup(cmdclass={"build_py": BuildPyWithVendor})

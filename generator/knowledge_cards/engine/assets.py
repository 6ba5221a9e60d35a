"""The scripts and stylesheets every Knowledge Cards site needs, served from the package.

They ship inside the package (`knowledge_cards/assets/`, the third-party scripts under `vendor/`,
pinned and checksummed when the wheel is built). A site overrides any one of them with a file of the
same name in its theme's `custom_dir/kcards/`, as it overrides a template. They are published under
`assets/kcards/`.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

PACKAGE_ASSETS = Path(str(files("knowledge_cards") / "assets"))
URL_PREFIX = "assets/kcards/"

MERMAID = "vendor/mermaid.min.js"
CYTOSCAPE = "vendor/cytoscape.min.js"
QUIZ_SCRIPT = "kcards.js"
MAP_SCRIPT = "kcards-map.js"
STYLESHEET = "cards.css"
MAP_STYLESHEET = "kcards-map.css"

SCRIPTS = (MERMAID, QUIZ_SCRIPT, MAP_SCRIPT)
"""Added to every page, in this order (mermaid first: Material's loader looks for it)."""
STYLESHEETS = (STYLESHEET,)
"""Added to every page."""
LICENCES = ("vendor/mermaid.LICENSE", "vendor/cytoscape.LICENSE")
ALL = (MERMAID, CYTOSCAPE, QUIZ_SCRIPT, MAP_SCRIPT, STYLESHEET, MAP_STYLESHEET, *LICENCES)
"""Every file published (the map's are loaded by its script, on the map page only; the third-party
scripts' licences beside them)."""


@dataclass(frozen=True)
class Asset:
    """One published file: its name, where it is read from, and its path in the site."""

    name: str
    source: Path

    @property
    def dest(self) -> str:
        return URL_PREFIX + self.name


class AssetError(Exception):
    """An asset that cannot be published: the message is one line for the log."""


def find_assets(override_dirs: list[Path]) -> list[Asset]:
    """Each asset from the first override folder that has it, else from the package. An override that
    is not a readable, non-empty file is an error, as is an asset missing from the package."""
    found = []
    for name in ALL:
        source = next((d / name for d in override_dirs if (d / name).exists()), None)
        if source is not None:
            if not source.is_file() or source.stat().st_size == 0:
                raise AssetError(
                    f"{source}:1: error: this override of the knowledge-cards asset '{name}' is empty or not a file"
                )
            try:
                source.read_bytes()[:1]
            except OSError as exc:
                raise AssetError(f"{source}:1: error: cannot read this override of '{name}': {exc.strerror}") from None
        else:
            source = PACKAGE_ASSETS / name
            if not source.is_file():
                raise AssetError(
                    f"{source}:1: error: knowledge-cards' asset '{name}' is missing from the installed package; "
                    "reinstall it (from a source checkout: `make site` fetches the pinned scripts)"
                )
        found.append(Asset(name, source))
    return found

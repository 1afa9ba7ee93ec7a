"""The domain as one dict, read from domain/*.yml the way Rasa merges the directory
(lists concatenated, mappings joined): for tests that look at the YAML itself."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
DOMAIN_DIR = ROOT / "domain"


def domain_files() -> list[Path]:
    return sorted(DOMAIN_DIR.glob("**/*.yml"))


def load_domain() -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for path in domain_files():
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key, value in data.items():
            if isinstance(value, list):
                merged.setdefault(key, []).extend(value)
            elif isinstance(value, dict):
                clash = set(merged.setdefault(key, {})) & set(value)
                assert not clash, f"{path.name}: {key} defined twice: {sorted(clash)}"
                merged[key].update(value)
            else:
                merged[key] = value
    return merged

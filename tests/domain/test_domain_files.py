"""The domain is split per service (domain/<service>.yml next to data/services/<service>.yml)
and Rasa loads the directory as one domain: each service has its file, nothing is defined
twice, and tools/compare_domains.py notices an entry that went missing in a move."""

from __future__ import annotations

import shutil
from collections import Counter

import yaml

from tests.support.domain import DOMAIN_DIR, ROOT, domain_files, load_domain
from tools.compare_domains import differences


def test_every_service_with_rules_has_its_domain_file():
    services = {p.stem for p in (ROOT / "data" / "services").glob("*.yml")}
    files = {p.stem for p in domain_files()}
    assert services and not services - files, f"no domain/<service>.yml for {services - files}"


def test_nothing_is_listed_twice_across_the_files():
    merged = load_domain()  # also fails on a slot, form or response defined in two files
    for key in ("intents", "entities", "actions"):
        twice = [name for name, n in Counter(map(str, merged[key])).items() if n > 1]
        assert not twice, f"{key} listed in two files: {twice}"


def test_every_file_is_a_domain_file_of_the_same_version():
    for path in domain_files():
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert str(data.get("version")) == "3.1", path.name


def test_compare_domains_sees_what_a_move_lost(tmp_path):
    copy = tmp_path / "domain"
    shutil.copytree(DOMAIN_DIR, copy)
    assert differences(str(DOMAIN_DIR), str(copy)) == []
    (copy / "opt_out.yml").unlink()
    found = differences(str(DOMAIN_DIR), str(copy))
    assert any(line.startswith("intents:") and "opt_in" in line for line in found)
    assert any(line.startswith("responses:") and "utter_opted_out" in line for line in found)

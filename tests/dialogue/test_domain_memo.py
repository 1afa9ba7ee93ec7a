"""channels/domain_memo.py: `Domain.is_empty()` once per domain, same answer as Rasa's."""

from __future__ import annotations

from rasa.shared.core.domain import Domain

from channels import domain_memo


def test_same_answer_as_rasa_computed_once(domain, monkeypatch):
    domain_memo.install()
    empty = Domain.empty()
    assert domain.is_empty() is False and empty.is_empty() is True
    assert domain_memo._original(domain) is False and domain_memo._original(empty) is True
    calls = []
    monkeypatch.setattr(Domain, "as_dict", lambda self: calls.append(1) or {})
    fresh = Domain.from_dict({"intents": ["greet"]})
    assert fresh.is_empty() is fresh.is_empty()
    assert len(calls) == 2, "computed once: the domain and Rasa's empty domain, once each"


def test_installed_by_the_assistants_nlg_and_undone():
    from channels.document_nlg import DocumentAwareNLG

    domain_memo.uninstall()
    assert Domain.is_empty is domain_memo._original
    try:
        DocumentAwareNLG()
        assert domain_memo.installed()
    finally:
        domain_memo.install()

"""The words of a status push, in the user's language, as a WhatsApp utility template and
as the same text sent as a normal message inside the 24-hour window.

TEMPLATES are the bodies submitted to Meta for approval (docs/whatsapp-templates.md has the
same names, bodies and examples; tests/channels/test_push_worker.py checks they agree).
`{{1}}`, `{{2}}`, ... are the template's parameters; `compose` fills them for one event.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sathi import formatting
from sathi.wording import status_label

STOP_LINE = {
    "bn": 'আর খবর না চাইলে লিখুন "আর জানাবেন না"।',
    "en": 'To stop these updates, write "stop updates".',
}

# name -> {language: body}; category UTILITY, languages bn and en
TEMPLATES: dict[str, dict[str, str]] = {
    "sathi_wage_credited": {
        "bn": "সাথী: আপনার জব কার্ড {{1}}-এ কর্মশ্রীর মজুরি {{2}} ঢুকেছে ({{3}} দিনের কাজ, {{4}})। "
        + STOP_LINE["bn"],
        "en": "Sathi: Karmashree wages of {{2}} have been credited for your job card {{1}} "
        "({{3}} days of work, {{4}}). " + STOP_LINE["en"],
    },
    "sathi_application_status": {
        "bn": "সাথী: আপনার {{1}} আবেদন {{2}}: {{3}}। " + STOP_LINE["bn"],
        "en": "Sathi: your {{1}} application {{2}}: {{3}}. " + STOP_LINE["en"],
    },
    "sathi_booking_status": {
        "bn": "সাথী: আপনার গেস্ট হাউস বুকিং {{1}} ({{2}} থেকে): {{3}}। " + STOP_LINE["bn"],
        "en": "Sathi: your guest house booking {{1}} (from {{2}}): {{3}}. " + STOP_LINE["en"],
    },
    "sathi_salary_credited": {
        "bn": "সাথী: {{1}}-এর বেতন, নিট {{2}}, আপনার ব্যাংক অ্যাকাউন্টে ঢুকেছে (কর্মী নম্বর {{3}})। "
        + STOP_LINE["bn"],
        "en": "Sathi: your salary for {{1}}, {{2}} net, has been credited to your bank account "
        "(employee {{3}}). " + STOP_LINE["en"],
    },
}
EVENT_TEMPLATES = {
    "wage_credited": "sathi_wage_credited",
    "application_status": "sathi_application_status",
    "booking_status": "sathi_booking_status",
    "salary_credited": "sathi_salary_credited",
}
APPLICATION_KINDS = {
    "trade_noc": ("Trade NOC (trade licence)", "ট্রেড লাইসেন্সের"),
    "building_plan": ("building plan", "বাড়ির প্ল্যান পাসের"),
}
_PLACEHOLDER = re.compile(r"\{\{(\d+)\}\}")


@dataclass(frozen=True)
class PushMessage:
    template: str
    language: str
    parameters: list[str]

    @property
    def text(self) -> str:
        return fill(TEMPLATES[self.template][self.language], self.parameters)

    def text_body(self) -> dict[str, Any]:
        return {"type": "text", "text": {"body": self.text, "preview_url": False}}

    def template_body(self) -> dict[str, Any]:
        return {
            "type": "template",
            "template": {
                "name": self.template,
                "language": {"code": self.language},
                "components": [
                    {
                        "type": "body",
                        "parameters": [{"type": "text", "text": p} for p in self.parameters],
                    }
                ],
            },
        }


def fill(body: str, parameters: list[str]) -> str:
    return _PLACEHOLDER.sub(lambda m: parameters[int(m.group(1)) - 1], body)


def _day(raw: Any, lang: str) -> str:
    try:
        return formatting.day(date.fromisoformat(str(raw)), lang)
    except (TypeError, ValueError):
        return "—"


def compose(
    event_kind: str, record_kind: str, record_id: str, state: dict[str, Any], lang: str
) -> PushMessage | None:
    """The push for one event in `lang` (bn / en); None for an event kind we do not tell."""
    lang = "en" if lang == "en" else "bn"
    template = EVENT_TEMPLATES.get(event_kind)
    if template is None:
        return None
    if event_kind == "wage_credited":
        params = [
            record_id,
            formatting.money(int(state.get("amount") or 0), lang),
            formatting.number(int(state.get("days") or 0), lang),
            _day(state.get("paid_on"), lang),
        ]
    elif event_kind == "application_status":
        english, bengali = APPLICATION_KINDS.get(record_kind, ("", ""))
        if not english:
            return None
        params = [
            bengali if lang == "bn" else english,
            record_id,
            status_label(state.get("status"), lang),
        ]
    elif event_kind == "booking_status":
        params = [
            record_id,
            _day(state.get("check_in"), lang),
            status_label(state.get("status"), lang),
        ]
    else:
        month = str(state.get("month") or "")
        params = [
            formatting.month(month, lang) if re.fullmatch(r"\d{4}-\d{2}", month) else "—",
            formatting.money(int(state.get("net") or 0), lang),
            record_id,
        ]
    return PushMessage(template, lang, params)

"""The dashboard as one server-rendered HTML page (Bengali and English labels side by side).
Every number carries `data-metric="<section>.<key>"`, the name the tests read it by."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from operator_console.dashboard import charts
from operator_console.dashboard.metrics import LANGUAGES, REGISTERS, SERVICE_INTENTS, Report

SERVICES = {
    "trade_noc": "ট্রেড এনওসি · Trade NOC",
    "building_plan": "বাড়ির নকশা · Building plan",
    "tourism_slip": "পর্যটন বুকিং · Tourism slip",
    "payslip": "বেতন স্লিপ · Pay slip",
    "salary_statement": "বার্ষিক বেতন · Salary statement",
    "form26": "ফর্ম ২৬ · Form 26",
    "cash_analysis": "ক্যাশ অ্যানালিসিস · Cash analysis",
    "work_status": "কাজের হিসাব · Work status",
    "wage_status": "মজুরি · Wage status",
    "demand_work": "কাজের আবেদন · Work demand",
    "karmashree_info": "কর্মশ্রী তথ্য · Karmashree info",
}
OUTCOMES = {
    "delivered": "পাঠানো হয়েছে · Delivered",
    "not_ready": "এখনও তৈরি নয় · Not ready",
    "not_yours": "অন্যের নথি · Not theirs",
    "not_found": "পাওয়া যায়নি · Not found",
    "unavailable": "পোর্টাল বন্ধ · Portal unavailable",
    "deferred": "পরে পাঠানোর জন্য রাখা · Deferred",
    "deferred_then_delivered": "রাখা, পরে পাঠানো · Deferred, later delivered",
    "bad_document": "খারাপ PDF · Bad PDF",
    "no_identity": "নম্বর যাচাই হয়নি · No verified number",
    "error": "ত্রুটি · Error",
    "refused_recipient": "অন্য নম্বরে চাওয়া, পাঠানো হয়নি · Refused: not the owner's number",
    "not_delivered": "পাঠানো যায়নি · Not delivered",
}
LANGUAGE_LABELS = {"bn": "বাংলা · Bengali", "en": "ইংরেজি · English", "none": "বাছা হয়নি · Not chosen"}
REGISTER_LABELS = {
    "bn": "বাংলা হরফ · Bengali script",
    "en": "ইংরেজি · English",
    "romanized": "রোমান হরফে বাংলা · Romanized",
    "mixed": "মেশানো · Mixed",
    "button": "বোতাম · Button tap",
    "none": "বোঝা যায় না · Unclear",
}


def _metric(name: str, value) -> str:
    return f'<span data-metric="{escape(name)}">{escape(str(value))}</span>'


def _table(head: Iterable[str], rows: list[list[str]], css: str = "") -> str:
    cells = "".join(f"<th>{h}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="{css}"><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>'


def _card(title: str, inner: str, wide: bool = False) -> str:
    return f'<section class="card{" wide" if wide else ""}"><h2>{title}</h2>{inner}</section>'


def render(report: Report) -> str:
    services = [s for s in SERVICE_INTENTS if report.requests_total.get(s)]
    services += [s for s in report.requests_total if s not in services]
    series = {s: [report.requests.get(d, {}).get(s, 0) for d in report.days] for s in services}
    requests_chart = charts.stacked_bars(
        report.days, series, SERVICES, "দিনে পরিষেবা-প্রতি অনুরোধ · Requests per service per day"
    )
    request_rows = [
        [escape(SERVICES.get(s, s)), _metric(f"requests_total.{s}", report.requests_total[s])]
        for s in services
    ]
    outcome_rows = [
        [escape(OUTCOMES.get(k, k)), _metric(f"outcomes.{k}", v)]
        for k, v in report.outcomes.items()
    ]
    lang_items: list[tuple[str, int]] = [
        (LANGUAGE_LABELS[k], report.languages.get(k, 0)) for k in LANGUAGES
    ]
    reg_items = [(REGISTER_LABELS[k], report.registers.get(k, 0)) for k in REGISTERS]
    lang_rows = [
        [escape(LANGUAGE_LABELS[k]), _metric(f"languages.{k}", report.languages.get(k, 0))]
        for k in LANGUAGES
    ]
    reg_rows = [
        [escape(REGISTER_LABELS[k]), _metric(f"registers.{k}", report.registers.get(k, 0))]
        for k in REGISTERS
    ]
    nu_rows = [
        [f"<code>{escape(intent)}</code>", _metric(f"not_understood.{intent}", n)]
        for intent, n in report.not_understood
    ] or [["—", "0"]]
    fb_rows = [
        [
            escape(SERVICES.get(s, s)),
            _metric(f"feedback.{s}.up", v["up"]),
            _metric(f"feedback.{s}.down", v["down"]),
        ]
        for s, v in report.feedback.items()
    ] or [["—", "0", "0"]]
    portal_rows = [
        [
            escape("সব · all" if op == "all" else op),
            _metric(f"portal.{op}.calls", f["calls"]),
            _metric(f"portal.{op}.p50_ms", f["p50_ms"]),
            _metric(f"portal.{op}.p95_ms", f["p95_ms"]),
            _metric(f"portal.{op}.failed_fast", f["failed_fast"]),
        ]
        for op, f in report.portal.items()
    ]
    breaker_rows = [
        [escape(area), _metric(f"breaker_openings.{area}", n)]
        for area, n in report.breaker_openings.items()
    ] or [["—", "0"]]
    rate = f"{100 * report.fallback_rate:.1f}%"
    csv_link = f"export.csv?from={escape(report.start)}&to={escape(report.end)}"

    cards = [
        _card(
            "দিনে পরিষেবা-প্রতি অনুরোধ · Requests per service per day",
            requests_chart + _table(["পরিষেবা · Service", "মোট · Total"], request_rows),
            wide=True,
        ),
        _card("ফলাফল · Outcomes", _table(["ফলাফল · Outcome", "সংখ্যা · Count"], outcome_rows)),
        _card(
            "ভাষা · Reply language (conversations)",
            charts.horizontal_bars(lang_items, "Language share")
            + _table(["ভাষা · Language", "কথোপকথন · Conversations"], lang_rows),
        ),
        _card(
            "লেখার ধরন · Register (messages)",
            charts.horizontal_bars(reg_items, "Register share")
            + _table(["ধরন · Register", "বার্তা · Messages"], reg_rows),
        ),
        _card(
            "বোঝা যায়নি · Not understood",
            f'<p class="big">{_metric("fallback_rate_percent", rate)}</p>'
            f"<p>{_metric('fallbacks', report.fallbacks)} / {_metric('user_messages', report.user_messages)} "
            f"বার্তা · messages</p>"
            + _table(["সম্ভাব্য ইনটেন্ট · Closest intent", "সংখ্যা · Count"], nu_rows),
        ),
        _card("মতামত · Feedback 👍/👎", _table(["পরিষেবা · Service", "👍", "👎"], fb_rows)),
        _card(
            "পোর্টালের গতি · Portal latency",
            _table(
                [
                    "কাজ · Operation",
                    "কল · Calls",
                    "p50 ms",
                    "p95 ms",
                    "সঙ্গে সঙ্গে ব্যর্থ · Failed fast",
                ],
                portal_rows,
                "small",
            )
            + "<h3>সার্কিট খুলেছে · Circuit-breaker openings</h3>"
            + _table(["অংশ · Area", "বার · Times"], breaker_rows),
        ),
        _card(
            "অপেক্ষায় · Waiting now",
            f"<p>পরে পাঠানোর সারি · Deferred queue: <b>{_metric('deferred_queue', report.deferred_queue)}</b></p>"
            f"<p>বার্তা বন্ধ রেখেছেন · Opted out (numbers, now): <b>{_metric('opted_out_now', report.opted_out_now)}</b></p>"
            f"<p>বন্ধ করার অনুরোধ · Opt-out messages (range): <b>{_metric('opt_out_messages', report.opt_out_messages)}</b></p>",
        ),
    ]
    notes = "".join(f'<p class="note">{escape(n)}</p>' for n in report.notes)
    return f"""<!doctype html>
<html lang="bn"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>সাথী ড্যাশবোর্ড · Sathi dashboard</title><link rel="stylesheet" href="static/dashboard.css"></head>
<body><header><h1>সাথী — কেমন চলছে · How Sathi is doing</h1>
<form method="get" action="" class="range">
<label>থেকে · From <input type="date" name="from" value="{escape(report.start)}"></label>
<label>পর্যন্ত · To <input type="date" name="to" value="{escape(report.end)}"></label>
<button type="submit">দেখুন · Show</button>
<a class="csv" href="{csv_link}" download>CSV ডাউনলোড · Export CSV</a></form>
<p class="sub">শুধু মোট সংখ্যা; কোনো ফোন নম্বর বা নাম নেই · Totals only: no phone number or name.
Days are Asia/Kolkata.</p></header>
<main>{notes}{"".join(cards)}</main></body></html>"""

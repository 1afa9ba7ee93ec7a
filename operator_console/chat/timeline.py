"""Turns the tracker's events and the Graph emulator's records into the chat page's items
(pure functions; the page draws them as WhatsApp does).

Item kinds: `user` (text, NLU), `restart`, and `bot` with `type` text / buttons / list /
document / template / other.
"""

from __future__ import annotations

from typing import Any


def _nlu(parse_data: dict[str, Any]) -> dict[str, Any]:
    intent = parse_data.get("intent") or {}
    entities = [
        {"entity": e.get("entity"), "value": e.get("value")}
        for e in parse_data.get("entities") or []
        if isinstance(e, dict)
    ]
    return {
        "intent": intent.get("name"),
        "confidence": round(float(intent.get("confidence") or 0), 3),
        "entities": entities,
    }


def user_items(events: list[dict[str, Any]], titles: dict[str, str]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for event in events:
        kind = event.get("event")
        if kind == "user":
            wamid = event.get("message_id") or ""
            metadata = event.get("metadata") or {}
            via = (
                ((metadata.get("whatsapp") or {}).get("type"))
                if isinstance(metadata, dict)
                else None
            )
            text = event.get("text") or ""
            items.append(
                {
                    "kind": "user",
                    "at": float(event.get("timestamp") or 0),
                    "wamid": wamid,
                    "text": titles.get(wamid) or text,
                    "payload": text if wamid in titles else None,
                    "via": via or event.get("input_channel"),
                    **_nlu(event.get("parse_data") or {}),
                }
            )
        elif kind == "restart":
            items.append({"kind": "restart", "at": float(event.get("timestamp") or 0)})
    return items


def _interactive(inter: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "text": (inter.get("body") or {}).get("text", ""),
        "header": (inter.get("header") or {}).get("text"),
        "footer": (inter.get("footer") or {}).get("text"),
    }
    action = inter.get("action") or {}
    if inter.get("type") == "button":
        out["type"] = "buttons"
        out["buttons"] = [
            {"id": b["reply"]["id"], "title": b["reply"]["title"]}
            for b in action.get("buttons") or []
            if isinstance(b, dict) and "reply" in b
        ]
    else:
        out["type"] = "list"
        out["button"] = action.get("button") or "Menu"
        out["sections"] = [
            {
                "title": s.get("title"),
                "rows": [
                    {
                        "id": r.get("id"),
                        "title": r.get("title"),
                        "description": r.get("description"),
                    }
                    for r in s.get("rows") or []
                ],
            }
            for s in action.get("sections") or []
        ]
    return out


def bot_items(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for record in messages:
        body = record.get("body") or {}
        kind = record.get("type")
        item: dict[str, Any] = {
            "kind": "bot",
            "at": float(record.get("at") or 0),
            "wamid": record.get("wamid"),
        }
        if kind == "text":
            item.update(type="text", text=(body.get("text") or {}).get("body", ""))
        elif kind == "interactive":
            item.update(_interactive(body.get("interactive") or {}))
        elif kind in ("document", "template"):
            doc = record.get("document") or {}
            item.update(
                type=kind,
                filename=doc.get("filename") or "Untitled",
                caption=doc.get("caption"),
                size=doc.get("size"),
                media_id=doc.get("media_id"),
            )
            if kind == "template":
                template = body.get("template") or {}
                item["name"] = template.get("name")
                item["language"] = (template.get("language") or {}).get("code")
                item["parameters"] = [
                    p.get("text")
                    for c in template.get("components") or []
                    if c.get("type") == "body"
                    for p in c.get("parameters") or []
                    if p.get("type") == "text"
                ]
        else:
            item.update(type="other", text=f"[{kind}]")
        items.append(item)
    return items


def identity_choices(ids: dict[str, Any]) -> list[dict[str, str]]:
    """The demo identities as (group, mobile, what they own) for the picker."""
    out: list[dict[str, str]] = []

    def add(group: str, mobile: Any, label: str) -> None:
        if mobile:
            out.append({"group": group, "mobile": str(mobile), "label": label})

    for card in ids.get("job_cards") or []:
        add(
            "কর্মশ্রী · Job card holders",
            card.get("mobile"),
            f"{card.get('job_card')} ({card.get('gp_name_en', '')})",
        )
    for emp in ids.get("employees") or []:
        add("কর্মচারী · PRI employees", emp.get("mobile"), f"employee {emp.get('employee_id')}")
    for official in ids.get("officials") or []:
        places = [g.get("name_en") for g in official.get("gram_panchayats") or []] + [
            p.get("name_en") + " PS" for p in official.get("panchayat_samitis") or []
        ]
        add(
            "আধিকারিক · Officials",
            official.get("mobile"),
            f"{official.get('designation', 'official')} — {', '.join(p for p in places if p)}",
        )
    for noc in ids.get("trade_nocs") or []:
        add(
            "আবেদনকারী · Applicants",
            noc.get("mobile"),
            f"trade NOC {noc.get('application_no')} ({noc.get('status')})",
        )
    for plan in ids.get("building_plans") or []:
        add(
            "আবেদনকারী · Applicants",
            plan.get("mobile"),
            f"building plan {plan.get('application_no')} ({plan.get('status')})",
        )
    for booking in ids.get("bookings") or []:
        add(
            "আবেদনকারী · Applicants",
            booking.get("mobile"),
            f"tourism booking {booking.get('booking_no')} ({booking.get('status')})",
        )
    for stranger in ids.get("strangers") or []:
        add("অচেনা নম্বর · Strangers (own nothing)", stranger, "owns no record")
    return out

"""What Meta's Graph API rejects in a message request, written from Meta's documented rules
(Cloud API reference: messages, interactive reply buttons, interactive list messages, media).

Deliberately independent of channels/: a mistake in the connector must not hide behind the
same mistake here. Lengths are counted in Unicode code points.
"""

from __future__ import annotations

from typing import Any

# (code, message) of the first problem, Meta-like: 100 invalid parameter, 131008 required
# parameter missing, 131009 parameter value not valid, 131051 unsupported message type.
Problem = tuple[int, str]

TEXT_BODY = 4096
INTERACTIVE_BODY = 1024
HEADER_TEXT = 60
FOOTER_TEXT = 60
REPLY_BUTTONS = 3
REPLY_TITLE = 20
REPLY_ID = 256
LIST_BUTTON = 20
LIST_ROWS = 10
LIST_SECTIONS = 10
ROW_TITLE = 24
ROW_DESCRIPTION = 72
ROW_ID = 200
SECTION_TITLE = 24
CAPTION = 1024
FILENAME = 240
MEDIA_TYPES = {
    "application/pdf": 100 * 1024 * 1024,
    "text/plain": 100 * 1024 * 1024,
    "image/jpeg": 5 * 1024 * 1024,
    "image/png": 5 * 1024 * 1024,
    "audio/ogg": 16 * 1024 * 1024,
    "audio/mpeg": 16 * 1024 * 1024,
    "video/mp4": 16 * 1024 * 1024,
}


def _string(value: Any, limit: int, where: str, required: bool = True) -> Problem | None:
    if value is None or value == "":
        return (131008, f"Required parameter is missing: {where}") if required else None
    if not isinstance(value, str):
        return 100, f"Invalid parameter: {where} must be a string"
    if not value.strip():
        return 131009, f"Parameter value is not valid: {where} is blank"
    if len(value) > limit:
        return 131009, f"Parameter value is not valid: {where} is longer than {limit} characters"
    return None


def _first(*problems: Problem | None) -> Problem | None:
    for p in problems:
        if p:
            return p
    return None


def check_interactive(inter: Any, known_media) -> Problem | None:
    if not isinstance(inter, dict):
        return 131008, "Required parameter is missing: interactive"
    kind = inter.get("type")
    body = inter.get("body")
    problem = _string(
        (body or {}).get("text") if isinstance(body, dict) else None,
        INTERACTIVE_BODY,
        "interactive.body.text",
    )
    if problem:
        return problem
    header = inter.get("header")
    if header is not None:
        if not isinstance(header, dict):
            return 100, "Invalid parameter: interactive.header"
        if header.get("type") == "text":
            problem = _string(header.get("text"), HEADER_TEXT, "interactive.header.text")
            if problem:
                return problem
        elif kind == "list":
            return 131009, "Parameter value is not valid: list header must be text"
    footer = inter.get("footer")
    if footer is not None:
        problem = _string(
            footer.get("text") if isinstance(footer, dict) else None,
            FOOTER_TEXT,
            "interactive.footer.text",
        )
        if problem:
            return problem
    action = inter.get("action")
    if not isinstance(action, dict):
        return 131008, "Required parameter is missing: interactive.action"
    if kind == "button":
        buttons = action.get("buttons")
        if not isinstance(buttons, list) or not buttons:
            return 131008, "Required parameter is missing: interactive.action.buttons"
        if len(buttons) > REPLY_BUTTONS:
            return 131009, f"Parameter value is not valid: more than {REPLY_BUTTONS} buttons"
        ids, titles = set(), set()
        for i, b in enumerate(buttons):
            if (
                not isinstance(b, dict)
                or b.get("type") != "reply"
                or not isinstance(b.get("reply"), dict)
            ):
                return 131009, f"Parameter value is not valid: buttons[{i}] must be a reply button"
            reply = b["reply"]
            problem = _first(
                _string(reply.get("id"), REPLY_ID, f"buttons[{i}].reply.id"),
                _string(reply.get("title"), REPLY_TITLE, f"buttons[{i}].reply.title"),
            )
            if problem:
                return problem
            if reply["id"] in ids or reply["title"] in titles:
                return 131009, "Parameter value is not valid: button ids and titles must be unique"
            ids.add(reply["id"])
            titles.add(reply["title"])
        return None
    if kind == "list":
        problem = _string(action.get("button"), LIST_BUTTON, "interactive.action.button")
        if problem:
            return problem
        sections = action.get("sections")
        if not isinstance(sections, list) or not sections:
            return 131008, "Required parameter is missing: interactive.action.sections"
        if len(sections) > LIST_SECTIONS:
            return 131009, f"Parameter value is not valid: more than {LIST_SECTIONS} sections"
        ids, total = set(), 0
        for si, section in enumerate(sections):
            if not isinstance(section, dict):
                return 100, f"Invalid parameter: sections[{si}]"
            problem = _string(
                section.get("title"),
                SECTION_TITLE,
                f"sections[{si}].title",
                required=len(sections) > 1,
            )
            if problem:
                return problem
            rows = section.get("rows")
            if not isinstance(rows, list) or not rows:
                return 131008, f"Required parameter is missing: sections[{si}].rows"
            for ri, row in enumerate(rows):
                total += 1
                if not isinstance(row, dict):
                    return 100, f"Invalid parameter: sections[{si}].rows[{ri}]"
                where = f"sections[{si}].rows[{ri}]"
                problem = _first(
                    _string(row.get("id"), ROW_ID, where + ".id"),
                    _string(row.get("title"), ROW_TITLE, where + ".title"),
                    _string(
                        row.get("description"),
                        ROW_DESCRIPTION,
                        where + ".description",
                        required=False,
                    ),
                )
                if problem:
                    return problem
                if row["id"] in ids:
                    return 131009, "Parameter value is not valid: row ids must be unique"
                ids.add(row["id"])
        if total > LIST_ROWS:
            return 131009, f"Parameter value is not valid: more than {LIST_ROWS} rows in total"
        return None
    return 131009, f"Parameter value is not valid: interactive.type {kind!r}"


def check_template_media(components: Any, known_media) -> Problem | None:
    """A document/image/video parameter of a template header needs a known media id or a link."""
    if components is None:
        return None
    if not isinstance(components, list):
        return 100, "Invalid parameter: template.components must be a list"
    for component in components:
        for parameter in (
            (component or {}).get("parameters") or [] if isinstance(component, dict) else []
        ):
            if not isinstance(parameter, dict):
                return 100, "Invalid parameter: template parameter"
            kind = parameter.get("type")
            if kind in ("document", "image", "video"):
                media = parameter.get(kind)
                if not isinstance(media, dict) or (
                    media.get("id") is None and media.get("link") is None
                ):
                    return 131008, f"Required parameter is missing: {kind}.id or {kind}.link"
                if media.get("id") is not None and not known_media(str(media["id"])):
                    return 131053, "Media upload error: unknown media id"
    return None


def check_message(body: Any, known_media) -> Problem | None:
    """The problem Meta would report for a POST /{phone-number-id}/messages body, or None.
    `known_media(id)` tells whether an uploaded media id exists."""
    if not isinstance(body, dict):
        return 100, "Invalid parameter: body must be a JSON object"
    if body.get("messaging_product") != "whatsapp":
        return 100, "Invalid parameter: messaging_product must be 'whatsapp'"
    if body.get("status") == "read":
        return _string(body.get("message_id"), 256, "message_id")
    to = body.get("to")
    if (
        not isinstance(to, str)
        or not to.lstrip("+").isdigit()
        or not 7 <= len(to.lstrip("+")) <= 15
    ):
        return 100, "Invalid parameter: to"
    kind = body.get("type", "text")
    if kind == "text":
        text = body.get("text")
        return _string(text.get("body") if isinstance(text, dict) else None, TEXT_BODY, "text.body")
    if kind == "interactive":
        return check_interactive(body.get("interactive"), known_media)
    if kind == "document":
        doc = body.get("document")
        if not isinstance(doc, dict):
            return 131008, "Required parameter is missing: document"
        if doc.get("id") is None and doc.get("link") is None:
            return 131008, "Required parameter is missing: document.id or document.link"
        if doc.get("id") is not None and not known_media(str(doc["id"])):
            return 131053, "Media upload error: unknown media id"
        return _first(
            _string(doc.get("caption"), CAPTION, "document.caption", required=False),
            _string(doc.get("filename"), FILENAME, "document.filename", required=False),
        )
    if kind == "template":
        template = body.get("template")
        if not isinstance(template, dict):
            return 131008, "Required parameter is missing: template"
        language = template.get("language")
        return _first(
            _string(template.get("name"), 512, "template.name"),
            _string(
                language.get("code") if isinstance(language, dict) else None,
                16,
                "template.language.code",
            ),
            check_template_media(template.get("components"), known_media),
        )
    if kind in ("image", "audio", "video", "sticker", "location", "contacts", "reaction"):
        return None
    return 131051, f"Unsupported message type: {kind!r}"

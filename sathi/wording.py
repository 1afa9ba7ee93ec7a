"""Words the bot shows for the portal's codes, in both languages: record statuses and kinds of
document. A Bengali reply never shows an internal code (`under_verification`, `form26`):
actions pass `status_label(code, lang)` / `document_kind(service, lang)` instead, and data that
the portal has in both languages is chosen with `pick`."""

from __future__ import annotations

# portal status code -> (English, Bengali)
STATUSES = {
    "submitted": ("submitted, not yet examined", "জমা পড়েছে, এখনও দেখা হয়নি"),
    "under_verification": ("being verified", "যাচাই চলছে"),
    "site_inspection": ("site inspection", "জমি দেখা (সাইট ইন্সপেকশন) চলছে"),
    "approved": ("approved", "মঞ্জুর হয়েছে"),
    "rejected": ("not approved", "মঞ্জুর হয়নি"),
    "confirmed": ("confirmed", "পাকা হয়েছে"),
    "payment_pending": ("payment not made yet", "টাকা এখনও জমা পড়েনি"),
    "cancelled": ("cancelled", "বাতিল হয়েছে"),
    "processing": ("salary being processed", "বেতন প্রসেস হচ্ছে"),
    "paid": ("paid", "বেতন হয়ে গেছে"),
    "not_generated": ("not made yet", "এখনও তৈরি হয়নি"),
    "not_closed": ("accounts not closed yet", "হিসাব এখনও ক্লোজ হয়নি"),
    "closed": ("accounts closed", "হিসাব ক্লোজ হয়েছে"),
    "open": ("waiting for work", "কাজের অপেক্ষায়"),
    "allocated": ("work allotted", "কাজ দেওয়া হয়েছে"),
}
UNKNOWN_STATUS = ("not ready yet", "এখনও তৈরি হয়নি")

# service (bot_store / audit name) -> (English, Bengali): what kind of paper it is
DOCUMENT_KINDS = {
    "trade_noc": ("Trade NOC (trade licence)", "ট্রেড লাইসেন্স (ট্রেড এনওসি)"),
    "building_plan": ("building plan approval letter", "বাড়ির প্ল্যান অনুমোদনের চিঠি"),
    "tourism_slip": ("guest house booking slip", "গেস্ট হাউসের বুকিং স্লিপ"),
    "payslip": ("pay slip", "পে স্লিপ"),
    "salary_statement": ("annual salary statement", "বছরের বেতনের বিবরণী"),
    "form26": ("Form 26 (receipts and payments)", "ফর্ম ২৬ (প্রাপ্তি ও প্রদানের হিসাব)"),
    "cash_analysis": ("cash analysis report", "ক্যাশ অ্যানালিসিস রিপোর্ট"),
}
UNKNOWN_KIND = ("document", "কাগজ")


def pick(lang: str, english: str | None, bengali: str | None) -> str | None:
    """The Bengali value for a Bengali reply when there is one, else the English."""
    if lang == "bn" and bengali:
        return bengali
    return english or bengali


def reason(remarks: str | None) -> str:
    """An official's remark quoted inside a sentence: without its own full stop."""
    text = (remarks or "").strip().rstrip(".।").strip()
    return text or "—"


def status_label(code: str | None, lang: str) -> str:
    english, bengali = STATUSES.get(code or "", UNKNOWN_STATUS)
    return bengali if lang == "bn" else english


def document_kind(service: str | None, lang: str) -> str:
    english, bengali = DOCUMENT_KINDS.get(service or "", UNKNOWN_KIND)
    return bengali if lang == "bn" else english

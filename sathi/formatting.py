"""Bilingual formatting: Bengali digits, Indian digit grouping, money, dates, month names."""

from __future__ import annotations

from datetime import date

from sathi.text import ascii_digits_to_bengali

MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
MONTHS_BN = [
    "জানুয়ারি",
    "ফেব্রুয়ারি",
    "মার্চ",
    "এপ্রিল",
    "মে",
    "জুন",
    "জুলাই",
    "আগস্ট",
    "সেপ্টেম্বর",
    "অক্টোবর",
    "নভেম্বর",
    "ডিসেম্বর",
]


def group_indian(number: int) -> str:
    """1234567 -> '12,34,567'."""
    sign = "-" if number < 0 else ""
    digits = str(abs(int(number)))
    if len(digits) <= 3:
        return sign + digits
    head, tail = digits[:-3], digits[-3:]
    pairs: list[str] = []
    while len(head) > 2:
        pairs.insert(0, head[-2:])
        head = head[:-2]
    if head:
        pairs.insert(0, head)
    return sign + ",".join(pairs + [tail])


def number(value: int | float, lang: str) -> str:
    if isinstance(value, float) and not value.is_integer():
        text = f"{value:.2f}"
    else:
        text = group_indian(int(value))
    return ascii_digits_to_bengali(text) if lang == "bn" else text


def money(amount: int | float, lang: str) -> str:
    """₹1,23,456 / ₹১,২৩,৪৫৬ (paise shown only when not whole)."""
    amount = round(float(amount), 2)
    whole = int(amount)
    text = group_indian(whole)
    if abs(amount - whole) >= 0.005:
        text += f".{int(round(abs(amount - whole) * 100)):02d}"
    if lang == "bn":
        text = ascii_digits_to_bengali(text)
    return "₹" + text


def day(value: date, lang: str) -> str:
    """28 November 2026 / ২৮ নভেম্বর ২০২৬."""
    if lang == "bn":
        return (
            f"{ascii_digits_to_bengali(str(value.day))} {MONTHS_BN[value.month - 1]} "
            f"{ascii_digits_to_bengali(str(value.year))}"
        )
    return f"{value.day} {MONTHS_EN[value.month - 1]} {value.year}"


def month(key: str, lang: str) -> str:
    """'2026-10' -> 'October 2026' / 'অক্টোবর ২০২৬'."""
    year, mon = int(key[:4]), int(key[5:7])
    if lang == "bn":
        return f"{MONTHS_BN[mon - 1]} {ascii_digits_to_bengali(str(year))}"
    return f"{MONTHS_EN[mon - 1]} {year}"


def financial_year(label: str, lang: str) -> str:
    return ascii_digits_to_bengali(label) if lang == "bn" else label

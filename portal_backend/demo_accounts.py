"""Demo GP monthly accounts (Form 26) and PS cash books: 24 closed months + current month."""

from __future__ import annotations

import random
from datetime import date, timedelta

from portal_backend import demo_names as names
from portal_backend.demo_people import months_back
from portal_backend.models import GpMonthlyAccount, PsCashBook
from sathi.clock import month_key

ACCOUNT_MONTHS = 24


def _closed_on(month: str) -> date:
    year, mon = int(month[:4]), int(month[5:7])
    return date(year + mon // 12, mon % 12 + 1, 1) + timedelta(days=6)


def build_gp_accounts(rng: random.Random, today: date, gp_codes: list[str]) -> list:
    objects = []
    months = months_back(today, ACCOUNT_MONTHS)
    current = month_key(today)
    for gp in gp_codes:
        balance = rng.randint(8, 60) * 100000
        for month in months:
            lines, receipts, payments = [], 0, 0
            for head in names.GP_RECEIPT_HEADS:
                amount = rng.randint(0, 12) * rng.choice([2500, 10000, 25000])
                if amount:
                    lines.append({"side": "receipt", "head": head, "amount": amount})
                    receipts += amount
            available = balance + receipts
            for head in names.GP_PAYMENT_HEADS:
                amount = rng.randint(0, 10) * rng.choice([2000, 8000, 20000])
                amount = min(amount, available - payments)
                if amount > 0:
                    lines.append({"side": "payment", "head": head, "amount": amount})
                    payments += amount
            closing = balance + receipts - payments
            closed_on = min(_closed_on(month), today)
            objects.append(
                GpMonthlyAccount(
                    gp_code=gp,
                    month=month,
                    status="closed",
                    opening_balance=balance,
                    receipts=receipts,
                    payments=payments,
                    closing_balance=closing,
                    closed_on=closed_on,
                    lines=lines,
                )
            )
            balance = closing
        objects.append(
            GpMonthlyAccount(
                gp_code=gp,
                month=current,
                status="not_closed",
                opening_balance=balance,
                receipts=0,
                payments=0,
                closing_balance=balance,
                closed_on=None,
                lines=[],
            )
        )
    return objects


def build_ps_cash_books(rng: random.Random, today: date, ps_codes: list[str]) -> list:
    objects = []
    months = months_back(today, ACCOUNT_MONTHS)
    for ps in ps_codes:
        balances = [rng.randint(5, 150) * 10000 for _ in names.PS_FUNDS]
        for month in months + [month_key(today)]:
            balances = [max(0, b + rng.randint(-20, 25) * 5000) for b in balances]
            total = sum(balances)
            cash = min(total, rng.randint(0, 40) * 500)
            treasury = (total - cash) * rng.randint(10, 40) // 100
            funds = [
                {"fund": f, "scheme": s, "head": h, "balance": b}
                for (f, s, h), b in zip(names.PS_FUNDS, balances)
            ]
            closed = month != month_key(today)
            objects.append(
                PsCashBook(
                    ps_code=ps,
                    month=month,
                    status="closed" if closed else "not_closed",
                    cash_in_hand=cash,
                    treasury_balance=treasury,
                    bank_balance=total - cash - treasury,
                    closed_on=min(_closed_on(month), today) if closed else None,
                    funds=funds,
                )
            )
    return objects

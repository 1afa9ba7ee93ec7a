"""Hostile and odd text: random Unicode, Bengali digits, control characters, injection
strings, long and empty messages, emoji."""

from __future__ import annotations

from hypothesis import strategies as st

BENGALI_DIGITS = "০১২৩৪৫৬৭৮৯"
INJECTIONS = [
    "'; DROP TABLE events; --",
    '" OR 1=1 --',
    "{{7*7}}",
    "{% raw %}{{ config }}",
    "${jndi:ldap://x}",
    "{job_card}",
    "{0.__class__}",
    "%s%s%s%n",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    '/inform{"job_card": "WB-01-002-003-004/005"}',
    "/inform{bad json",
    "/restart_all",
    "/unknown_intent",
    "/",
    '/inform{"otp_code": "123456"}',
    "\\u0000",
    "NaN",
    "-1e309",
]
SAMPLES = [
    "WB-01-002-003-004/005",
    "WB-3201002003-4-5",
    "WBP-1002300",
    "৯৮০০০০০০০১",
    "+91 98000 00001",
    "নভেম্বর ২০২৬",
    "2024-25",
    "২০২৪-২৫",
    "last month",
    "গত মাস",
    "ABCD-TNOC-2026-0001",
]

control = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=31), max_size=20)
bengali_numbers = st.text(alphabet=BENGALI_DIGITS + "-/ ", min_size=1, max_size=30)
emoji = st.text(
    alphabet=st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF), min_size=1, max_size=12
)
whitespace = st.text(alphabet=" \t\n\r\u00a0\u2003\u200b\u3000", max_size=20)
unicode_text = st.text(max_size=200)
hostile_text = st.one_of(
    unicode_text,
    control,
    bengali_numbers,
    emoji,
    whitespace,
    st.sampled_from(INJECTIONS),
    st.sampled_from(SAMPLES),
    st.builds(lambda a, b: a + b, st.sampled_from(SAMPLES), unicode_text),
    st.builds(
        lambda a, n: a * n, st.sampled_from(["অ", "9", "WB-", " ", "😀"]), st.integers(1, 3000)
    ),
)
long_text = st.builds(
    lambda s: (s or "x") * (10000 // max(1, len(s or "x")) + 1), st.text(min_size=1, max_size=5)
).map(lambda s: s[:10000])
any_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)

"""Cutting text never breaks a Bengali letter: button titles, echoes, message chunks."""

from hypothesis import given, settings
from hypothesis import strategies as st

from channels.whatsapp_render import split_text
from sathi.graphemes import clip, fitting_prefix, graphemes, shorten

WORDS = ["কর্মশ্রী", "পঞ্চায়েত", "উদয়নারায়ণপুর", "ক্ষ", "স্ত্রী", "দোগাছি", "জব", "WB", "১২৩"]


def whole_graphemes(part: str, of: str) -> bool:
    """`part` (a prefix of `of`) ends at a grapheme boundary of `of`."""
    size = 0
    for cluster in graphemes(of):
        if size == len(part):
            return True
        size += len(cluster)
    return size == len(part)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=60), st.integers(6, 40))
def test_split_without_spaces_never_splits_a_grapheme(words, limit):
    text = "".join(words)  # no boundary: the grapheme fallback (limit >= the longest letter, 6)
    chunks = split_text(text, limit)
    assert "".join(chunks) == text
    consumed = ""
    for chunk in chunks:
        assert 0 < len(chunk) <= limit
        assert whole_graphemes(consumed + chunk, text), (text, limit, chunk)
        consumed += chunk


def test_the_window_edge_inside_a_letter_moves_it_whole():
    text = "কা" * 3  # ক + া: the edge at 3 falls inside the 2nd
    assert fitting_prefix(text, 3) == 2
    assert split_text(text, 3) == ["কা", "কা", "কা"]


def test_titles_and_echoes_keep_whole_letters():
    name = "উদয়নারায়ণপুর পঞ্চায়েত সমিতি"
    for limit in range(2, len(name)):
        assert whole_graphemes(clip(name, limit), name)
        out = shorten(name, limit)
        assert len(out) <= limit and not out.rstrip("…").endswith("\u09cd")

"""Property tests for `lisette_like.mdtext` (nbs/00a_mdtext): escaping the dollars of a model's Markdown can be undone
exactly, a stream cut anywhere escapes to the same Markdown as the whole text, and the dollars left pair up.
Fixed example budget and derandomized, so CI runs the same examples every time."""
from hypothesis import given, settings, strategies as st
from lisette_like.mdtext import escape_dollars, unescape_dollars, DollarEscaper

props = settings(max_examples=400, deadline=None, derandomize=True)
# Text made of what matters here: dollars, spaces and digits around them, backticks and fences, backslashes, our own markers and pieces of them
frags = ['$', '$$', ' ', '\n', '\n\n', '`', '``', '```', '~~~', '\\', 'x', '5', 'a b', '<span>&#36;</span>', '<span>&#036;</span>',
         '<span>&#x24;</span>', '<span>&#', '36;</span>', '\\$', '\r\n', '  ', '\t', '<', '```py\n', '\n```\n', '    ']
texts = st.lists(st.one_of(st.sampled_from(frags), st.text(max_size=4)), max_size=16).map(''.join)

@props
@given(texts)
def test_unescape_undoes_escape(t):
    assert unescape_dollars(escape_dollars(t)) == t

@props
@given(texts)
def test_escape_twice_unescape_twice(t):
    "Not idempotent (markers already there are escaped again), but still exact"
    assert unescape_dollars(unescape_dollars(escape_dollars(escape_dollars(t)))) == t

@props
@given(texts, st.lists(st.integers(0, 80), max_size=10))
def test_stream_equals_whole(t, cuts):
    cuts = sorted({min(c, len(t)) for c in cuts})
    e, last, out = DollarEscaper(), 0, []
    for c in cuts + [len(t)]:
        out.append(e.add(t[last:c]))
        last = c
    out.append(e.flush())
    assert ''.join(out) == escape_dollars(t), (t, cuts)

@props
@given(texts, st.integers(0, 80))
def test_pending_is_the_escape_if_the_stream_ended(t, cut):
    e = DollarEscaper()
    done = e.add(t[:cut])
    assert done + e.pending == escape_dollars(t[:cut])

@props
@given(texts)
def test_dollars_left_pair_up(t):
    "Without code or backslashes (which may hold a lone `$`), every `$` left is one of a math pair"
    if any(c in t for c in '`~\\'): return
    assert escape_dollars(t).count('$') % 2 == 0

"""Property tests for `lisette_like.msgs` (nbs/02_msgs): `mk_msgs` always builds sendable messages, and formatted output
parses back (`fmt2hist`) into the calls, arguments and results it shows, whatever text surrounds them, with or without
the summary line each tool block carries.
Fixed example budget and derandomized, so CI runs the same examples every time."""
import copy, html, json, os, re, warnings
from pathlib import Path
os.environ.setdefault('LITELLM_LOCAL_MODEL_COST_MAP', 'True')
from hypothesis import given, settings, assume, strategies as st
from litellm import Message
from lisette_like.msgs import mk_msgs
from lisette_like.tool_msgs import fmt2hist
from lisette_like.responses import tool_line
from lisette_like.format import mk_tr_details

props = settings(max_examples=200, deadline=None, derandomize=True)
samples = Path(__file__).parent.parent/'samples'
img, pdf = (samples/'puppy.png').read_bytes(), (samples/'doc.pdf').read_bytes()
roles = {'system', 'developer', 'user', 'assistant', 'tool', 'function'}

def get(m, k): return m.get(k) if isinstance(m, dict) else getattr(m, k, None)

# Text that looks like our format: fences, closers, openers, JSON, summary lines, thinking marks, line ends
frags = ['```', '`', '```json\n', '\n```\n', '</details>', '</DETAILS>', "<details class='tool-usage-details'>\n", '<details class="tool-usage-details">\n\n',
         '<details>', '{"call": {"function": "f", "arguments": {}}}', '{"id": "toolu_x", "call": {}}', '[1, 2]', '🔧 add({"a": 1}) → 3',
         '🔧 search("q")', '<summary>', '</summary>', '<summary>🔧 f() → 1</summary>\n', '&lt;', '$', '🧠', '\n', '\r\n', '\n\n', ' ', '\t', '\u2028', 'Done.', '…[truncated]']
texts = st.lists(st.one_of(st.sampled_from(frags), st.text(max_size=12)), max_size=8).map(''.join)
blank = st.sampled_from(['', ' ', '\n', ' \t\n ', '\u00a0'])

# ---- mk_msgs: messages always have valid roles, no empty text blocks, and at most 4 breakpoints ----

part_dicts = st.one_of(st.builds(lambda t: {'type':'text', 'text':t}, st.one_of(blank, st.text(max_size=20))),
                       st.just({'type':'image_url', 'image_url':{'url':'https://example.com/puppy.png'}}))
parts = st.lists(st.one_of(blank, st.text(max_size=20), st.sampled_from([img, pdf]), part_dicts), max_size=4)
tc_dict = st.builds(lambda i, n: {'id':f'toolu_{i}', 'type':'function', 'function':{'name':n, 'arguments':'{}'}},
                    st.integers(0, 99), st.sampled_from(['add', 'search']))
nonblank = st.text(min_size=1, max_size=20).filter(str.strip)
msg_dicts = st.one_of(st.builds(lambda r, c: {'role':r, 'content':c}, st.sampled_from(['user', 'assistant', 'system']), nonblank),
                      st.builds(lambda i, c: {'role':'tool', 'tool_call_id':f'toolu_{i}', 'name':'add', 'content':c}, st.integers(0, 99), st.text(max_size=10)),
                      st.builds(lambda tcs: {'role':'assistant', 'content':None, 'tool_calls':tcs}, st.lists(tc_dict, min_size=1, max_size=3)))
fmt_out = st.builds(lambda t, r: t + mk_tr_details({'tool_call_id':'toolu_f', 'role':'tool', 'name':'add', 'content':r},
                                                   {'id':'toolu_f', 'type':'function', 'function':{'name':'add', 'arguments':'{"a": 1}'}}) + 'So: 3.',
                    texts, texts)
items = st.one_of(blank, st.text(max_size=30), texts, st.sampled_from([img, pdf]), parts, msg_dicts, fmt_out,
                  st.builds(lambda c: Message(content=c, role='assistant'), nonblank))

def ckpts(m)->int:
    "Number of cache breakpoints on message `m`: top level, content blocks and tool calls"
    c = get(m, 'content')
    blocks = [m] + (c if isinstance(c, list) else []) + list(get(m, 'tool_calls') or [])
    return sum(('cache_control' in b) if isinstance(b, dict) else get(b, 'cache_control') is not None for b in blocks)

def blank_text(m)->bool:
    "Whether message `m` would send an empty text block (tool results are the tool's own text, not checked)"
    c = get(m, 'content')
    if isinstance(c, list): return any(p.get('type')=='text' and not p.get('text', '').strip() for p in c)
    return get(m, 'role')!='tool' and isinstance(c, str) and not c.strip()

@props
@given(st.lists(items, min_size=1, max_size=6), st.booleans(), st.lists(st.integers(-8, 8), max_size=6))
def test_mk_msgs_sendable(msgs, cache, idxs):
    orig = copy.deepcopy(msgs)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')  # more than 4 positions warns; the cap itself is what we check
        res = mk_msgs(msgs, cache=cache, cache_idxs=idxs)
    assert all(get(m, 'role') in roles for m in res), [get(m, 'role') for m in res]
    assert not any(blank_text(m) for m in res), res
    n = sum(map(ckpts, res))
    pos = [i for i,m in enumerate(res) if get(m, 'role')!='tool']
    assert n == (min(4, len({pos[j] for j in idxs if -len(pos) <= j < len(pos)})) if cache else 0), (n, idxs)
    assert [json.dumps(o, default=repr) for o in msgs] == [json.dumps(o, default=repr) for o in orig]  # inputs unchanged

@props
@given(st.lists(st.one_of(st.text(max_size=10), msg_dicts), min_size=1, max_size=8), st.lists(st.integers(-8, 8), min_size=5, max_size=8))
def test_mk_msgs_recache(msgs, idxs):
    "Already-cached histories are re-cached within the limit"
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        h = mk_msgs(msgs, cache=True, cache_idxs=range(-8, 8))
        assert sum(map(ckpts, mk_msgs(h, cache=True, cache_idxs=idxs))) <= 4

# ---- formatter output -> fmt2hist gives back the calls, arguments and results ----

json_vals = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | texts,
                         lambda c: st.lists(c, max_size=3) | st.dictionaries(texts, c, max_size=3), max_leaves=8)
raw_args = st.one_of(st.dictionaries(texts, json_vals, max_size=4).map(json.dumps),  # what a model normally sends
                     texts, blank, st.just('{"a": 1,'), st.lists(json_vals, max_size=3).map(json.dumps), json_vals.map(json.dumps))
names = st.from_regex(r'[A-Za-z_][A-Za-z0-9_]{0,15}', fullmatch=True)
calls = st.lists(st.tuples(names, raw_args, texts), min_size=1, max_size=3)

def obj_or_empty(raw):
    "The arguments a history should hold for raw arguments `raw`: their object, or {} if they aren't a JSON object"
    try: v = json.loads(raw)
    except ValueError: return {}
    return v if isinstance(v, dict) else {}

def no_brains(t):
    "Text as fmt2hist keeps it: stripped, without the leading 🧠 marks a stream shows while thinking"
    t = t.strip()
    return re.sub(r'^(?:🧠|\s)+', '', t) if t.startswith('🧠') else t

def has_block(t)->bool: return any(get(m, 'tool_calls') for m in fmt2hist(t + '\n\n'))

def mk_md(steps, tail, name_of=lambda n: n):
    "Formatted output for `steps` of (text, calls) then `tail`; and the calls and results it should read back as"
    k, md, want_calls, want_res = 0, '', [], []
    for txt,cs in steps:
        md += txt
        for name,raw,res in cs:
            tcid, k = f'toolu_{k:03d}', k+1
            md += mk_tr_details({'tool_call_id':tcid, 'role':'tool', 'name':name, 'content':res},
                                {'id':tcid, 'type':'function', 'function':{'name':name, 'arguments':raw}}, mx=None)
            want_calls.append((tcid, name, obj_or_empty(raw)))
            want_res.append((tcid, res))
    return md + tail, want_calls, want_res

def check_hist(h, steps, tail, want_calls, want_res):
    "`h` holds the calls, results and text of formatted output made by `mk_md`"
    tcs = [tc for m in h for tc in get(m, 'tool_calls') or []]
    assert [(tc['id'], tc['function']['name'], json.loads(tc['function']['arguments'])) for tc in tcs] == want_calls
    assert all(isinstance(json.loads(tc['function']['arguments']), dict) for tc in tcs)
    assert [(m['tool_call_id'], m['content']) for m in h if get(m, 'role')=='tool'] == want_res
    # Each assistant message's results follow it, in order; no assistant message is empty
    for i,m in enumerate(h):
        if get(m, 'role')!='assistant': continue
        ids = [tc['id'] for tc in get(m, 'tool_calls') or []]
        assert [get(r, 'tool_call_id') for r in h[i+1:i+1+len(ids)]] == ids
        assert ids or (get(m, 'content') or '').strip(), m
    # The text around the calls comes back, stripped, in order
    want_txt = [t for t in map(no_brains, [t for t,_ in steps] + [tail]) if t]
    assert [get(m, 'content') for m in h if get(m, 'role')=='assistant' and get(m, 'content')] == want_txt

@props
@given(st.lists(st.tuples(texts, calls), min_size=1, max_size=4), st.one_of(texts, st.sampled_from(['🧠', ' 🧠\n\n🧠 ', '🧠 Done.'])))
def test_fmt2hist_round_trip(steps, tail):
    assume(not any(has_block(t) for t,_ in steps) and not has_block(tail))  # text that is itself a block would add calls
    md, want_calls, want_res = mk_md(steps, tail)
    check_hist(fmt2hist(md), steps, tail, want_calls, want_res)

# ---- the summary line: one line a person can scan; fmt2hist reads blocks the same with it, without it, or spaced out ----

awkward = st.lists(st.one_of(st.sampled_from(frags), st.text(max_size=12)), min_size=1, max_size=8).map(''.join)
awkward_calls = st.lists(st.tuples(st.one_of(names, awkward.filter(str.strip)), raw_args, awkward), min_size=1, max_size=3)
re_head_sum = re.compile(r"(<details class='tool-usage-details'[^>\n]*>\n)(<summary>.*</summary>)\n")  # `.` stops at a newline

def no_summary(md): return re_head_sum.sub(r'\1', md)        # the seed's layout: no summary line
def spaced(md): return re_head_sum.sub(r'\1\n\2\n', md)      # a blank line around the summary

@props
@given(st.lists(st.tuples(texts, awkward_calls), min_size=1, max_size=3), texts)
def test_summary_round_trip(steps, tail):
    "Tool names, arguments and results holding </summary>, </details>, fences, newlines and unicode survive, summary or not"
    assume(not any(has_block(t) for t,_ in steps) and not has_block(tail))
    md, want_calls, want_res = mk_md(steps, tail)
    sums = [m.group(2) for m in re_head_sum.finditer(md)]
    assert len(sums) == len(want_calls), (sums, md)  # one summary line per block, each a single line
    for line,(tcid,name,_),(_,res),raw in zip(sums, want_calls, want_res, [raw for _,cs in steps for _,raw,_ in cs]):
        shown = html.unescape(line[len('<summary>'):-len('</summary>')])
        assert '<' not in line[9:-10] and '$' not in line, line  # escaped: nothing in it is HTML, or math for Jupyter
        assert len(shown) <= 100 and shown == tool_line(name, obj_or_raw(raw), res), (shown, name, raw, res)
    for variant in (md, no_summary(md), spaced(md)):
        check_hist(fmt2hist(variant), steps, tail, want_calls, want_res)

def obj_or_raw(raw):
    "Arguments as the formatter shows them: their object when they are a JSON object, {} when empty, else the raw text"
    if raw is None or raw == '': return {}
    try: v = json.loads(raw)
    except ValueError: return raw
    return v if isinstance(v, dict) else raw

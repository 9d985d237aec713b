"""Property tests of `lisette_like.compact`: whatever the history and however hard it is compacted, the view a request is
built from keeps every tool call paired with its result (no orphaned results), starts with the system message and the first user message, keeps the newest messages
whole, and leaves the history itself untouched."""
import copy, os
os.environ.setdefault('LITELLM_LOCAL_MODEL_COST_MAP', 'True')
from hypothesis import given, settings, strategies as st, HealthCheck
from lisette_like.basics import msg_role, get_path
from lisette_like.compact import Compact, Compactor

MODEL = 'claude-sonnet-4-5'

@st.composite
def histories(draw):
    "A valid history: a first prompt, then turns of text answers, tool rounds (1-3 parallel calls) and new prompts"
    h, n = ([{'role':'system', 'content':'Be brief.'}] if draw(st.booleans()) else []) + [{'role':'user', 'content':'Start.'}], 0
    for kind in draw(st.lists(st.sampled_from(['round', 'answer', 'prompt']), min_size=1, max_size=40)):
        size = draw(st.integers(0, 800))
        if kind == 'round':
            k = draw(st.integers(1, 3))
            ids = [f't{n+i}' for i in range(k)]; n += k
            think = {'reasoning_content':'hmm', 'thinking_blocks':[{'type':'thinking', 'thinking':'hmm', 'signature':'s'}]} if draw(st.booleans()) else {}
            h.append({'role':'assistant', 'content':'Calling.', **think,
                      'tool_calls':[{'id':i, 'type':'function', 'function':{'name':'f', 'arguments':'{}'}} for i in ids]})
            h += [{'role':'tool', 'tool_call_id':i, 'name':'f', 'content':'r ' * size} for i in ids]
        elif kind == 'answer' and msg_role(h[-1]) != 'assistant': h.append({'role':'assistant', 'content':'Answer ' * (size // 7 + 1)})
        elif msg_role(h[-1]) != 'user': h.append({'role':'user', 'content':'More ' * (size // 5 + 1)})
    return h

def pairs_ok(msgs)->bool:
    "Whether every tool call has its result right after its message, and every result a call"
    open_ids = set()
    for m in msgs:
        if msg_role(m) == 'tool':
            if get_path(m, 'tool_call_id') not in open_ids: return False
            open_ids.discard(get_path(m, 'tool_call_id'))
        else:
            if open_ids: return False
            open_ids = {get_path(tc, 'id') for tc in get_path(m, 'tool_calls') or []}
    return not open_ids

@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories(), st.integers(50, 6000), st.integers(1, 3), st.booleans())
def test_compaction_never_unpairs(h, target, times, grow):
    c, before = Compactor(Compact(keep_last=4)), copy.deepcopy(h)
    for _ in range(times):  # compact, maybe grow the history, compact again: what was left out only grows
        c.plan(h, MODEL, target)
        v = c.view(h)
        assert pairs_ok(v), v
        f = next(i for i, m in enumerate(h) if msg_role(m) == 'user')
        assert all(a is b for a, b in zip(v[:f+1], h[:f+1]))  # a system message and the first user message, kept as they are
        assert all(any(m is o for o in h) for m in v if get_path(m, 'thinking_blocks'))  # thinking only as the model sent it, never in a changed copy
        assert [(msg_role(m), m.get('tool_call_id')) for m in v[-4:]] == [(msg_role(m), m.get('tool_call_id')) for m in h[-4:]]  # the newest messages kept
        newest = lambda ms: [m for m in ms if msg_role(m) == 'tool'][-2:]
        orig = {m['tool_call_id']: m for m in newest(h)}
        assert all(m is orig[m['tool_call_id']] for m in v if msg_role(m) == 'tool' and m['tool_call_id'] in orig)  # ... the newest results never cut
        assert all(msg_role(m) != 'tool' or m['tool_call_id'] in {get_path(tc, 'id') for o in v for tc in get_path(o, 'tool_calls') or []} for m in v)
        if grow: h.append({'role':'user', 'content':'Next.'}); before.append(copy.deepcopy(h[-1]))
    assert h == before  # the history itself is never changed

@settings(max_examples=60, deadline=None)
@given(histories(), st.integers(0, 30))
def test_undo_leaves_a_valid_view(h, cut):
    "A history cut short (an undo) after a compaction still gives a valid view"
    c = Compactor(Compact(keep_last=2))
    c.plan(h, MODEL, 100)
    short = h[:max(1, len(h) - cut)]
    while short and msg_role(short[-1]) == 'tool' or (short and get_path(short[-1], 'tool_calls')): short = short[:-1]  # an undo ends at a whole turn
    assert pairs_ok(c.view(short))

"""Property test for human approval (nbs/08i_approval): any interleaving of approve, deny, save, load (trusted or not: an untrusted file's approvals are undone), fork and early
continues on a paused turn leaves a history the strict FakeLLM accepts, on the Anthropic, OpenAI and Gemini wire formats,
with every call answered once, as decided: approved calls ran (with their edited arguments), denied ones were told why.
Fixed example budget and derandomized, so CI runs the same examples every time."""
import json, os, tempfile
from pathlib import Path
os.environ.setdefault('LITELLM_LOCAL_MODEL_COST_MAP', 'True')
import pytest
from hypothesis import given, settings, strategies as st
import litellm
from lisette_like.responses import patch_litellm, unpatch_litellm
from lisette_like.fakellm import FakeLLM, Reply, Call
from lisette_like.chat import Chat
from lisette_like.approval import denial, decision

litellm.suppress_debug_info = True
props = settings(max_examples=12, deadline=None, derandomize=True)
ms = ['claude-sonnet-4-5', 'openai/gpt-4.1', 'gemini/gemini-2.5-flash']

def add(a:int, # first number
        b:int=0 # second number
       )->int:  # their sum
    "Add two numbers"
    return a + b

@pytest.fixture(scope='module')
def llm():
    patch_litellm()
    with FakeLLM(strict=True) as f: yield f
    unpatch_litellm()

ops = st.lists(st.one_of(
    st.tuples(st.just('approve'), st.integers(0, 2), st.one_of(st.none(), st.integers(-5, 50))),  # an int: edited `a`
    st.tuples(st.just('deny'), st.integers(0, 2), st.one_of(st.none(), st.sampled_from(['no', 'too risky', 'ünïcode ✓']))),
    st.tuples(st.just('save_load'), st.booleans(), st.none()),  # True: loaded with trust=True
    st.tuples(st.just('fork'), st.booleans(), st.none()),  # True: go on with the fork, False: with the original
    st.tuples(st.just('continue'), st.none(), st.none()),  # chat() while calls are undecided: pauses again, no request
), max_size=8)

def _apply(chat, op, arg, extra, tmp, expect):
    "Apply one operation to paused `chat`; the chat to go on with, and its expected results (id -> content)"
    ps = chat.pending
    if op in ('approve', 'deny') and ps:
        c = ps[arg % len(ps)]
        if op == 'approve':
            chat.approve(c.id, None if extra is None else {**c.args, 'a': extra})
            expect[c.id] = str((c.args['a'] if extra is None else extra) + c.args.get('b', 0))
        else:
            chat.deny(c.id, extra)
            expect[c.id] = denial(decision(extra or False))
    elif op == 'save_load':
        chat.save(tmp/'c.json')
        chat = Chat.load(tmp/'c.json', tools=[add], approve={'add'}, api_base=chat.kw['api_base'], api_key='dummy', trust=arg)
        for c in chat.pending: expect.pop(c.id, None)  # an approval isn't taken from an untrusted file: the call waits again
    elif op == 'fork':
        new = chat.fork()
        chat, expect = (new, dict(expect)) if arg else (chat, expect)
    elif op == 'continue' and ps:
        n = len(ps)
        test_res = chat()
        assert test_res is None and len(chat.pending) == n
    return chat, expect

@pytest.mark.parametrize('model', ms)
@props
@given(ops=ops, rest=st.booleans())
def test_any_interleaving_keeps_a_valid_history(llm, model, ops, rest):
    tmp = Path(tempfile.mkdtemp())
    llm.add(Reply(calls=[Call('add', {'a': 1, 'b': 2}), Call('add', {'a': 3, 'b': 4}), Call('add', {'a': 5})]))
    chat = Chat(model, tools=[add], approve={'add'}, api_base=llm.api_base, api_key='dummy')
    chat('add these')
    n0, expect = len(llm.requests), {}
    ids = [c.id for c in chat.pending]
    for op, arg, extra in ops: chat, expect = _apply(chat, op, arg, extra, tmp, expect)
    assert len(llm.requests) == n0  # settling and early continues never call the model
    for c in chat.pending:  # settle what is left: all approved, or all denied
        if rest: chat.approve(c.id); expect[c.id] = str(c.args['a'] + c.args.get('b', 0))
        else: chat.deny(c.id); expect[c.id] = denial(decision(False))
    llm.add(Reply('done'), Reply('and more'))
    assert chat().choices[0].message.content == 'done'
    assert chat('more?').choices[0].message.content == 'and more'
    assert [r.error for r in llm.requests[n0:]] == [None, None]
    res = {m['tool_call_id']: m['content'] for m in chat.hist if isinstance(m, dict) and m.get('role') == 'tool'}
    assert res == {k: expect[k] for k in ids}, (res, expect)
    assert chat.held == {} and chat.pending == []

"Random tool-argument strings never crash the tool loop and never poison the history: the next request always goes through"
import json, os
from hypothesis import given, settings, strategies as st, HealthCheck
from lisette_like.fakellm import FakeLLM, Reply, Call
from lisette_like.chat import Chat
from lisette_like.demo import add

_llm = None
def llm():
    global _llm
    if _llm is None: _llm = FakeLLM(strict=True).start()
    return _llm

args = st.one_of(st.text(max_size=40), st.sampled_from(['{"a": 5', '[1, 2]', 'null', '""', '{"a": "x"}', '{"a": 1, "a": 2}', '{}', '5']),
                 st.dictionaries(st.text(max_size=5), st.one_of(st.integers(), st.text(max_size=5)), max_size=3).map(json.dumps))

@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(a=args, model=st.sampled_from(['claude-sonnet-4-5', 'openai/gpt-4.1', 'gemini/gemini-2.5-flash']))
def test_random_arguments_never_poison_history(a, model):
    f = llm()
    f.pos = len(f.script)
    f.add(Reply(calls=[Call('add', a)]), Reply('Done.'), Reply('Next.'))
    chat = Chat(model, tools=[add], retries=0, api_base=f.api_base, api_key='dummy')
    chat('Add')
    stored = chat.hist[1].tool_calls[0].function.arguments
    assert isinstance(json.loads(stored), dict), stored
    assert chat.hist[2]['role'] == 'tool'
    assert chat('And next?').choices[0].message.content == 'Next.'

"""Many streamed turns in a row never hang: each reader closes its litellm stream itself, so no half-read HTTP response is
left for the garbage collector to finalise while httpcore holds its pool lock (a deadlock seen about once in a few hundred
Anthropic streams before lisette_like closed them; see `close_stream` in nbs/00_basics)."""
import subprocess, sys, textwrap

_turns = textwrap.dedent('''
    import gc, os
    os.environ['LITELLM_LOCAL_MODEL_COST_MAP'] = 'True'
    import litellm
    litellm.suppress_debug_info = True
    from lisette_like.fakellm import FakeLLM, Reply
    from lisette_like.chat import Chat
    from lisette_like.stream import stream_with_complete
    from fastcore.xtras import SaveReturn
    gc.set_threshold(100, 5, 5)  # collect often, so a finaliser would run in the middle of the next request
    n = 0
    with FakeLLM() as llm:
        kw = dict(api_base=llm.api_base, api_key='dummy')
        for rep in range(3):
            llm.add(*[Reply(f'Answer {i} of a long and streamed conversation.', chunk=6) for i in range(90)])
            chat = Chat('claude-sonnet-4-5', **kw)
            for i in range(90):
                for o in chat(f'Question {i}', stream=True): pass
                n += 1
            llm.add(*[Reply('Raw stream, read to the end.', chunk=4) for i in range(30)])
            for i in range(30):
                s = SaveReturn(stream_with_complete(litellm.completion('claude-sonnet-4-5', [{'role':'user','content':'hi'}], stream=True, **kw)))
                for o in s: pass
                assert s.value.choices[0].message.content == 'Raw stream, read to the end.'
                n += 1
    print(n)
''')

def test_many_streamed_turns_never_hang():
    r = subprocess.run([sys.executable, '-c', _turns], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    assert r.stdout.strip().splitlines()[-1] == str(3 * (90 + 30))

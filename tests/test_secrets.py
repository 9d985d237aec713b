"""No API key ever shows in what a run produces: the history, reprs, events, formatted output, saved JSON, warnings,
litellm's and our logs, and the terminal command's output. Extend `_outputs` whenever lisette_like gains a new output."""
import asyncio, io, json, logging, os, subprocess, sys, warnings
import pytest

KEY = 'sk-ant-SECRET-do-not-leak-7f3a9c'

def _outputs(llm, tmp_path):
    "Everything one full run produces, as text: sync and async, streamed and not, a tool loop, a failure, events, formatting"
    from lisette_like.fakellm import Reply, Call
    from lisette_like.chat import Chat
    from lisette_like.asyncchat import AsyncChat
    from lisette_like.format import StreamFormatter
    from lisette_like.demo import add
    kw = dict(api_base=llm.api_base, api_key=KEY, retries=0)
    out, log = [], io.StringIO()
    h = logging.StreamHandler(log); h.setLevel(logging.DEBUG)
    for name in ('LiteLLM', 'lisette_like', ''): logging.getLogger(name).addHandler(h)
    try:
        with warnings.catch_warnings(record=True) as ws:
            warnings.simplefilter('always')
            llm.add(Reply('Adding.', calls=[Call('add', {'a': 2, 'b': 3})]), Reply('5.'), Reply('Streamed 5.', chunk=3),
                    Reply(fault='401'), Reply(calls=[Call('add', {'a': 1})]), Reply('1.'))
            chat, fmt = Chat('claude-sonnet-4-5', tools=[add], log=str(tmp_path/'log.db'), **kw), StreamFormatter()
            out += [repr(o) for o in chat('2+3?', return_all=True)]
            chat.save(tmp_path/'chat.json')
            out += [fmt.format_item(o) for o in chat('Again', stream=True)] + [fmt.outp]
            try: chat('fail')
            except Exception as e: out += [repr(e), str(e)]
            out += [json.dumps(e.asdict()) for e in chat.events('1+0?')]
            out += [repr(chat), repr(chat.hist), repr(chat.kw.keys()), repr(chat.use), json.dumps(chat.hist, default=str)]
            llm.add(Reply('Async hi.'))
            achat = AsyncChat('openai/gpt-4.1', **kw)
            out += [repr(asyncio.run(achat('hi'))), repr(achat.hist)]
        out += [str(w.message) for w in ws]
    finally:
        for name in ('LiteLLM', 'lisette_like', ''): logging.getLogger(name).removeHandler(h)
    out.append(log.getvalue())
    out += [p.read_bytes().decode('latin-1') for p in tmp_path.glob('*') if p.is_file()]  # the SQLite log (and its -wal), the saved chat
    return out

def test_no_key_in_library_outputs(tmp_path):
    from lisette_like.fakellm import FakeLLM
    with FakeLLM() as llm:
        outs = _outputs(llm, tmp_path)
        sent = [r.headers.get('x-api-key') or r.headers.get('authorization') for r in llm.requests]
    assert any(KEY in (s or '') for s in sent), 'the key must reach the provider, or this test proves nothing'
    leaks = [o[:200] for o in outs if KEY in str(o)]
    assert leaks == [], leaks

def test_no_key_in_cli_output(tmp_path):
    from lisette_like.fakellm import FakeLLM, Reply, Call
    with FakeLLM([Reply('Adding.', calls=[Call('add', {'a': 5, 'b': 3})]), Reply('8.'), Reply(fault='401')]) as llm:
        env = {**os.environ, 'ANTHROPIC_API_KEY': KEY, 'ANTHROPIC_API_BASE': llm.api_base, 'LITELLM_LOCAL_MODEL_COST_MAP': 'True',
               'LISETTE_LIKE_LOG': str(tmp_path/'cli.db')}  # a run on a provider is logged: the log must not hold the key either
        runs = [subprocess.run([sys.executable, '-m', 'lisette_like.cli', *args], capture_output=True, text=True, env=env, timeout=120)
                for args in (['What is 5+3?', '--tools', 'lisette_like.demo:add'], ['This one fails'])]
    assert len(llm.requests) == 3, [r.returncode for r in runs]
    for r in runs: assert KEY not in r.stdout + r.stderr, (r.stdout + r.stderr)[-500:]
    db = b''.join(p.read_bytes() for p in tmp_path.glob('cli.db*'))
    assert db, 'the CLI run was not logged, so the log check proves nothing'
    assert KEY.encode() not in db

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
    from lisette_like import events
    out, log, glob = [], io.StringIO(), []
    h = logging.StreamHandler(log); h.setLevel(logging.DEBUG)
    for name in ('LiteLLM', 'lisette_like', ''): logging.getLogger(name).addHandler(h)
    stop = events.observe(glob.append)  # global observers: every chat's events, and `instrument`'s call_* events
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
        stop()
        for name in ('LiteLLM', 'lisette_like', ''): logging.getLogger(name).removeHandler(h)
    out.append(log.getvalue())
    out += [json.dumps(e.asdict()) for e in glob]
    assert any(e.kind == 'call_end' for e in glob), 'no instrument event was seen'
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

# `redact=` hides the joined text of each stream, on every way events leave a chat: a property test.
SECRET = 'hunter2-Zq9x'

class _Paths:
    "One chat (logged, with a chat observer, a per-call observer and a global observer) and one nobody observes, on the same FakeLLM"
    def __init__(self, llm, tmp_path):
        from lisette_like.chat import Chat
        from lisette_like.events import Recorder
        kw = dict(api_base=llm.api_base, api_key='sk-ant-dummy-key-0000', retries=0, redact=[SECRET])
        self.llm, self.db = llm, tmp_path/'log.db'
        self.seen = Chat('claude-sonnet-4-5', log=str(self.db), **kw)
        self.unseen = Chat('claude-sonnet-4-5', **kw)
        self.chat_obs, self.call_obs, self.global_obs = Recorder(), Recorder(), Recorder()
        self.seen.observe(self.chat_obs)

    def turn(self, reply):
        "Have both chats answer `reply` (streamed, as a screen reads it; the observed one also not streamed); what each path out holds"
        from lisette_like import events
        self.llm.add(reply, reply, reply)
        stop = events.observe(self.global_obs)
        try:
            for _ in self.seen('go', stream=True, think='l', observers=[self.call_obs]): pass
            self.seen('again', think='l', observers=[self.call_obs])  # not streamed: call_end then sums up the answer
        finally: stop()
        for _ in self.unseen('go', stream=True, think='l'): pass
        return self.outs()

    def outs(self):
        "name -> what that path out holds: each stream's text joined, and every event as JSON"
        paths = dict(chat=self.chat_obs.events, call=self.call_obs.events, glob=self.global_obs.events,
                     since=self.unseen.events_since(0), since_seen=self.seen.events_since(0))
        res = {}
        for k, evs in paths.items():
            for kind in ('delta', 'reasoning'): res[f'{k}:{kind}'] = ''.join(e.data['text'] for e in evs if e.kind == kind)
            res[f'{k}:json'] = json.dumps([e.asdict() for e in evs], ensure_ascii=False)
        res['instrument'] = json.dumps([e.asdict() for e in self.global_obs.events if e.kind.startswith('call_')], ensure_ascii=False)
        res['log'] = b''.join(p.read_bytes() for p in self.db.parent.glob('log.db*')).decode('latin-1')
        return res

def _check_hidden(outs, reply):
    "The secret shows on no path, and each stream still says everything else"
    from lisette_like.events import Redactor
    leaks = {k: v[:300] for k, v in outs.items() if SECRET in v}
    assert not leaks, (reply.text, reply.thinking, reply.chunk, leaks)
    for k in ('chat', 'call', 'glob', 'since'):  # nothing else was lost: each path shows the turn's text, redacted whole
        assert outs[f'{k}:delta'].endswith(Redactor([SECRET])(reply.text)), (k, outs[f'{k}:delta'][-200:])
        assert outs[f'{k}:reasoning'].endswith(Redactor([SECRET])(reply.thinking)), (k, outs[f'{k}:reasoning'][-200:])
    assert '"call_end"' in outs['instrument'], 'no call_end was seen, so the instrument path proves nothing'

def test_redact_every_split(tmp_path):
    "The secret cut into two pieces at each of its positions, in the text and in the thinking, then into many small pieces"
    from lisette_like.fakellm import FakeLLM, Reply
    n = len(SECRET)
    with FakeLLM() as llm:
        p = _Paths(llm, tmp_path)
        for i in range(1, n):  # pieces of `n` characters: the secret's first `i` characters end one piece
            r = Reply(text='x' * (n - i) + SECRET + ' is the text', thinking='y' * (n - i) + SECRET + ' is the thought', chunk=n)
            _check_hidden(p.turn(r), r)
        r = Reply(text='x' * 75 + SECRET + ' after the cut', thinking='y', chunk=4)  # call_end's summary is cut at 80 characters
        _check_hidden(p.turn(r), r)
        for c in (1, 2, 5):
            r = Reply(text='hun' + SECRET + 'hunter', thinking=SECRET * 2, chunk=c)
            _check_hidden(p.turn(r), r)

from hypothesis import given, settings, HealthCheck, strategies as st

_near = st.text(alphabet='hunter2-Zq9x yz', max_size=90)  # texts made of the secret's own letters, to fool a gate

@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(before=_near, after=_near, tbefore=_near, chunk=st.integers(1, 14))
def test_redact_property(tmp_path_factory, before, after, tbefore, chunk):
    "Generated texts around the secret, cut at generated sizes (the secret straddles call_end's 80-character cut in some)"
    from lisette_like.fakellm import FakeLLM, Reply
    with FakeLLM() as llm:
        p = _Paths(llm, tmp_path_factory.mktemp('redact'))
        r = Reply(text=before + SECRET + after, thinking=tbefore + SECRET, chunk=chunk)
        _check_hidden(p.turn(r), r)

def test_redact_sse():
    "The web page's event stream (a chat observer, resumed from `events_since`) shows the secret cut in thinking pieces hidden, live and resumed"
    import httpx
    from lisette_like.fakellm import FakeLLM, Reply
    from lisette_like.chat import Chat
    from lisette_like.web import WebServer, app
    from test_unicode import _read_events
    with FakeLLM() as llm:
        llm.add(Reply(f'The text has {SECRET}.', thinking=f'The thought has {SECRET} in it', chunk=3))
        mk = lambda: Chat('claude-sonnet-4-5', api_base=llm.api_base, api_key='dummy', retries=0, redact=[SECRET])
        with WebServer(app(mk, think='l')) as srv:
            url = f"{srv.origin}/conversations/{httpx.post(f'{srv.origin}/conversations', headers=srv.headers).json()['id']}"
            assert httpx.post(f'{url}/messages', json={'text': 'go'}, headers=srv.headers).status_code == 202
            live, again = _read_events(f'{url}/events', srv.headers), _read_events(f'{url}/events', {**srv.headers, 'Last-Event-ID': '1:1'})
    for evs in (live, again):
        dump = json.dumps([e['data'] for e in evs])
        assert SECRET not in dump, dump[:500]
        joined = {k: ''.join(e['data']['data']['text'] for e in evs if e['event'] == k) for k in ('delta', 'reasoning')}
        assert joined == dict(delta='The text has [redacted].', reasoning='The thought has [redacted] in it'), joined

"""Any Python str is accepted wherever text enters a chat: lone surrogates, which UTF-8 can't encode, come from file names
that aren't valid UTF-8 (`os.listdir` gives '\\udcff'), from JSON ("\\ud800") a web client posts or a model streams. They are
made writable where they enter (`basics.safe_text`: a kept byte shows as `\\xff`, any other lone surrogate as U+FFFD), so the
terminal chat, the web page's event stream, the log and save/load all keep working. Each test ends what it starts."""
import json, os, shutil, subprocess, sys, time, warnings
from pathlib import Path
import pytest

BAD_NAME = os.fsdecode(b'caf\xff.txt')  # what os.listdir gives for a file name with a byte that isn't UTF-8: 'caf\udcff.txt'
ANSWER = 'I found caf\ud800 and \udcff here.'  # a model's answer with lone surrogates (FakeLLM sends them as JSON escapes)

def ls(where:str='.', # the folder to list
      )->str: # the file names, one a line
    "List the files of a folder"
    return f'{BAD_NAME}\n(listed {where})'

def _writable(o):
    "Assert `o`, as JSON, is text UTF-8 can encode"
    json.dumps(o, ensure_ascii=False, default=str).encode('utf-8')

def _script(llm, *more):
    from lisette_like.fakellm import Reply, Call
    llm.add(Reply('Listing.', calls=[Call('ls', {'where': 'my \ud800 folder'})], chunk=3), Reply(ANSWER, thinking='hmm \ud800', chunk=3), *more)

# ---- the log, and save/load ----

def _chat(llm, **kw):
    from lisette_like.chat import Chat
    return Chat('claude-sonnet-4-5', sp='Be brief \ud800', tools=[ls], api_base=llm.api_base, api_key='dummy', retries=0, **kw)

def test_history_log_and_save(tmp_path):
    "Prompts, the system prompt, a tool result, streamed and whole answers with lone surrogates: the log has every message, search works, save/load round-trips"
    from lisette_like.fakellm import FakeLLM, Reply
    from lisette_like import log, logdb
    from lisette_like.chat import Chat
    db = tmp_path/'log.db'
    with FakeLLM() as llm, warnings.catch_warnings():
        warnings.simplefilter('error', log.LogWarning)  # the log must never fall behind ("will catch up")
        _script(llm, Reply('Whole answer \ud800 too.'))
        chat = _chat(llm, log=str(db))
        for _ in chat('List my files \ud800', stream=True, think='l'): pass
        r = chat('And \udcff again?')
        chat.save(tmp_path/'chat.json')
        loaded = Chat.load(tmp_path/'chat.json', tools=[ls])
        llm.add(Reply('Still here.'))
        loaded.kw.update(api_base=llm.api_base, api_key='dummy')
        loaded('Go on')
    _writable(chat.hist); _writable(chat.sp)
    txt = json.dumps([_plain(m) for m in chat.hist], ensure_ascii=False)
    for s in ['caf\\\\xff.txt', 'I found caf\ufffd and \\\\xff here.', 'List my files \ufffd', 'Whole answer \ufffd too.']: assert s in txt, s
    assert chat.sp == 'Be brief \ufffd' and r.choices[0].message.content == 'Whole answer \ufffd too.'
    conv = chat._log.conv
    test_hist = log.history(conv, db)
    assert len(test_hist) == len(chat.hist) == 6, (len(test_hist), len(chat.hist))
    assert [json.dumps(m, default=str) for m in map(_plain, test_hist)] == [json.dumps(m, default=str) for m in map(_plain, chat.hist)]
    assert logdb.search('found here', path=db) and logdb.search('whole answer', path=db)
    assert (tmp_path/'chat.json').read_bytes().decode('utf-8')  # valid UTF-8
    assert [_plain(m) for m in loaded.hist[:6]] == [_plain(m) for m in chat.hist] and len(loaded.hist) == 8
    assert loaded.sp == chat.sp

def _plain(m):
    "Message `m` as a plain dict of its role, content and tool calls"
    from lisette_like.basics import get_path
    tcs = [(get_path(tc, 'id'), get_path(tc, 'function', 'name'), get_path(tc, 'function', 'arguments')) for tc in get_path(m, 'tool_calls') or []]
    return dict(role=get_path(m, 'role'), content=get_path(m, 'content'), tcs=tcs)

# ---- the web page's event stream ----

def _read_events(url, headers=None, timeout=30.):
    "The SSE messages of `url` up to a `done` event"
    import httpx
    from lisette_like.sse import parse_sse
    res = []
    with httpx.stream('GET', url, headers=headers, timeout=timeout) as r:
        assert r.status_code == 200, (r.status_code, r.read())
        for m in parse_sse(r.iter_lines()):
            if 'event' not in m: continue
            res.append(dict(m, data=json.loads(m['data'])))
            if m['event'] == 'done': break
    return res

def test_sse(tmp_path):
    "A message posted as JSON holding \"\\ud800\", a tool result and answers with lone surrogates: the stream completes, and resumes with Last-Event-ID"
    import httpx
    from lisette_like.fakellm import FakeLLM, Reply
    from lisette_like.web import WebServer, app
    with FakeLLM() as llm:
        _script(llm, Reply('Second \udcff answer.', chunk=2))
        with WebServer(app(lambda: _chat(llm))) as srv:
            cid = httpx.post(f'{srv.origin}/conversations', headers=srv.headers).json()['id']
            url = f'{srv.origin}/conversations/{cid}'
            r = httpx.post(f'{url}/messages', content=b'{"text": "List my files \\ud800"}', headers={**srv.headers, 'Content-Type': 'application/json'})
            assert r.status_code == 202, r.text
            evs = _read_events(f'{url}/events', srv.headers)
            assert [e['event'] for e in evs][0] == 'start' and evs[-1]['event'] == 'done', [e['event'] for e in evs]
            assert evs[0]['data']['data']['msg'] == 'List my files \ufffd'
            assert any('caf\\xff.txt' in (e['data'].get('line') or '') for e in evs), [e['data'].get('line') for e in evs]
            text = ''.join(e['data']['data']['text'] for e in evs if e['event'] == 'delta')
            assert text.endswith('I found caf\ufffd and \\xff here.'), text
            mid = evs[len(evs)//2]['id']
            again = _read_events(f'{url}/events', {**srv.headers, 'Last-Event-ID': mid})  # a reconnection resumes after `mid`
            assert [e['id'] for e in again] == [e['id'] for e in evs[len(evs)//2 + 1:]], (mid, [e['id'] for e in again])
            r = httpx.post(f'{url}/messages', content=b'{"text": "and \\udcff?"}', headers={**srv.headers, 'Content-Type': 'application/json'})
            assert r.status_code == 202, r.text
            evs2 = _read_events(f'{url}/events', {**srv.headers, 'Last-Event-ID': evs[-1]['id']})
            assert evs2[-1]['event'] == 'done' and 'Second \\xff answer.' in ''.join(e['data']['data'].get('text') or '' for e in evs2 if e['event'] == 'delta')
            assert len(_read_events(f'{url}/events', {**srv.headers, 'Last-Event-ID': '1:1'})) > 1  # the whole buffer replays too

# ---- the terminal chat, in a real pseudo-terminal ----

class _Tmux:
    "A command running in a tmux pseudo-terminal on a private tmux server (as nbs/18_term.ipynb drives the terminal chat)"
    def __init__(self, cmd:str, env:dict, width=110, height=50):
        self.sock = f'lisette-like-unicode-{os.getpid()}'
        sh = f'{cmd}; echo "[exit $?]"; sleep 600'
        subprocess.run(['tmux', '-L', self.sock, 'new-session', '-d', '-s', 't', '-x', str(width), '-y', str(height), sh],
                       check=True, env={**env, 'TERM': 'xterm-256color'})
    def tmux(self, *args): return subprocess.run(['tmux', '-L', self.sock, *args], capture_output=True, text=True, check=True).stdout
    def screen(self)->str: return self.tmux('capture-pane', '-p', '-J', '-t', 't', '-S', '-2000')
    def type(self, text:str): self.tmux('send-keys', '-t', 't', '-l', text); self.tmux('send-keys', '-t', 't', 'Enter')
    def wait(self, text:str, timeout=90)->str:
        "Wait until `text` is on the screen; the screen"
        end = time.time() + timeout
        while time.time() < end:
            s = self.screen()
            if text in s: return s
            if 'Traceback' in s: break
            time.sleep(0.1)
        raise AssertionError(f'{text!r} did not appear on the screen:\n{s}')
    def close(self): subprocess.run(['tmux', '-L', self.sock, 'kill-server'], capture_output=True)

def _cli():
    p = Path(sys.executable).parent/'lisette-like'
    return str(p) if p.exists() else shutil.which('lisette-like')

@pytest.mark.skipif(not shutil.which('tmux'), reason='tmux is needed: apt-get install tmux')
def test_terminal(tmp_path):
    "A tool returns a file name that isn't UTF-8 and the model answers with a lone surrogate: the chat goes on, /save works"
    from lisette_like.fakellm import FakeLLM, Reply
    from lisette_like import log, logdb
    (tmp_path/'badtools.py').write_text('''import os
def ls(where:str='.', # the folder to list
      )->str: # the file names, one a line
    "List the files of a folder"
    return os.fsdecode(b'caf\\xff.txt') + f'\\n(listed {where})'
''')
    saved, db = tmp_path/'chat.json', tmp_path/'cli.db'
    with FakeLLM() as llm:
        _script(llm, Reply('Still here \udcff.', chunk=2))
        env = {k: v for k, v in os.environ.items() if not k.endswith('_API_KEY') and k != 'TMUX'}
        env.update(ANTHROPIC_API_KEY='sk-ant-dummy-0000', ANTHROPIC_API_BASE=llm.api_base, LITELLM_LOCAL_MODEL_COST_MAP='True',
                   PYTHONPATH=f'{tmp_path}{os.pathsep}{env.get("PYTHONPATH", "")}', LISETTE_LIKE_LOG=str(db))
        t = _Tmux(f'{_cli()} --tools badtools:ls', env)
        try:
            t.wait('/help for commands')
            t.type('List my files'); t.wait('I found caf')
            t.type('Are you still there?'); t.wait('Still here')
            t.type(f'/save {saved}'); t.wait('Saved')
            t.type('/exit'); screen = t.wait('[exit 0]')
        finally: t.close()
    assert 'Traceback' not in screen and 'UnicodeEncodeError' not in screen, screen
    for s in ['caf\\xff.txt', 'I found caf\ufffd and \\xff here.', 'Still here \\xff.']: assert s in screen, (s, screen)
    d = json.loads(saved.read_text(encoding='utf-8'))
    txt = json.dumps(d['hist'], ensure_ascii=False)
    for s in ['caf\\\\xff.txt', 'I found caf\ufffd and \\\\xff here.', 'Still here \\\\xff.']: assert s in txt, s
    convs = logdb.conversations(path=db)
    assert len(convs) == 1 and len(log.history(convs[0]['id'], db)) == len(d['hist']) == 6, (convs, len(d['hist']))

"""The magics and the notebook as context in a real Jupyter kernel (ipykernel on this interpreter, no provider keys, so the
magics run on the offline demo model through real litellm and HTTP): `%%chat` and `%chat` stream live, named chats, `--new`,
`--get`, an error's short form, `%chat?`, and ``$`…` `` references (a variable, a DataFrame stand-in, In/Out, the last error,
a figure) reaching the request the demo provider received."""
import json, os, sys, time
from pathlib import Path
import pytest

root = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(root/'tools'))
import screenshot as shot  # tools/screenshot.py: a kernel spec for this interpreter

class Out:
    "What running one cell gave: its iopub messages (with arrival times) and its reply"
    def __init__(self, msgs, reply): self.msgs, self.reply = msgs, reply
    @property
    def status(self): return self.reply['status']
    def of(self, kind): return [c for _, t, c in self.msgs if t == kind]
    @property
    def tb(self): return [l for c in self.of('error') for l in c['traceback']]
    @property
    def stdout(self): return ''.join(c['text'] for c in self.of('stream') if c['name'] == 'stdout')
    def shown(self)->list:
        "The Markdown each display ends with, in order of the displays (a live display's last update wins)"
        res = {}
        for _, t, c in self.msgs:
            if t in ('display_data', 'update_display_data') and 'text/markdown' in c['data']:
                res[c.get('transient', {}).get('display_id') or len(res)] = c['data']['text/markdown']
        return list(res.values())
    @property
    def md(self)->str: return ''.join(self.shown())

class Kernel:
    "A kernel and its client: run a cell, collect what it sent until it was idle"
    def __init__(self, km, kc): self.km, self.kc = km, kc
    def run(self, code, timeout=90)->Out:
        mid, msgs = self.kc.execute(code), []
        while True:
            m = self.kc.get_iopub_msg(timeout=timeout)
            if m['parent_header'].get('msg_id') != mid: continue
            if m['msg_type'] == 'status' and m['content']['execution_state'] == 'idle': break
            msgs.append((time.time(), m['msg_type'], m['content']))
        while (r := self.kc.get_shell_msg(timeout=timeout))['parent_header'].get('msg_id') != mid: pass
        return Out(msgs, r['content'])
    def ok(self, code)->Out:
        o = self.run(code)
        assert o.status == 'ok', (code, o.tb, o.msgs[-3:])
        return o
    def value(self, expr:str):
        "The value of `expr` in the kernel, sent back as JSON"
        return json.loads(self.ok(f'import json as _j; print(_j.dumps({expr}))').stdout)

@pytest.fixture(scope='module')
def k(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('magics')
    km, kc = shot.start_kernel(tmp, root)
    k = Kernel(km, kc)
    k.ok('%load_ext lisette_like')
    k.ok("magics = get_ipython().find_magic('chat').__self__\n"
         "from lisette_like.chat import Chat\n"
         "def last_body(name): return magics.llms[name].requests[-1].body")
    yield k
    kc.stop_channels(); km.shutdown_kernel(now=True)

def text_of(content)->str:
    "The text of a message's content, a string or a list of parts"
    return content if isinstance(content, str) else ''.join(p.get('text', '') for p in content)

def summaries(md): return [l[len("<summary>"):-len("</summary>")] for l in md.splitlines() if l.startswith('<summary>🔧')]

def test_cell_magic_streams_the_tool_loop(k):
    o = k.ok('%%chat\nWhat is (5+3)*2?')
    assert o.stdout.startswith('(no ANTHROPIC_API_KEY set: running offline on the built-in local provider'), o.stdout
    assert summaries(o.md) == ['🔧 add(a=5, b=3) → 8', '🔧 mul(a=8, b=2) → 16'], o.md
    assert "`(5+3)*2` = **16**" in o.md and "<details class='response-footer'>\n<summary>claude-sonnet-4-5 · stop · " in o.md, o.md
    assert {t for _, t, _ in o.msgs} >= {'display_data'} and not o.of('error')

def test_reply_is_live(k):
    "The demo's story streams slowly: the display is updated many times while it arrives, not once at the end"
    o = k.ok('%chat -n story tell me a story')
    ups = [t for t, kind, _ in o.msgs if kind in ('display_data', 'update_display_data')]  # finished blocks in displays of their own, the tail updated
    assert len(ups) >= 5 and ups[-1] - ups[0] > 0.5, (len(ups), ups[-1] - ups[0] if ups else None)
    assert 'update_display_data' in {kind for _, kind, _ in o.msgs}
    assert 'The otter and the tide' in o.md and "class='response-footer'" in o.md

def test_line_magic_question(k):
    "A %chat line ending in ? is asked, not read as IPython's help request"
    o = k.ok('%chat What is 6*7?')
    assert '`6*7` = **42**' in o.md and not o.of('error'), o.md
    assert k.value("len(magics.chats['default'].hist)") >= 6  # it went on with the default chat

def test_named_chats(k):
    k.ok('%%chat -n review\nMy name is Ada.')
    assert 'Ada' in k.ok('%chat -n review What is my name?').md
    assert 'Ada' not in k.ok('%chat -n other What is my name?').md  # another name, another conversation
    assert set(k.value('sorted(magics.chats)')) >= {'default', 'review', 'other'}

def test_get_gives_the_chat_and_new_starts_afresh(k):
    k.ok('%%chat -n keep\nMy name is Grace.')
    k.ok("c = %chat -n keep --get\nc.save('keep.json')\nfrom lisette_like.chat import Chat\nback = Chat.load('keep.json')\nf = c.fork()")
    assert k.value("[type(c).__name__, c is magics.chats['keep'], len(back.hist) == len(c.hist) == 2, f is not c]") == ['Chat', True, True, True]
    o = k.ok('c')  # a chat shows itself
    assert o.of('execute_result')[0]['data']['text/markdown'].startswith('**Chat** with `claude-sonnet-4-5`, 2 messages')
    k.ok('c.undo()')
    assert 'Grace' not in k.ok('%chat -n keep What is my name?').md  # the magic goes on with the undone chat
    o = k.ok('%chat -n keep --new What is my name?')
    assert 'Grace' not in o.md
    assert k.value("[magics.chats['keep'] is c, len(magics.chats['keep'].hist), len(c.hist)]") == [False, 2, 2]

def test_error_is_short(k):
    k.ok("magics.chats['down'] = Chat('claude-sonnet-4-5', api_base='http://127.0.0.1:9', api_key='dummy', retries=0)")
    o = k.run('%%chat -n down\nHello?')
    assert o.status == 'error' and o.tb == ['(InternalServerError; %tb shows the full traceback)'], o.tb
    last = o.md.strip().splitlines()[-1]
    assert last.startswith('⚠️ claude-sonnet-4-5 (Anthropic): could not reach the provider') and 'Check your network' in last, last
    full = k.run('%tb').tb
    assert len(full) > 10 and 'ConnectError' in '\n'.join(full), full[:3]

def test_usage_error_is_one_line(k):
    o = k.run('%chat --tools nope What?')
    assert o.status == 'error', o.msgs
    text = ''.join(c['text'] for c in o.of('stream')) + '\n'.join(o.tb)
    assert "UsageError: bad tool 'nope': no 'nope' in the notebook (or write module:function)" in text, text
    assert 'Traceback' not in text

def test_help_lists_every_option(k):
    o = k.ok('%chat?')
    page = ''.join(p['data']['text/plain'] for p in o.reply['payload'] if p.get('source') == 'page')
    for s in ['%chat [-n NAME]', '--model MODEL', '--tools TOOLS', '--sp SP', '--think [{l,m,h}]', '--max-steps MAX_STEPS',
              '--new', '--get', '--offline', '$`error`', '$`In[3]`']: assert s in page, s

# --- the notebook as context

def test_context_variable_frame_in_out_and_error(k):
    k.ok('class Frame:\n'
         '    "A stand-in for a pandas DataFrame (pandas may not be installed)"\n'
         '    shape = (3, 2)\n    columns = ["city", "pop"]\n    dtypes = {"city": "object", "pop": "int64"}\n'
         '    def head(self, n=5): return self\n'
         '    def to_string(self): return "city  pop\\nOslo  709\\nRome  2873\\nLima  9751"\n'
         'df, x = Frame(), 41')
    n_in = k.ok('x + 1').reply['execution_count']  # In[n_in] is 'x + 1', Out[n_in] is 42
    assert k.run('1/0').status == 'error'
    o = k.ok(f'%%chat -n ctx\nLook at $`x`, $`df`, $`In[{n_in}]`, $`Out[{n_in}]`, $`error` and \\$`x`, not $`nope`.')
    body = k.value("last_body('ctx')")
    text = text_of(body['messages'][-1]['content'])
    assert text.startswith(f'Look at `x`, `df`, `In[{n_in}]`, `Out[{n_in}]`, `error` and $`x`, not $`nope`.'), text
    for s in ['<context ref="x" type="int">\n41\n</context>',
              '<context ref="df" type="Frame">\nFrame: 3 rows × 2 columns\ncolumns: city (object), pop (int64)\nfirst 3 rows:\ncity  pop\nOslo  709',
              f'<context ref="In[{n_in}]" type="str">\nx + 1\n</context>', f'<context ref="Out[{n_in}]" type="int">\n42\n</context>',
              '<context ref="error" type="ZeroDivisionError">\nTraceback (most recent call last):']: assert s in text, (s, text)
    assert 'ZeroDivisionError: division by zero' in text and 'nope' not in text.split('</context>')[0].split('\n\n', 1)[1]
    fold = o.shown()[0]  # what was inserted, shown folded above the answer
    assert fold.startswith("<details class='context-details'") and '<summary>📎 inserted: <code>x</code>, <code>df</code>' in fold, fold
    assert "⚠️ <code>$`nope`</code>: no variable &#x27;nope&#x27; in the notebook; left as written" in fold

def test_context_figure_is_an_image(k):
    k.ok('from matplotlib.figure import Figure\nfig = Figure(figsize=(3, 2))\nfig.subplots().plot([1, 3, 2])')
    o = k.ok('%chat -n ctx What does $`fig` show?')
    parts = k.value("last_body('ctx')")['messages'][-1]['content']
    assert [p['type'] for p in parts] == ['text', 'image'], parts
    assert parts[1]['source']['media_type'] == 'image/png' and len(parts[1]['source']['data']) > 1000
    assert '<context ref="fig" type="Figure">\n(image 1, after this text)\n</context>' in parts[0]['text']
    assert '<img src="data:image/' in o.shown()[0]

def test_nbprompt_in_a_plain_chat_call(k):
    "chat(nbprompt(...)) expands against the notebook and shows the fold; chat(...) alone sends the text as it is"
    k.ok("from lisette_like.nbcontext import nbprompt\nplain = magics.chats['ctx']")
    o = k.ok("plain(nbprompt('Twice $`x`?'))")
    assert '<code>x</code>' in o.shown()[0]
    assert text_of(k.value("last_body('ctx')['messages'][-1]['content']")).startswith('Twice `x`?\n\n<context ref="x" type="int">\n41\n</context>')
    k.ok("plain('Twice $`x`?')")
    assert text_of(k.value("last_body('ctx')['messages'][-1]['content']")) == 'Twice $`x`?'

# --- a conversation as a notebook, in the kernel

def test_saved_notebook_loads_back_and_runs(k, tmp_path):
    "A magic's chat saved as a notebook loads back as the same chat (sync, and an AsyncChat's in an async cell); the notebook runs in a fresh kernel, its cells asked again"
    k.ok('%%chat -n nbsave\nWhat is (5+3)*2?')
    k.ok('%chat -n nbsave My name is Ada.')
    p, ap = tmp_path/'talk.ipynb', tmp_path/'atalk.ipynb'
    k.ok(f"from lisette_like.persist import chat_to_dict\nc = %chat -n nbsave --get\nc.save({str(p)!r})\nback = Chat.load({str(p)!r})")
    assert k.value("[chat_to_dict(back)['hist'] == chat_to_dict(c)['hist'], len(c.hist), back.load_edits]") == [True, 8, []]
    k.ok("from lisette_like.asyncchat import AsyncChat\nkw = dict(api_base=magics.llms['nbsave'].api_base, api_key='dummy')\n"
         f"ac = AsyncChat('claude-sonnet-4-5', **kw)\nawait ac('What is 2+3?')\nac.save({str(ap)!r})\n"
         f"aback = AsyncChat.load({str(ap)!r}, **kw)\nr = await aback('My name is Ada.')")
    assert k.value("[type(aback).__name__, chat_to_dict(aback)['hist'][:4] == chat_to_dict(ac)['hist'], len(aback.hist), 'Ada' in r.choices[0].message.content]") == ['AsyncChat', True, 6, True]
    import nbformat
    saved = nbformat.read(p, as_version=4)
    ran = shot.run_notebook(p, tmp_path/'run')  # a fresh kernel, no keys: the offline demo answers again
    chats = [c for c in ran.cells if c.cell_type == 'code' and c.source.startswith('%%chat')]
    assert [c.source for c in chats] == [c.source for c in saved.cells if c.cell_type == 'code' and c.source.startswith('%%chat')]
    assert len(chats) == 2 and not [o for c in ran.cells for o in c.get('outputs', []) if o.output_type == 'error']
    mds = [''.join(o.data.get('text/markdown', '') for o in c.outputs if 'data' in o) for c in chats]
    assert '**16**' in mds[0] and '🔧 mul(a=8, b=2) → 16' in mds[0] and 'Ada' in mds[1], mds

"""The notebook view in a real Jupyter kernel: samples/tour.ipynb is run with nbclient (ipykernel on this interpreter), its saved
mime bundles are checked, and it is rendered to HTML and photographed by headless Chromium, by the same steps as
tools/screenshot.py, which makes the README's screenshot. Chromium missing is a failure, not a skip: CI installs it."""
import os, sys, re, asyncio, time
from pathlib import Path
import pytest

root = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(root/'tools'))
import screenshot as shot  # tools/screenshot.py

@pytest.fixture(scope='module')
def tmp(tmp_path_factory): return tmp_path_factory.mktemp('kernel')

@pytest.fixture(scope='module')
def nb(tmp): return shot.run_notebook(shot.tour, tmp)

def cell(nb, src):
    "The one code cell of `nb` whose source contains `src`"
    cs = [c for c in nb.cells if c.cell_type == 'code' and src in c.source]
    assert len(cs) == 1, (src, len(cs))
    return cs[0]

def bundles(c): return [o['data'] for o in c.outputs if 'data' in o]

def md_of(c, live=False):
    "The Markdown of a cell's one rich output (`live`: of its live display's outputs, read in order)"
    ms = [d['text/markdown'] for d in bundles(c) if 'text/markdown' in d]
    assert live or len(ms) == 1, c.outputs
    return ''.join(ms)

def summaries(md): return re.findall(r"<details class='tool-usage-details'[^>]*>\n<summary>(.*)</summary>", md)

def test_kernel_is_this_interpreter(tmp):
    spec = shot.kernel_manager(tmp).kernel_spec
    assert spec.argv[0] == sys.executable and spec.env['LITELLM_LOCAL_MODEL_COST_MAP'] == 'True'

def test_no_errors_or_raw_dumps(nb):
    outs = [o for c in nb.cells if c.cell_type == 'code' for o in c.outputs]
    assert not [o for o in outs if o.output_type == 'error'], 'a cell raised'
    assert not [o for o in outs if o.get('name') == 'stderr'], [o.text for o in outs if o.get('name') == 'stderr']  # no litellm banners
    text = str(outs)
    for s in ['Usage(', 'CompletionTokensDetailsWrapper', 'ModelResponse(', 'object at 0x', 'Give Feedback']: assert s not in text, s

def test_response_footer(nb):
    md = md_of(cell(nb, "chat('What is (5+3)*2?'"))
    assert md.startswith('(5+3)*2 = **16**.\n\n'), md
    line = re.search(r"<details class='response-footer'>\n<summary>(.*)</summary>", md).group(1)
    assert re.fullmatch(r'claude-sonnet-4-5 · stop · \d+ in / \d+ out tokens · \$0\.\d{6}', line), line
    for s in ['- stop reason: `stop`', '- tokens cached: 0', '- cost: $0.']: assert s in md, s

def test_last_turn_shows_the_tool_steps(nb):
    md = md_of(cell(nb, 'chat.last_turn'))
    assert summaries(md) == ['🔧 add(a=5, b=3) → 8', '🔧 mul(a=8, b=2) → 16'], md
    assert md.startswith('First the sum.') and md.endswith('(5+3)*2 = **16**.'), md
    from lisette_like.tool_msgs import fmt2hist
    assert [m['content'] for m in fmt2hist(md) if m['role'] == 'tool'] == ['8', '16']

def test_live_stream_ends_on_the_whole_loop(nb):
    c = cell(nb, 'display_stream(')
    md = md_of(c, live=True)  # finished blocks in outputs of their own, the tail updated in place: each one's last update is saved
    assert summaries(md) == ['🔧 add(a=2, b=3) → 5', '🔧 mul(a=5, b=4) → 20'], md
    answer, footer = md.split("\n\n<details class='response-footer'>\n<summary>")  # a streamed answer ends with the footer a plain one shows
    assert answer.endswith('(2+3)*4 = **20**.') and footer.startswith('claude-sonnet-4-5 · stop · '), md
    assert {o.output_type for o in c.outputs} == {'display_data'}

def test_chat_repr(nb):
    d, = bundles(next(c for c in nb.cells if c.cell_type == 'code' and c.source.strip() == 'chat'))
    assert d['text/markdown'].startswith('**Chat** with `claude-sonnet-4-5`, 12 messages\n\n- tools: `add`, `mul`\n- usage: 6 calls, '), d
    assert re.fullmatch(r"Chat\('claude-sonnet-4-5': 12 messages, tools: add, mul; 6 calls, \d+ tokens in / \d+ out, cost \$0\.\d{6}\)",
                        d['text/plain']), d['text/plain']
    printed = cell(nb, 'print(repr(chat))').outputs[0].text.strip()
    assert printed == d['text/plain']

def test_asyncchat_repr():
    "AsyncChat inherits both views, under its own name"
    from lisette_like.asyncchat import AsyncChat
    from lisette_like.fakellm import FakeLLM, Reply, Call
    from lisette_like.demo import add
    with FakeLLM([Reply(calls=[Call('add', {'a': 1, 'b': 2})]), Reply('3')]) as llm:
        chat = AsyncChat('openai/gpt-4.1', tools=[add], api_base=llm.api_base, api_key='dummy')
        asyncio.run(chat('1+2?'))
    assert re.fullmatch(r"AsyncChat\('openai/gpt-4.1': 4 messages, tools: add; 2 calls, \d+ tokens in / \d+ out, cost \$\d\.\d{6}\)", repr(chat)), repr(chat)
    assert chat._repr_markdown_().startswith('**AsyncChat** with `openai/gpt-4.1`, 4 messages')
    assert '🔧 add(a=1, b=2) → 3' in chat.last_turn

def is_png(b:bytes)->bool: return b[:8] == b'\x89PNG\r\n\x1a\n'

def test_html_and_screenshot(nb, tmp):
    html = shot.to_html(nb)
    assert '🔧 add(a=5, b=3) → 8' in html and "class='response-footer'" in html.replace('"', "'")
    assert not re.search(r'<script[^>]*src="https?://', html), 'the page must not fetch anything'
    page = tmp/'tour.html'
    page.write_text(html)
    png = shot.shoot(page, tmp/'tour.png', tmp)  # raises, naming what to install, if chromium is missing
    b = png.read_bytes()
    assert is_png(b) and len(b) > 20_000, len(b)
    from PIL import Image  # installed with matplotlib, a dev requirement
    im = Image.open(png).convert('L')
    assert im.size == (1000, 1400)
    lo, hi = im.getextrema()
    assert hi - lo > 128 and len(im.getcolors(1 << 16) or range(1 << 16)) > 16, 'the screenshot is blank'

def test_readme_screenshot_nb(nb):
    "The cells tools/screenshot.py keeps: the live loop with its first fold open, and the chat"
    s = shot.tool_loop_nb(nb)
    assert [c.source.split('(')[0] for c in s.cells if c.cell_type == 'code'] == ['fmt = display_stream', 'chat']
    md = md_of(s.cells[1], live=True)
    assert md.count("<details class='tool-usage-details' open ") == 1 and md.count("<details class='tool-usage-details' style") == 1

def test_missing_chromium_fails_clearly(tmp, monkeypatch):
    monkeypatch.setattr(shot, 'chromium', str(tmp/'no-such-chromium'))
    with pytest.raises(FileNotFoundError, match='apt-get install chromium'): shot.shoot(tmp/'x.html', tmp/'x.png', tmp)

# --- Errors, Stop and stream objects in a live kernel (issue 21): a kernel driven message by message, so a test can press Stop

@pytest.fixture(scope='module')
def kernel(tmp):
    "A client of a fresh kernel on this interpreter, with a chat and an async chat on a FakeLLM whose answers stream slowly"
    km = shot.kernel_manager(tmp)
    km.start_kernel(env={k: v for k, v in os.environ.items() if not k.endswith(('_API_KEY', '_API_BASE', '_BASE_URL'))})
    kc = km.client(); kc.start_channels(); kc.wait_for_ready(60)
    k = Kernel(km, kc)
    out = k.run("from lisette_like.chat import Chat\nfrom lisette_like.asyncchat import AsyncChat\nfrom lisette_like.fakellm import FakeLLM, Reply\n"
                "import time\nstops = []  # when each turn ended, by its `done` event\n"
                "def reply(req): return Reply('Fine.') if req.last_text == 'Again' else Reply('word ' * 400, chunk=5, pace=0.02)\n"
                "llm = FakeLLM([reply] * 40).start()\n"
                "chat, achat = [C('claude-sonnet-4-5', api_base=llm.api_base, api_key='dummy') for C in (Chat, AsyncChat)]\n"
                "for c in (chat, achat): c.subs.append(lambda e: e.kind == 'done' and stops.append(time.time()))")
    assert out.status == 'ok', out.msgs
    yield k
    kc.stop_channels(); km.shutdown_kernel(now=True)

class Kernel:
    "Run cells in a kernel, optionally pressing Stop once a condition on an output holds"
    def __init__(self, km, kc): self.km, self.kc = km, kc

    def run(self, code, stop_when=None, timeout=60):
        "Run `code`; the cell's iopub messages (with their arrival times), its reply status, and when it was interrupted and went idle"
        mid, msgs, t_int = self.kc.execute(code), [], None
        while True:
            m = self.kc.get_iopub_msg(timeout=timeout)
            if m['parent_header'].get('msg_id') != mid: continue
            t, c = m['msg_type'], m['content']
            if t == 'status' and c['execution_state'] == 'idle': break
            msgs.append((time.time(), t, c))
            if stop_when and t_int is None and stop_when(t, c): t_int = time.time(); self.km.interrupt_kernel()
        t_idle = time.time()
        while (r := self.kc.get_shell_msg(timeout=timeout))['parent_header'].get('msg_id') != mid: pass
        return Out(msgs, r['content']['status'], t_int, t_idle)

    def value(self, code):
        "The text of expression `code`'s value, evaluated in the kernel"
        o = self.run(code)
        return next(c['data']['text/plain'] for _, t, c in o.msgs if t == 'execute_result')

class Out:
    def __init__(self, msgs, status, t_int, t_idle): self.msgs, self.status, self.t_int, self.t_idle = msgs, status, t_int, t_idle
    def of(self, kind): return [c for _, t, c in self.msgs if t == kind]
    @property
    def tb(self): return [l for c in self.of('error') for l in c['traceback']]

def streaming(t, c): return t in ('display_data', 'update_display_data') and 'word word' in str(c)

def test_failing_call_is_a_few_lines(kernel):
    o = kernel.run("Chat('claude-sonnet-4-5', api_base='http://127.0.0.1:9', api_key='dummy', retries=0)('hi')")
    assert o.status == 'error' and len(o.of('error')) == 1
    assert len(o.tb) <= 3 and sum(map(len, o.tb)) < 400, o.tb
    assert o.tb[0].startswith('⚠️ claude-sonnet-4-5 (Anthropic): could not reach the provider') and 'Check your network connection' in o.tb[0], o.tb
    assert '%tb shows the full traceback' in o.tb[-1]
    full = kernel.run('%tb').tb  # ... and %tb shows the whole traceback after all
    assert len(full) > 10 and 'ConnectError' in '\n'.join(full), full[:3]

def last_md(o)->str:
    "The Markdown of the last display message a run sent (a live display's last update)"
    return next(c['data']['text/markdown'] for _, t, c in reversed(o.msgs) if t in ('display_data', 'update_display_data'))

def test_failing_stream_is_a_few_lines(kernel):
    o = kernel.run("Chat('claude-sonnet-4-5', api_base='http://127.0.0.1:9', api_key='dummy', retries=0)('hi', stream=True)")
    assert o.status == 'error', o.msgs  # the cell failed (running all cells stops there), though the error came from the display
    assert o.tb == ['(InternalServerError; %tb shows the full traceback)'], o.tb  # the display already ends with explain's line...
    assert 'could not reach the provider' in last_md(o).strip().splitlines()[-1], last_md(o)  # ... so the error adds just its type and the hint
    assert 'ChatStream' not in str(o.msgs) and 'generator object' not in str(o.msgs)

@pytest.mark.parametrize('cell', ["chat('Talk', stream=True)", "await achat('Talk', stream=True)", "achat('Talk', stream=True)"])
def test_stop_a_stream(kernel, cell):
    "A stream as a cell's value shows live; Stop shows one marker line, the cell is idle within a second of the turn's end, the next call works"
    n = int(kernel.value('len(stops)'))
    o = kernel.run(cell, stop_when=streaming)
    assert o.t_int is not None and o.status == 'error', [(t, str(c)[:300]) for _, t, c in o.msgs[-4:]]
    assert last_md(o).strip().splitlines()[-1] == '⏹ interrupted: the partial answer is kept', last_md(o)  # the display ends with the marker...
    assert o.tb == [f'({"KeyboardInterrupt" if cell.startswith("chat") else "CancelledError"}; %tb shows the full traceback)'], o.tb  # ... the error adds its hint
    assert [t for _, t, _ in o.msgs if 'display' in t][:2] == ['display_data', 'update_display_data']  # one display, updated in place
    stops = eval(kernel.value('stops'))
    assert len(stops) == n + 1, stops  # the turn ended (its `done` event)...
    assert o.t_idle - stops[-1] < 1.0, o.t_idle - stops[-1]  # ... and the cell was idle within a second of it
    assert kernel.value("chat.hist[-1]['content'][-60:] if 'achat' not in " + repr(cell) + " else achat.hist[-1]['content'][-60:]").endswith("<warning>Interrupted: the answer stopped here.</warning>'")
    o = kernel.run("len(list(chat('Again', stream=True, max_steps=0))) > 0 if 'achat' not in " + repr(cell) + " else (await achat('Again')).choices[0].finish_reason")
    assert o.status == 'ok', o.tb

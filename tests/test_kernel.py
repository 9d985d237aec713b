"""The notebook view in a real Jupyter kernel: samples/tour.ipynb is run with nbclient (ipykernel on this interpreter), its saved
mime bundles are checked, and it is rendered to HTML and photographed by headless Chromium, by the same steps as
tools/screenshot.py, which makes the README's screenshot. Chromium missing is a failure, not a skip: CI installs it."""
import os, sys, re, asyncio
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

def summaries(md): return re.findall(r"<details class='tool-usage-details'>\n<summary>(.*)</summary>", md)

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
    assert md.count("<details class='tool-usage-details' open>") == 1 and md.count("<details class='tool-usage-details'>") == 1

def test_missing_chromium_fails_clearly(tmp, monkeypatch):
    monkeypatch.setattr(shot, 'chromium', str(tmp/'no-such-chromium'))
    with pytest.raises(FileNotFoundError, match='apt-get install chromium'): shot.shoot(tmp/'x.html', tmp/'x.png', tmp)

"""Issue 21 in the real client: a notebook run in real JupyterLab 4, in headless Chromium, and its rendered DOM checked.

One JupyterLab and one browser serve every test (tests/jlab.py). The notebook's cells use `FakeLLM` inside the kernel, a
new one per case answering that case's replies; each test runs its own cells by clicking and Shift+Enter, and checks
what the page shows: folds that stay open mid-stream, `$` amounts, short error and interrupt blocks, footers on streamed
answers, image thumbnails in tool folds. Each case is photographed (light theme) into a temporary folder whose path is
printed; `LISETTE_SCREENSHOTS=<dir>` keeps them there, and `tools/readme_shot.py` remakes the README's picture from them.
Skipped, with the reason, when Chromium, JupyterLab or playwright is missing."""
import contextlib, json, os, re, sys
from pathlib import Path
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import jlab

if (why := jlab.missing()): pytest.skip(why, allow_module_level=True)

setup = '''import io, os
os.environ.setdefault('LITELLM_LOCAL_MODEL_COST_MAP', 'True')
from PIL import Image
from lisette_like import Chat
from lisette_like.fakellm import FakeLLM, Reply, Call
from lisette_like.demo import add, mul
from lisette_like.live import display_stream
model = 'claude-sonnet-4-5'

def fake(*replies):
    "The settings that reach a new FakeLLM answering `replies`: each case has its own, whatever the others leave unread"
    return dict(api_base=FakeLLM(list(replies)).start().api_base, api_key='dummy')

def red_square(size:int=24, # side in pixels
              )->bytes: # the PNG file's bytes
    "A red square, as PNG bytes"
    b = io.BytesIO(); Image.new('RGB', (size, size), 'red').save(b, 'PNG'); return b.getvalue()

def city(name:str, # the city
        )->dict: # facts about it
    "Facts about a city"
    return {'city': name, 'population': 2100000, 'rivers': ['Seine']}

def poem(topic:str, # what the poem is about
        )->str: # the poem
    "A two-line poem"
    return f"Roses are red,\\n{topic} is blue."'''

dollars = 'The small one costs $5 and the big one costs $10.'
# Each case: its cell, by name. A reply's `pace` (seconds between streamed events) makes a stream slow enough to act on.
cells = dict(
    setup=setup,
    plain="Chat(model, **fake(Reply('Hello! **How** can I help?')))('hi')",
    tool_loop='''kw = fake(Reply('First the sum.', calls=[Call('add', {'a': 5, 'b': 3})], pace=0.02),
          Reply('Now double it.', calls=[Call('mul', {'a': 8, 'b': 2})], pace=0.15),
          Reply('(5+3)*2 = **16**. ' + 'Each step ran as a tool, folded under its line. '*6 + 'Done.', pace=0.03))
chat = Chat(model, tools=[add, mul], **kw)
display_stream(chat('What is (5+3)*2?', stream=True, max_steps=5))''',
    dollars=f"Chat(model, **fake(Reply({dollars!r})))('What do they cost?')",
    dollars_streamed=f"display_stream(Chat(model, **fake(Reply({dollars!r})))('What do they cost?', stream=True))",
    math="Chat(model, **fake(Reply('Its area is $x^2$.')))('What is its area?')",
    error="Chat(model, api_base='http://127.0.0.1:9', api_key='dummy')('hi')",
    stream_footer="display_stream(Chat(model, **fake(Reply('A streamed **answer**.')))('hi', stream=True))",
    stream_value="Chat(model, **fake(Reply('A streamed **answer**, shown by itself.')))('hi', stream=True)",
    image='''kw = fake(Reply('Drawing it.', calls=[Call('red_square', {'size': 24})]), Reply('Here is the red square.'))
chat = Chat(model, tools=[red_square], **kw)
display_stream(chat('Draw a red square', stream=True, max_steps=3))''',
    interrupt='''chat = Chat(model, **fake(Reply('Once upon a time, a model streamed a story. '*40, pace=0.05), Reply('Still here.')))
display_stream(chat('Tell me a long story', stream=True))''',
    after_interrupt="chat('Are you there?')",
    results='''kw = fake(Reply('Looking it up.', calls=[Call('city', {'name': 'Paris'}), Call('poem', {'topic': 'Paris'})]), Reply('Paris has **2.1 M** people.'))
chat = Chat(model, tools=[city, poem], **kw)
chat('Tell me about Paris', max_steps=3)
chat.last_turn''',
    thinking="Chat(model, **fake(Reply('Four.', thinking='Two and two make four, so the answer is four.', pace=0.05)))('What is 2+2?', stream=True, think='l')",
)
idx = {k:i for i,k in enumerate(cells)}

@pytest.fixture(scope='module')
def shots(tmp_path_factory, request):
    "The screenshots' folder: `LISETTE_SCREENSHOTS` if set (kept), else a temporary one; its path is printed"
    d = Path(os.environ['LISETTE_SCREENSHOTS']) if os.environ.get('LISETTE_SCREENSHOTS') else tmp_path_factory.mktemp('jlab_shots')
    d.mkdir(parents=True, exist_ok=True)
    yield d
    capman = request.config.pluginmanager.getplugin('capturemanager')  # print past pytest's capture, when it captures
    with capman.global_and_fixture_disabled() if capman else contextlib.nullcontext(): print(f'\nJupyterLab screenshots: {d}')

@pytest.fixture(scope='module')
def nb(tmp_path_factory):
    "The notebook of `cells`, open in real JupyterLab in Chromium, its setup cell run"
    lab,pg = jlab.open_notebook(tmp_path_factory.mktemp('jlab'), 'issue21.ipynb', list(cells.values()))
    try:
        pg.run(idx['setup'], timeout=90)
        assert not errors(pg, 'setup'), errors(pg, 'setup')
        yield pg
    finally: pg.close(); lab.stop()

def out(pg, name): return pg.output(idx[name])
def md(pg, name):
    "The cell's Markdown outputs, rendered"
    return out(pg, name).locator('.jp-RenderedMarkdown')
def errors(pg, name)->str:
    "The text of the cell's stderr and error outputs, as shown"
    return '\n'.join(out(pg, name).locator('[data-mime-type="application/vnd.jupyter.stderr"]').all_inner_texts())
def shot(pg, shots, name): pg.shot(idx[name], shots/f'{name}.png')

def is_open(pg, name, i=0)->bool:
    "Whether the cell's `i`th tool fold is open now (looked up afresh: a re-render makes a new element)"
    return out(pg, name).locator('details.tool-usage-details').nth(i).evaluate('e => e.open')

def test_plain_answer_renders_markdown_and_footer(nb, shots):
    nb.run(idx['plain'])
    assert md(nb, 'plain').locator('strong').first.inner_text() == 'How'
    assert 'claude-sonnet-4-5 · stop' in md(nb, 'plain').locator('details.response-footer summary').inner_text()
    shot(nb, shots, 'plain')

def test_fold_opened_mid_stream_stays_open(nb, shots):
    "A tool fold opened while the turn streams on stays open at the next updates and at the end"
    nb.run(idx['tool_loop'], wait=False)
    folds = out(nb, 'tool_loop').locator('details.tool-usage-details')
    folds.first.wait_for()
    folds.first.locator('summary').click()
    assert nb.prompt(idx['tool_loop']) == '[*]:', 'the stream ended before its fold could be opened: slow the script down'
    text = lambda: out(nb, 'tool_loop').inner_text()
    t0 = text()
    jlab.wait_for(lambda: text() != t0, 20, 'an update after the fold was opened')
    open_mid = is_open(nb, 'tool_loop')
    jlab.wait_for(lambda: 'Now double it' in text(), 20, "the second step's text")
    open_later = is_open(nb, 'tool_loop')
    nb.wait_done(idx['tool_loop'])
    assert folds.count() == 2 and 'Done.' in text(), text()
    shot(nb, shots, 'tool_loop')
    assert (open_mid, open_later, is_open(nb, 'tool_loop')) == (True, True, True), 'the fold snapped shut (after the next update, later, at the end)'

def test_dollars_are_text_and_math_is_math(nb, shots):
    "A `$5 … $10` answer shows both `$` and no MathJax, plain and streamed, while `$x^2$` is typeset"
    for k in ('dollars', 'dollars_streamed', 'math'): nb.run(idx[k])
    md(nb, 'math').locator('mjx-container').first.wait_for(timeout=30_000)  # MathJax has typeset the page's Markdown
    for k in ('dollars', 'dollars_streamed'): shot(nb, shots, k)
    shot(nb, shots, 'math')
    for k in ('dollars', 'dollars_streamed'):
        assert md(nb, k).locator('mjx-container').count() == 0, f'{k}: part of the answer is typeset as math'
        assert dollars in md(nb, k).first.inner_text(), (k, md(nb, k).first.inner_text())

def test_error_is_a_few_lines(nb, shots):
    "A provider error shows explain()'s line and the %tb hint, not a wall of httpx frames"
    nb.run(idx['error'])
    shot(nb, shots, 'error')
    e = errors(nb, 'error')
    lines = [l for l in e.splitlines() if l.strip()]
    assert lines, 'no error shown'
    assert 'httpx' not in e, e[:2000]
    assert len(lines) <= 6, f'{len(lines)} lines:\n{e[:2000]}'
    assert '%tb' in e, e

def test_stream_ends_with_footer(nb, shots):
    nb.run(idx['stream_footer'])
    shot(nb, shots, 'stream_footer')
    assert md(nb, 'stream_footer').last.locator('strong').first.inner_text() == 'answer'
    assert out(nb, 'stream_footer').locator('details.response-footer').count() == 1, out(nb, 'stream_footer').inner_text()

def test_stream_as_cell_value_shows_itself(nb, shots):
    "A cell whose value is `chat(..., stream=True)` shows the answer and its footer, not `<generator object …>`"
    nb.run(idx['stream_value'])
    shot(nb, shots, 'stream_value')
    t = out(nb, 'stream_value').inner_text()
    assert 'generator object' not in t and 'shown by itself' in t, t
    assert out(nb, 'stream_value').locator('details.response-footer').count() == 1, t

def test_tool_image_thumbnail(nb, shots):
    "An image a tool returns shows as an `<img>` inside its fold"
    nb.run(idx['image'])
    fold = out(nb, 'image').locator('details.tool-usage-details').first
    fold.locator('summary').click()
    jlab.wait_for(lambda: fold.evaluate('e => e.open'), 5, 'the fold to open')
    shot(nb, shots, 'image')
    img = fold.locator('img')
    assert img.count() >= 1, fold.inner_text()
    jlab.wait_for(lambda: img.first.evaluate('e => e.complete && e.naturalWidth > 0'), 10, 'the thumbnail to load')

def test_interrupt_marks_the_display_and_frees_the_kernel(nb, shots):
    "Stop mid-stream: the live display ends with the interrupted marker, the kernel is idle within ~1 s, the chat goes on"
    i = idx['interrupt']
    nb.run(i, wait=False)
    md(nb, 'interrupt').first.wait_for()
    jlab.wait_for(lambda: 'Once upon a time' in out(nb, 'interrupt').inner_text(), 30, 'the story to stream')
    nb.page.evaluate('''() => { const el = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator');
        window._idleAt = null;
        new MutationObserver(() => { if (el.dataset.status === 'idle' && !window._idleAt) window._idleAt = Date.now(); })
            .observe(el, {attributes: true}); }''')
    t_click = nb.page.evaluate('Date.now()')
    nb.panel.locator('.jp-NotebookPanel-toolbar [data-command="notebook:interrupt-kernel"]').click()
    nb.wait_done(i, timeout=30)
    idle_at = jlab.wait_for(lambda: nb.page.evaluate('window._idleAt'), 30, 'the kernel to be idle')
    delay = (idle_at - t_click)/1000
    nb.run(idx['after_interrupt'])
    shot(nb, shots, 'interrupt'); shot(nb, shots, 'after_interrupt')
    (shots/'interrupt.json').write_text(json.dumps(dict(stop_to_idle_s=delay)))
    last = [l for l in md(nb, 'interrupt').last.inner_text().splitlines() if l.strip()][-1]
    e = errors(nb, 'interrupt')
    problems = []
    if '⏹ interrupted' not in last: problems.append(f'the display ends with {last!r}, not the interrupted marker')
    if len(e.splitlines()) > 6 or 'File "' in e: problems.append(f'a traceback of {len(e.splitlines())} lines')
    if delay > 1.5: problems.append(f'the kernel was idle {delay:.1f} s after Stop')
    if 'Still here.' not in out(nb, 'after_interrupt').inner_text(): problems.append(f"the next call failed: {errors(nb, 'after_interrupt')[-500:]}")
    assert not problems, problems

def test_tool_results_read_well_and_folds_keep_apart(nb, shots):
    "A dict result shows as indented JSON, a text result with its newlines, and a closed fold keeps a margin from the text under it"
    nb.run(idx['results'])
    folds = md(nb, 'results').last.locator('details.tool-usage-details')
    assert folds.count() == 2, out(nb, 'results').inner_text()
    gap = folds.last.evaluate("""e => { const n = e.nextElementSibling;
        return n ? n.getBoundingClientRect().top - e.getBoundingClientRect().bottom : null; }""")
    assert gap is not None and gap >= 8, f'the closed fold touches the text under it: {gap} px apart'
    for i in range(2): folds.nth(i).locator('summary').click()
    jlab.wait_for(lambda: all(folds.nth(i).evaluate('e => e.open') for i in range(2)), 5, 'the folds to open')
    shot(nb, shots, 'results')
    dict_fold, poem_fold = folds.nth(0).inner_text(), folds.nth(1).inner_text()
    assert '"population": 2100000' in dict_fold and '\\"' not in dict_fold, dict_fold
    assert 'Roses are red,\nParis is blue.' in poem_fold and '\\n' not in poem_fold, poem_fold

def test_thinking_is_one_fold(nb, shots):
    "Thinking shows as one fold, 'Thought for N s', holding the reasoning, apart from the answer"
    nb.run(idx['thinking'])
    shot(nb, shots, 'thinking')
    t = out(nb, 'thinking').inner_text()
    assert t.count('🧠') == 1, t
    fold = out(nb, 'thinking').locator('details').filter(has_text='🧠').first
    assert re.fullmatch(r'🧠 Thought for [0-9.]+ s', fold.locator('summary').inner_text().strip()), fold.inner_text()
    assert 'Two and two make four' in fold.evaluate('e => e.textContent') and 'Four.' not in fold.evaluate('e => e.textContent')
    assert 'Four.' in t

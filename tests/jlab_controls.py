"""Positive controls of tests/test_jupyterlab.py: each case's cell is replaced by hand-made output of the shape issue 21
asks for (folds shown once in their own display, `<span>&#36;</span>`, an exception rendering itself in two lines, a
display ending in the interrupted marker, an `<img>` data URI in a fold), and the same checks run on it. Every check
should pass: this shows the checks can pass in the real client, and that JupyterLab's sanitizer and MathJax accept
those shapes.

    LITELLM_LOCAL_MODEL_COST_MAP=True .venv/bin/python tests/jlab_controls.py [pytest args]"""
import sys, pytest
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_jupyterlab as t
helpers = '''
import time, base64
from IPython.display import display, Markdown
foot = "\\n\\n<details class='response-footer'>\\n<summary>claude-sonnet-4-5 · stop</summary>\\n\\n- cost: 0\\n</details>"
def fold(s, body): return f"<details class='tool-usage-details'>\\n<summary>{s}</summary>\\n\\n{body}\\n</details>\\n\\n"
class Short(Exception):
    def _render_traceback_(self): return ['Short: could not reach http://127.0.0.1:9 (connection refused): check api_base', 'Run %tb for the full traceback.']
def tail_stream(parts, h=None, delay=0.05):
    h = h or display(Markdown(''), display_id=True); acc = ''
    for p in parts: acc += p; h.update(Markdown(acc)); time.sleep(delay)
    return h, acc
'''
png = "import io\nfrom PIL import Image\nb=io.BytesIO(); Image.new('RGB',(24,24),'red').save(b,'PNG'); b64=base64.b64encode(b.getvalue()).decode()\n"
t.cells.update(
    setup=t.cells['setup'] + helpers,
    tool_loop='''display(Markdown('First the sum.\\n\\n' + fold('🔧 add(a=5, b=3) → 8', '```json\\n{"result": 8}\\n```')))
time.sleep(0.5)
h,_ = tail_stream(['Now ', 'double ', 'it.'], delay=0.3)
h.update(Markdown('Now double it.\\n\\n' + fold('🔧 mul(a=8, b=2) → 16', '16')))
tail_stream(['(5+3)*2 = **16**. ', 'Done.'], delay=0.3)''',
    dollars="Markdown('The small one costs <span>&#36;</span>5 and the big one costs <span>&#36;</span>10.')",
    dollars_streamed="tail_stream(['The small one costs <span>&#36;</span>5 ', 'and the big one costs <span>&#36;</span>10.']);",
    error="raise Short()",
    stream_footer="tail_stream(['A streamed ', '**answer**.', foot]);",
    stream_value="tail_stream(['A streamed **answer**, shown by itself.', foot]);",
    image=png + "display(Markdown('Drawing it.\\n\\n' + fold('🔧 red_square(size=24) → image', f'<img src=\"data:image/png;base64,{b64}\" width=\"24\">') + 'Here is the red square.'))",
    interrupt='''h = display(Markdown(''), display_id=True); acc = ''
try:
    for i in range(400): acc += 'Once upon a time, a model streamed a story. '; h.update(Markdown(acc)); time.sleep(0.05)
except KeyboardInterrupt:
    h.update(Markdown(acc + '\\n\\n⏹ interrupted: the partial answer is kept'))''',
    after_interrupt="print('Still here.')",
)
sys.exit(pytest.main(['-q', '-p', 'no:cacheprovider', t.__file__, *sys.argv[1:]]))

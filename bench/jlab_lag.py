#!/usr/bin/env python
"""Browser lag of a long streamed answer in real JupyterLab (issue 21: target ≤ 0.5 s), and the bytes it costs on the wire.

    LITELLM_LOCAL_MODEL_COST_MAP=True .venv/bin/python bench/jlab_lag.py [--chars 10000] [--runs 3] [--json out.json]

JupyterLab and headless Chromium are started as tests/test_jupyterlab.py does (tests/jlab.py). A notebook cell streams a
`--chars`-character answer, paragraphs and Python code blocks ending in a sentinel, from `FakeLLM` (8 characters a
chunk, no pacing: the kernel goes as fast as it can) through `display_stream`. The kernel notes `time.time()` at the
last chunk it reads and prints it; in the page a MutationObserver notes `Date.now()` when the sentinel first enters
the cell's output, and again two animation frames later, when it has been painted. Both clocks are this machine's wall
clock, so:

* *lag* = browser paints the final text − kernel read the last chunk (*lag_dom*: until it is in the DOM);
* *kernel* and *browser* = those two moments, from the cell's start;
* *longest frame* = the longest gap between two animation frames while the cell ran: how long the page froze;
* *ws bytes / md* = the bytes of every websocket frame the page received from the kernel channel while the cell ran,
  divided by the final Markdown's size (UTF-8) as the kernel made it.

Each run is its own cell, run in turn; medians are reported, and the last line (`KEY:`) sums up."""
import argparse, json, re, statistics, sys, tempfile
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parent.parent/'tests'))
import jlab

sentinel = 'END-OF-ANSWER'

def mk_answer(n:int)->str:
    "About `n` characters of Markdown, a paragraph and a code block per step, ending in `sentinel`"
    parts,i,size = [],0,0
    while size < n - len(sentinel):
        p = (f'Step {i}: the loop adds **{i}** to the running total, then checks it against the limit.\n\n'
             f'```python\ntotal += {i}  # step {i}\nif total > limit: break\n```\n\n')
        parts.append(p); size += len(p); i += 1
    return ''.join(parts)[:n - len(sentinel)] + sentinel

setup = '''import os, time
os.environ.setdefault('LITELLM_LOCAL_MODEL_COST_MAP', 'True')
from lisette_like import Chat
from lisette_like.fakellm import FakeLLM, Reply
from lisette_like.live import display_stream

def timed(rs, t):
    "Stream `rs`, noting in `t` the wall-clock time of its last chunk"
    for o in rs:
        if type(o).__name__ == 'ModelResponseStream': t['last'] = time.time()
        yield o'''

def bench_cell(answer:str)->str:
    return f'''kw = dict(api_base=FakeLLM([Reply({answer!r}, chunk=8)]).start().api_base, api_key='dummy')
t = dict(start=time.time())
fmt = display_stream(timed(Chat('claude-sonnet-4-5', **kw)('Write it out', stream=True), t))
print('LAG-TIMES', t['start']*1000, t['last']*1000, time.time()*1000, len(fmt.outp.encode()))'''

_watch = '''i => { const out = document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell')[i]
    .querySelector('.jp-OutputArea');
  window._lag = {dom: null, seen: null, frame: 0};
  new MutationObserver((ms, obs) => { if (!out.textContent.includes('%s')) return;
      window._lag.dom = Date.now(); obs.disconnect();
      requestAnimationFrame(() => requestAnimationFrame(() => { window._lag.seen = Date.now(); })); })
    .observe(out, {childList: true, subtree: true, characterData: true});
  let last = performance.now();
  const tick = now => { window._lag.frame = Math.max(window._lag.frame, now - last); last = now;
                        if (!window._lag.done) requestAnimationFrame(tick); };
  requestAnimationFrame(tick); }''' % sentinel

class WsBytes:
    "Bytes of the frames the page receives on kernel websockets, counted while `on`"
    def __init__(self, page): self.on,self.n,self.frames,self.disp = False,0,0,0; page.on('websocket', self._ws)
    def _ws(self, ws):
        if '/api/kernels/' in ws.url: ws.on('framereceived', self._frame)
    def _frame(self, payload):
        if not self.on: return
        b = payload.encode() if isinstance(payload, str) else payload
        self.n += len(b); self.frames += 1
        if re.search(rb'"msg_type":\s*"(update_)?display_data"', b[:4000]): self.disp += len(b)  # the answer's own messages

def one_run(pg, ws, i:int)->dict:
    "Run bench cell `i` and measure it"
    pg.page.evaluate(_watch, i)
    ws.on,ws.n,ws.frames,ws.disp = True,0,0,0
    pg.run(i, timeout=300)
    ws.on = False
    seen = jlab.wait_for(lambda: pg.page.evaluate('window._lag.seen'), 30, 'the sentinel in the page')
    pg.page.evaluate('window._lag.done = true')
    line = next(l for l in pg.output(i).inner_text().splitlines() if l.startswith('LAG-TIMES'))
    start,last,end,md = (float(x) for x in line.split()[1:])
    dom = pg.page.evaluate('window._lag.dom')
    return dict(lag_s=(seen-last)/1000, lag_dom_s=(dom-last)/1000, kernel_last_chunk_s=(last-start)/1000, kernel_done_s=(end-start)/1000,
                browser_shows_s=(seen-start)/1000, longest_frame_s=pg.page.evaluate('window._lag.frame')/1000,
                ws_bytes=ws.n, ws_frames=ws.frames, md_bytes=int(md), ws_over_md=ws.n/md,
                display_ws_bytes=ws.disp, display_over_md=ws.disp/md)

def main(chars:int=10_000, runs:int=3, out:str=None):
    why = jlab.missing()
    if why: sys.exit(f'cannot run: {why}')
    answer = mk_answer(chars)
    with tempfile.TemporaryDirectory(prefix='jlab_lag') as tmp:
        ws = {}  # the websocket counter listens before the page connects to its kernel
        lab,pg = jlab.open_notebook(Path(tmp), 'lag.ipynb', [setup] + [bench_cell(answer)]*runs, lambda page: ws.setdefault('c', WsBytes(page)))
        try:
            pg.run(0, timeout=120)
            res = [one_run(pg, ws['c'], i) for i in range(1, runs+1)]
        finally: pg.close(); lab.stop()
    med = {k: statistics.median(r[k] for r in res) for k in res[0]}
    report = dict(chars=len(answer), code_blocks=answer.count('```')//2, runs=res, median=med)
    for r in res: print(' '.join(f'{k}={v:.3f}' if isinstance(v, float) else f'{k}={v}' for k,v in r.items()))
    if out: Path(out).write_text(json.dumps(report, indent=1))
    print(f"KEY: {len(answer)} chars, {report['code_blocks']} code blocks; lag {med['lag_s']:.2f} s (target ≤ 0.5), kernel done "
          f"{med['kernel_done_s']:.2f} s, browser shows {med['browser_shows_s']:.2f} s, longest frame {med['longest_frame_s']:.2f} s, "
          f"display messages' ws bytes / md {med['display_over_md']:.2f} (target ≤ 3), every ws byte while the cell ran / md {med['ws_over_md']:.2f}")
    return report

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--chars', type=int, default=10_000, help='size of the streamed answer')
    p.add_argument('--runs', type=int, default=3, help='cells run, one after another; medians are reported')
    p.add_argument('--json', help='also write the figures to this file')
    a = p.parse_args()
    main(a.chars, a.runs, a.json)

#!/usr/bin/env python
"""Display cost of streaming an answer into a notebook: naive re-render on every chunk vs `display_stream`.

    python bench/display_bench.py              # N = 1k, 4k, 16k, 64k chunks
    python bench/display_bench.py --ns 1000 4000 --naive-max 4000

A stub display publisher does the work every display update costs: in the kernel, IPython formats the `Markdown`
object and the message is JSON-serialised and encoded; in the browser, the Markdown is rendered to HTML, which
the stub stands in for with a minimal Markdown-to-HTML pass (escaping, paragraphs, code fences, bold). Both cost time
proportional to the text's length, so re-rendering on every chunk is quadratic in the answer's length.
We report seconds per chunk and ratios to raw iteration of the same stream (formatting only, no display) measured
in the same run. Absolute times depend on the machine; the ratios are what to compare."""
import os, re, sys, html, json, time, argparse
from pathlib import Path
os.environ.setdefault('LITELLM_LOCAL_MODEL_COST_MAP', 'True')
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from IPython.core.interactiveshell import InteractiveShell
from IPython.display import display, Markdown
from litellm import ModelResponseStream
from litellm.types.utils import StreamingChoices, Delta
from lisette_like.format import StreamFormatter, display_stream

def md2html(s):
    "A minimal Markdown-to-HTML render, standing in for the browser's work on each update"
    out = []
    for i,part in enumerate(re.split(r'^```.*$', s, flags=re.M)):
        if i%2: out.append(f'<pre><code>{html.escape(part)}</code></pre>'); continue
        for p in re.split(r'\n\s*\n', part):
            if p.strip(): out.append('<p>' + re.sub(r'\*\*(.+?)\*\*', r'<b>\1</b>', html.escape(p)) + '</p>')
    return '\n'.join(out)

class StubPub:
    "A display publisher doing each update's work: serialise and encode the message, render its Markdown"
    def __init__(self): self.n,self.nbytes = 0,0
    def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kw):
        msg = json.dumps({'msg_type':'update_display_data' if update else 'display_data',
                          'content':{'data':data, 'metadata':metadata or {}, 'transient':transient or {}}}).encode()
        self.n += 1; self.nbytes += len(msg) + len(md2html(data.get('text/markdown', '')))
    def clear_output(self, wait=False): pass

def mk_chunks(n):
    "`n` stream chunks of about 6 characters each"
    return [ModelResponseStream(choices=[StreamingChoices(delta=Delta(content=f'w{i%1000} '))]) for i in range(n)]

def raw(chunks):
    "Format the stream without displaying it"
    fmt = StreamFormatter()
    for _ in fmt.format_stream(chunks): pass
    return fmt

def naive(chunks):
    "Re-render the whole text on every chunk"
    fmt = StreamFormatter()
    h = display(Markdown(''), display_id=True)
    for _ in fmt.format_stream(chunks): h.update(Markdown(fmt.outp))
    return fmt

def timed(f, chunks, pub, reps=1):
    "Best seconds over `reps` runs of `f(chunks)`, and the renders of the last run"
    best = float('inf')
    for _ in range(reps):
        pub.n = 0
        t = time.perf_counter(); f(chunks); best = min(best, time.perf_counter()-t)
    return best, pub.n

def bench(ns, naive_max, reps):
    "Rows of timings for each N"
    sh = InteractiveShell.instance()
    pub = sh.display_pub = StubPub()
    rows = []
    for n in ns:
        chunks = mk_chunks(n)
        t_raw,_ = timed(raw, chunks, pub, reps)
        t_ours,r_ours = timed(display_stream, chunks, pub, reps)
        t_naive,r_naive = timed(naive, chunks, pub) if n <= naive_max else (None, None)
        rows.append(dict(n=n, raw_s_per_chunk=t_raw/n, ours_s_per_chunk=t_ours/n, naive_s_per_chunk=t_naive/n if t_naive else None,
                         ours_over_raw=t_ours/t_raw, naive_over_raw=t_naive/t_raw if t_naive else None,
                         renders_ours=r_ours, renders_naive=r_naive, chars=len(raw(chunks).outp)))
    return rows

def fmt_row(r):
    "One table line"
    f = lambda v, spec: format(v, spec) if v is not None else 'skipped'
    return (f"{r['n']:>7} {r['chars']:>9} {r['raw_s_per_chunk']*1e6:>9.2f} {f(r['naive_s_per_chunk'] and r['naive_s_per_chunk']*1e6, '>11.2f'):>11} "
            f"{r['ours_s_per_chunk']*1e6:>9.2f} {f(r['naive_over_raw'], '>10.1f'):>10} {r['ours_over_raw']:>9.2f} "
            f"{f(r['renders_naive'], '>8d'):>8} {r['renders_ours']:>7}")

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--ns', type=int, nargs='+', default=[1000, 4000, 16000, 64000], help='stream lengths in chunks')
    p.add_argument('--naive-max', type=int, default=64000, help='skip the naive display above this many chunks')
    p.add_argument('--reps', type=int, default=3, help='runs of raw and ours to take the best of')
    p.add_argument('--out', default=str(Path(__file__).parent/'results'/'display.json'), help='where to write the JSON results')
    a = p.parse_args()
    rows = bench(a.ns, a.naive_max, a.reps)
    print(f"{'chunks':>7} {'chars':>9} {'raw µs/ch':>9} {'naive µs/ch':>11} {'ours µs/ch':>9} {'naive/raw':>10} {'ours/raw':>9} {'renders':>8} {'(ours)':>7}")
    for r in rows: print(fmt_row(r))
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    Path(a.out).write_text(json.dumps(dict(python=sys.version.split()[0], rows=rows), indent=2))
    print(f'wrote {a.out}')

if __name__ == '__main__': main()

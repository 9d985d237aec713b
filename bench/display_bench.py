#!/usr/bin/env python
"""Display cost of streaming an answer into a notebook: naive re-render on every chunk vs `display_stream`.

    python bench/display_bench.py              # N = 1k, 4k, 16k, 64k chunks
    python bench/display_bench.py --ns 1000 4000 --naive-max 4000
    python bench/display_bench.py --ratio      # bytes sent to the front end per byte of Markdown, for 10,000-character answers

The ratio runs with whichever `display_stream` is on the path: `lisette_like.live`'s, or `lisette_like.format`'s in code
from before the live display (issue 21), e.g. `git archive fdccc09 | tar -x -C /tmp/before` then
`PYTHONPATH=/tmp/before python bench/display_bench.py --ratio`.

A stub display publisher does the work every display update costs: in the kernel, IPython formats the `Markdown`
object and the message is JSON-serialised and encoded; in the browser, the Markdown is rendered to HTML, which
the stub stands in for with a minimal Markdown-to-HTML pass (escaping, paragraphs, code fences, bold). Both cost time
proportional to the text's length, so re-rendering on every chunk is quadratic in the answer's length.
We report seconds per chunk and ratios to raw iteration of the same stream (formatting only, no display) measured
in the same run. Absolute times depend on the machine; the ratios are what to compare."""
import os, re, sys, html, json, time, random, argparse
from pathlib import Path
os.environ.setdefault('LITELLM_LOCAL_MODEL_COST_MAP', 'True')
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from IPython.core.interactiveshell import InteractiveShell
from IPython.display import display, Markdown
from litellm import ModelResponseStream
from litellm.types.utils import StreamingChoices, Delta
from lisette_like.format import StreamFormatter, mk_tr_details
try: from lisette_like.live import display_stream
except ImportError: from lisette_like.format import display_stream  # the code before issue 21

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

def mk_answer(n_code=60, size=10_000, seed=0):
    "About `size` characters of Markdown: paragraphs, `n_code` code blocks (every third with a blank line inside), a tool fold every tenth"
    r,words = random.Random(seed),'the a model tool answer stream code block fold list value result check each'.split()
    tr,parts = {'tool_call_id':'toolu_01', 'role':'tool', 'name':'add'},[]
    for i in range(n_code):
        parts.append(' '.join(r.choice(words) for _ in range(size//n_code//7)) + '.')
        parts.append(f'```python\nx{i} = {i}\n' + ('\n' if i%3 == 0 else '') + f'print(x{i})\n```')
        if i%10 == 9: parts.append(mk_tr_details({**tr, 'content':str(i)}).strip('\n'))
    return '\n\n'.join(parts)

header_bytes = 500  # a display message's header and parent header, as JSON, measured in a real ipykernel run by jupyter_client (12a_live's last section)

class BytesPub:
    "A display publisher that counts the messages and the bytes of their content (data, metadata, transient) as JSON"
    def __init__(self): self.n,self.nbytes = 0,0
    def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kw):
        content = dict(data=data, metadata=metadata or {}, transient=transient or {})
        self.n += 1; self.nbytes += len(json.dumps(content, ensure_ascii=False).encode())
    def clear_output(self, wait=False): pass

def ratio(text, secs, chunk=8):
    "Bytes sent to the front end per byte of final Markdown, for `text` streamed in chunks of `chunk` characters over `secs` (simulated) seconds"
    sh = InteractiveShell.instance()
    pub = sh.display_pub = BytesPub()
    chunks,t = mk_chunks_of(text, chunk),[0.]
    def paced():
        for c in chunks:
            t[0] += secs/len(chunks)
            yield c
    fmt = display_stream(paced(), clock=lambda: t[0])
    size = len(fmt.outp.encode())
    return dict(chars=len(text), secs=secs, messages=pub.n, content=pub.nbytes/size, whole=(pub.nbytes + header_bytes*pub.n)/size)

def mk_chunks_of(text, n):
    "Stream chunks of `n` characters of `text`"
    return [ModelResponseStream(choices=[StreamingChoices(delta=Delta(content=text[i:i+n]))]) for i in range(0, len(text), n)]

def ratios():
    "The ratio table: the 60-code-block answer and one long paragraph, each streamed in 2, 10 and 60 s"
    texts = dict(code_blocks=mk_answer(), one_paragraph=' '.join(['word']*2000))
    rows = [dict(answer=k, **ratio(v, secs)) for k,v in texts.items() for secs in (2, 10, 60)]
    print(f"{'answer':>14} {'chars':>6} {'secs':>5} {'messages':>9} {'content/md':>11} {'whole/md':>9}")
    for r in rows: print(f"{r['answer']:>14} {r['chars']:>6} {r['secs']:>5} {r['messages']:>9} {r['content']:>11.2f} {r['whole']:>9.2f}")
    return rows

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--ns', type=int, nargs='+', default=[1000, 4000, 16000, 64000], help='stream lengths in chunks')
    p.add_argument('--naive-max', type=int, default=64000, help='skip the naive display above this many chunks')
    p.add_argument('--reps', type=int, default=3, help='runs of raw and ours to take the best of')
    p.add_argument('--out', default=str(Path(__file__).parent/'results'/'display.json'), help='where to write the JSON results')
    p.add_argument('--ratio', action='store_true', help='only the bytes sent per byte of Markdown (display_stream of this code)')
    a = p.parse_args()
    if a.ratio: return ratios()
    rows = bench(a.ns, a.naive_max, a.reps)
    print(f"{'chunks':>7} {'chars':>9} {'raw µs/ch':>9} {'naive µs/ch':>11} {'ours µs/ch':>9} {'naive/raw':>10} {'ours/raw':>9} {'renders':>8} {'(ours)':>7}")
    for r in rows: print(fmt_row(r))
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    Path(a.out).write_text(json.dumps(dict(python=sys.version.split()[0], rows=rows), indent=2))
    print(f'wrote {a.out}')

if __name__ == '__main__': main()

#!/usr/bin/env python
"Build README.md from nbs/index.ipynb with nbdev's own processors (nbdev_readme needs quarto, which this machine lacks)."
import json
from pathlib import Path
from nbdev.config import get_config
from nbdev.process import NBProcessor
from nbdev.processors import FrontmatterProc, hide_, hide_line, rm_export, rm_header_dash, strip_ansi, filter_stream_

def _last_displays(outs):
    "`outs` with each run of display_data outputs cut to its last: a live display (display_stream) is stored as one output per update"
    return [o for i,o in enumerate(outs) if not (o.get('output_type')=='display_data' and i+1 < len(outs)
                                                 and outs[i+1].get('output_type')=='display_data')]

def _outputs(cell):
    for o in _last_displays(cell.get('outputs', [])):
        if o.get('output_type')=='stream': yield '```\n' + ''.join(o.get('text','')).rstrip() + '\n```'
        data = o.get('data', {})
        if 'text/markdown' in data: yield ''.join(data['text/markdown']).rstrip()
        elif 'text/plain' in data: yield '```\n' + ''.join(data['text/plain']).rstrip() + '\n```'

def nb2md(fn):
    nbp = NBProcessor(fn, procs=[FrontmatterProc, hide_, hide_line, rm_export, rm_header_dash, strip_ansi, filter_stream_])  # magics kept: `%%chat` is an example
    nbp.process()
    nb, fm = nbp.nb, getattr(nbp.nb, 'frontmatter_', {})
    parts = [f"# {fm.get('title','')}", f"> {fm.get('description','')}"] if fm.get('title') else []
    for c in nb.cells:
        src = c.source.strip()
        if c.cell_type=='markdown' and src: parts.append(src)
        elif c.cell_type=='code' and src:
            parts.append(f'```python\n{src}\n```')
            parts.extend(_outputs(c))
    return '\n\n'.join(parts) + '\n'

if __name__=='__main__':
    cfg = get_config()
    out = cfg.config_path/'README.md'
    out.write_text(nb2md(cfg.config_path/cfg.nbs_path/cfg.readme_nb))
    print(f'wrote {out}')

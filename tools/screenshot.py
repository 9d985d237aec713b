#!/usr/bin/env python
"""Remake the README's screenshot of a live tool loop, `samples/tool_loop.png`, from `samples/tour.ipynb`.

    LITELLM_LOCAL_MODEL_COST_MAP=True .venv/bin/python tools/screenshot.py [OUT.png]

What it does, step by step (tests/test_kernel.py runs the same steps and checks each result):
1. runs samples/tour.ipynb in a real Jupyter kernel (nbclient + ipykernel, on this interpreter, `sys.executable`), offline:
   the tour starts `FakeLLM`, a scripted local provider, so no key or network is needed;
2. keeps the cells of the streamed tool loop (`display_stream`) and of the chat's repr, and opens the first tool fold
   (the HTML `open` attribute) so one call shows its JSON while the others show their summary lines;
3. renders them to HTML with nbconvert (remote scripts, MathJax and require.js, are left out: the page needs none);
4. takes a screenshot with Debian's headless Chromium (`/usr/bin/chromium`, `apt-get install chromium`) and crops the
   blank margin below the last cell.
For the 🔧 of the summary lines to show, a colour emoji font must be installed (`apt-get install fonts-noto-color-emoji`);
without it Chromium draws an empty box in its place, and everything else is the same."""
import json, os, re, shutil, subprocess, sys, tempfile
from pathlib import Path

root = Path(__file__).resolve().parent.parent
tour = root/'samples'/'tour.ipynb'
chromium = '/usr/bin/chromium'
_chrome_flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
                 '--disable-component-update', '--disable-sync', '--hide-scrollbars']

def kernel_manager(tmp:Path):
    "A kernel manager for a kernel on this very interpreter, with litellm's bundled price list and no provider keys"
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
    d = tmp/'kernels'/'lisette-like'
    d.mkdir(parents=True, exist_ok=True)
    spec = dict(argv=[sys.executable, '-m', 'ipykernel_launcher', '-f', '{connection_file}'], display_name='lisette_like',
                language='python', env={'LITELLM_LOCAL_MODEL_COST_MAP': 'True', 'PYDEVD_DISABLE_FILE_VALIDATION': '1'})
    (d/'kernel.json').write_text(json.dumps(spec))
    return KernelManager(kernel_name='lisette-like', kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(d.parent)]))

def start_kernel(tmp:Path, root:Path):
    "A started kernel (`kernel_manager`) working in `tmp` with `root` on its path and no provider settings, and its ready client"
    km = kernel_manager(tmp)
    env = {k: v for k, v in os.environ.items() if not k.endswith(('_API_KEY', '_API_BASE', '_BASE_URL'))}
    km.start_kernel(env={**env, 'PYTHONPATH': str(root)}, cwd=str(tmp))
    kc = km.client(); kc.start_channels(); kc.wait_for_ready(60)
    return km, kc

def run_notebook(path:Path, tmp:Path, timeout:int=60):
    "Notebook `path`, executed in a fresh kernel (an error in a cell raises `CellExecutionError`)"
    import nbformat
    from nbclient import NotebookClient
    nb = nbformat.read(path, as_version=4)
    env_keys = [k for k in os.environ if k.endswith(('_API_KEY', '_API_BASE', '_BASE_URL'))]
    saved = {k: os.environ.pop(k) for k in env_keys}  # the kernel inherits our environment: no real provider settings
    try: NotebookClient(nb, km=kernel_manager(tmp), timeout=timeout, resources={'metadata': {'path': str(path.parent)}}).execute()
    finally: os.environ.update(saved)
    return nb

def to_html(nb)->str:
    "Notebook `nb` as one HTML page, without the remote scripts nbconvert links to (the page is viewed offline)"
    from nbconvert import HTMLExporter
    html, _ = HTMLExporter().from_notebook_node(nb)
    return re.sub(r'<script[^>]*\bsrc="https?://[^"]*"[^>]*>\s*</script>', '', html)

def shoot(html_path:Path, png:Path, tmp:Path, size=(1000, 1400), timeout:int=30)->Path:
    "Screenshot of page `html_path` by headless Chromium, `size` pixels wide and high, saved as `png`"
    if not (Path(chromium).exists() and os.access(chromium, os.X_OK)):
        raise FileNotFoundError(f'{chromium} is missing: install Debian\'s chromium (apt-get install chromium) to take screenshots')
    png.unlink(missing_ok=True)
    cmd = [chromium, *_chrome_flags, f'--user-data-dir={tmp/"chromium"}', f'--screenshot={png}', f'--window-size={size[0]},{size[1]}',
           html_path.resolve().as_uri()]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if not png.exists(): raise RuntimeError(f'chromium wrote no screenshot (exit {r.returncode}):\n{r.stderr[-2000:]}')
    return png

def _has_source(c, s): return c.cell_type == 'code' and s in c.source

def tool_loop_nb(nb):
    "The cells of executed tour `nb` that show the streamed tool loop and the chat, with the first tool fold opened"
    import copy
    nb = copy.deepcopy(nb)
    i = next(i for i,c in enumerate(nb.cells) if _has_source(c, 'display_stream('))
    nb.cells = [c for c in nb.cells[i-1:] if not _has_source(c, 'llm.stop()') and not _has_source(c, 'print(repr(')]
    fold = "<details class='tool-usage-details' "
    o = next(o for o in nb.cells[1].outputs if fold in o.get('data', {}).get('text/markdown', ''))  # the live display's outputs: open the first fold only
    o['data']['text/markdown'] = o['data']['text/markdown'].replace(fold, "<details class='tool-usage-details' open ", 1)
    return nb

def crop(png:Path, margin:int=16):
    "Cut the blank space below the last thing drawn in `png`, keeping `margin` pixels"
    from PIL import Image, ImageChops
    im = Image.open(png).convert('RGB')
    box = ImageChops.difference(im, Image.new('RGB', im.size, im.getpixel((im.width-1, im.height-1)))).getbbox()
    if box: im.crop((0, 0, im.width, min(im.height, box[3] + margin))).save(png, optimize=True)
    return png

def main(out:Path=root/'samples'/'tool_loop.png'):
    "Run the tour and save the screenshot of its live tool loop as `out`"
    tmp = Path(tempfile.mkdtemp(prefix='lisette_like-shot-'))
    try:
        page = tmp/'tool_loop.html'
        page.write_text(to_html(tool_loop_nb(run_notebook(tour, tmp))))
        shot = crop(shoot(page, tmp/'tool_loop.png', tmp, size=(1000, 1000)))
        shutil.copyfile(shot, out)
    finally: shutil.rmtree(tmp, ignore_errors=True)
    print(f'wrote {out}')

if __name__ == '__main__':
    os.environ.setdefault('LITELLM_LOCAL_MODEL_COST_MAP', 'True')
    main(*(Path(a) for a in sys.argv[1:2]))

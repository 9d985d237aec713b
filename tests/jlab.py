"""Real JupyterLab 4 in headless Chromium: the harness of tests/test_jupyterlab.py and bench/jlab_lag.py.

`Lab` starts JupyterLab from this interpreter on 127.0.0.1 (a free port, a random token, a temp root, no browser), with
its own settings (light theme, no news, every cell in the DOM) and one kernel, `lisette-like`: this interpreter, this
checkout on `PYTHONPATH`, no provider keys. `NotebookPage` opens a notebook in it with playwright, driving the system
Chromium (`/usr/bin/chromium`; a browser is never downloaded), and runs its cells as a person does: click, Shift+Enter.
Everything waits for a condition with a deadline, never for a fixed time."""
import importlib.util, json, os, re, secrets, socket, subprocess, sys, time, urllib.request
from pathlib import Path

root = Path(__file__).resolve().parent.parent
chromium = '/usr/bin/chromium'
chrome_args = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync',
               '--no-first-run', '--disable-quic', '--hide-scrollbars']
kernel_name = 'lisette-like'
_settings = {  # JupyterLab user settings: what a screenshot shows, and nothing fetched from the internet
    '@jupyterlab/apputils-extension/themes': {'theme': 'JupyterLab Light'},
    '@jupyterlab/apputils-extension/notification': {'fetchNews': 'false', 'checkForUpdates': False},
    '@jupyterlab/notebook-extension/tracker': {'windowingMode': 'none'},  # every cell stays in the DOM
}

def missing():
    "Why the real-client harness can't run here (a sentence), or None"
    if not (Path(chromium).exists() and os.access(chromium, os.X_OK)): return f'{chromium} is missing: apt-get install chromium'
    for m in ('jupyterlab', 'playwright', 'nbformat', 'ipykernel'):
        if importlib.util.find_spec(m) is None: return f'{m} is not installed: pip install {m}'
    return None

def free_port()->int:
    "A TCP port free on 127.0.0.1 now"
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

def wait_for(cond, timeout:float, what:str, every:float=0.05):
    "The first truthy `cond()` within `timeout` seconds, else `TimeoutError` naming `what`"
    end = time.monotonic()+timeout
    while True:
        r = cond()
        if r: return r
        if time.monotonic() > end: raise TimeoutError(f'waited {timeout} s for {what}')
        time.sleep(every)

def write_notebook(path:Path, cells:list):
    "Write `cells` (code sources) as a notebook on the `lisette-like` kernel"
    import nbformat
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in cells])
    nb.metadata['kernelspec'] = dict(name=kernel_name, display_name='lisette_like', language='python')
    nbformat.write(nb, str(path))

def _server_env(tmp:Path)->dict:
    "The environment of JupyterLab and its kernels: private Jupyter dirs, no provider settings, this checkout first"
    env = {k:v for k,v in os.environ.items() if not k.endswith(('_API_KEY', '_API_BASE', '_BASE_URL'))}
    dirs = dict(JUPYTER_CONFIG_DIR='config', JUPYTER_DATA_DIR='data', JUPYTER_RUNTIME_DIR='runtime', IPYTHONDIR='ipython',
                JUPYTERLAB_SETTINGS_DIR='settings', JUPYTERLAB_WORKSPACES_DIR='workspaces')
    env.update({k:str(tmp/v) for k,v in dirs.items()})
    env.update(LITELLM_LOCAL_MODEL_COST_MAP='True', PYDEVD_DISABLE_FILE_VALIDATION='1', JUPYTER_PLATFORM_DIRS='1',
               PYTHONPATH=os.pathsep.join([str(root), *filter(None, [os.environ.get('PYTHONPATH')])]))
    return env

def _write_config(tmp:Path):
    "The kernel spec (this interpreter) and the user settings, in `tmp`'s private Jupyter dirs"
    k = tmp/'data'/'kernels'/kernel_name
    k.mkdir(parents=True, exist_ok=True)
    spec = dict(argv=[sys.executable, '-m', 'ipykernel_launcher', '-f', '{connection_file}'], display_name='lisette_like',
                language='python', env={'LITELLM_LOCAL_MODEL_COST_MAP': 'True', 'PYTHONPATH': str(root)})
    (k/'kernel.json').write_text(json.dumps(spec))
    for name,d in _settings.items():
        f = tmp/'settings'/f'{name}.jupyterlab-settings'
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(json.dumps(d))

class Lab:
    "JupyterLab 4 from this interpreter, serving `tmp/'root'` on 127.0.0.1"
    def __init__(self, tmp:Path): self.tmp,self.proc = Path(tmp),None

    @property
    def dir(self)->Path: return self.tmp/'root'
    def url(self, path:str='')->str: return f'http://127.0.0.1:{self.port}/{path}'

    def start(self, wait:bool=True):
        "Start the server and, if `wait`, wait until its API answers (else call `wait_up` later); returns self"
        self.dir.mkdir(parents=True, exist_ok=True); _write_config(self.tmp)
        self.port,self.token = free_port(),secrets.token_hex(16)
        args = [sys.executable, '-m', 'jupyterlab', '--no-browser', '--ip=127.0.0.1', f'--port={self.port}', '--port-retries=0', '--allow-root',
                '--ServerApp.terminals_enabled=False',
                f'--ServerApp.root_dir={self.dir}', f'--IdentityProvider.token={self.token}', '--ServerApp.password=',
                '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate', '--LabApp.news_url=None',
                f'--MappingKernelManager.default_kernel_name={kernel_name}']
        self.log = open(self.tmp/'jupyterlab.log', 'wb')
        self.proc = subprocess.Popen(args, env=_server_env(self.tmp), stdout=self.log, stderr=subprocess.STDOUT, cwd=self.dir)
        return self.wait_up() if wait else self

    def wait_up(self, timeout:float=90):
        "Wait until the server's API answers; returns self"
        try: wait_for(self._up, timeout, f'JupyterLab on port {self.port}', every=0.2)
        except TimeoutError as e: self.stop(); raise TimeoutError(f'{e}; its log ends:\n{self.log_tail()}') from None
        return self

    def api(self, path:str, body:dict=None)->dict:
        "GET (or POST `body` to) the server's REST API at `path`"
        req = urllib.request.Request(self.url(f'api/{path}'), headers={'Authorization': f'token {self.token}', 'Content-Type': 'application/json'},
                                     data=None if body is None else json.dumps(body).encode())
        with urllib.request.urlopen(req, timeout=30) as r: return json.loads(r.read() or b'null')

    def start_kernel(self, name:str):
        "Start notebook `name`'s kernel session now: the page that opens it later finds the kernel booted or booting"
        return self.api('sessions', dict(path=name, name=name, type='notebook', kernel=dict(name=kernel_name)))

    def _up(self)->bool:
        if self.proc.poll() is not None: raise RuntimeError(f'JupyterLab exited with {self.proc.returncode}:\n{self.log_tail()}')
        try:
            with urllib.request.urlopen(self.url(f'api/status?token={self.token}'), timeout=2) as r: return r.status == 200
        except OSError: return False

    def log_tail(self, n:int=3000)->str:
        p = self.tmp/'jupyterlab.log'
        return p.read_bytes()[-n:].decode(errors='replace') if p.exists() else ''

    def stop(self):
        "Stop the server (and so its kernels)"
        if self.proc is None: return
        if self.proc.poll() is None:
            self.proc.terminate()
            try: self.proc.wait(15)
            except subprocess.TimeoutExpired: self.proc.kill(); self.proc.wait(5)
        self.log.close(); self.proc = None

    def __enter__(self): return self.start()
    def __exit__(self, *exc): self.stop()

def open_notebook(tmp:Path, name:str, cells:list, on_page=None):
    "JupyterLab in `tmp` and notebook `name` of code `cells` open in Chromium, started side by side; returns `(lab, page)`"
    lab = Lab(tmp).start(wait=False)
    write_notebook(lab.dir/name, cells)
    pg = NotebookPage(lab, name)
    try:
        pg.launch(on_page)  # Chromium starts while JupyterLab does
        lab.wait_up(); lab.start_kernel(name)  # the kernel boots while the page loads
        pg.open()
    except BaseException: pg.close(); lab.stop(); raise
    return lab, pg

_prompt_done = re.compile(r'^\[\d+\]:$')

class NotebookPage:
    "A notebook of `lab` open in headless Chromium, light theme"
    def __init__(self, lab:Lab, name:str, size=(1100, 1000)): self.lab,self.name,self.size = lab,name,size

    def launch(self, on_page=None):
        "Launch Chromium with one page (`on_page(page)` is called on it, before anything loads); returns self"
        from playwright.sync_api import sync_playwright
        self.pw = sync_playwright().start()
        self.browser = self.pw.chromium.launch(executable_path=chromium, headless=True, args=chrome_args)
        self.page = self.browser.new_page(viewport=dict(width=self.size[0], height=self.size[1]))
        if on_page: on_page(self.page)
        return self

    def open(self, timeout:float=90):
        "Open the notebook (launching Chromium if needed) and wait until its kernel is idle; returns self"
        if getattr(self, 'page', None) is None: self.launch()
        self.page.set_default_timeout(timeout*1000)
        self.page.goto(self.lab.url(f'lab/tree/{self.name}?token={self.lab.token}'))
        self.page.wait_for_selector('.jp-NotebookPanel .jp-Notebook .jp-Cell')
        kname = lambda: self.panel.locator('.jp-Toolbar-kernelName').inner_text().strip() == 'lisette_like'
        wait_for(kname, timeout, 'the notebook to connect to its kernel')
        self.wait_idle(timeout)
        self.hide_left_sidebar()
        self.page.set_default_timeout(30_000)  # from here on, a missing element fails a check within 30 s
        return self

    def hide_left_sidebar(self):
        "Close the file browser (View › Show Left Sidebar, Ctrl+B), so the notebook takes the page's width"
        left = self.page.locator('#jp-left-stack')
        if not left.is_visible(): return
        self.page.keyboard.press('Control+b')
        left.wait_for(state='hidden')

    def close(self):
        for f in ('browser', 'pw'):
            o = getattr(self, f, None)
            if o is not None: o.close() if f == 'browser' else o.stop()

    @property
    def panel(self): return self.page.locator('.jp-NotebookPanel:visible')
    def cell(self, i:int): return self.panel.locator('.jp-Notebook .jp-Cell').nth(i)
    def output(self, i:int): return self.cell(i).locator('.jp-OutputArea').first
    def prompt(self, i:int)->str: return self.cell(i).locator('.jp-InputArea-prompt').inner_text().strip()

    def kernel_status(self)->str:
        "The notebook's kernel status as its toolbar shows it ('idle', 'busy', ...)"
        return self.panel.locator('.jp-Notebook-ExecutionIndicator').get_attribute('data-status') or ''

    def wait_idle(self, timeout:float=30): wait_for(lambda: self.kernel_status() == 'idle', timeout, 'the kernel to be idle')

    def run(self, i:int, wait:bool=True, timeout:float=60):
        "Run cell `i` as a person does (select it, Shift+Enter); if `wait`, until its prompt shows its execution count"
        self.cell(i).locator('.jp-InputArea-prompt').click()
        self.page.keyboard.press('Shift+Enter')
        wait_for(lambda: self.prompt(i) != '[ ]:' or _prompt_done.match(self.prompt(i)), 10, f'cell {i} to start')
        if wait: self.wait_done(i, timeout)

    def wait_done(self, i:int, timeout:float=60):
        wait_for(lambda: _prompt_done.match(self.prompt(i)), timeout, f'cell {i} to finish (prompt {self.prompt(i)!r})')

    def shot(self, i:int, path:Path):
        "A screenshot of cell `i`, saved as `path`: the whole cell, or its first screen if it is taller than the page"
        c = self.cell(i)
        c.evaluate('e => e.scrollIntoView({block: "start"})')
        b = c.bounding_box()
        top = max(b['y'], 0)
        clip = dict(x=b['x'], y=top, width=b['width'], height=min(b['y']+b['height'], self.size[1]) - top)
        self.page.screenshot(path=str(path), clip=clip)
        return path

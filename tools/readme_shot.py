#!/usr/bin/env python
"""Remake the README's picture, `samples/tool_loop.png`, from the real-JupyterLab test's screenshots.

    LITELLM_LOCAL_MODEL_COST_MAP=True .venv/bin/python tools/readme_shot.py              # runs the test, then copies
    LITELLM_LOCAL_MODEL_COST_MAP=True .venv/bin/python tools/readme_shot.py --from DIR   # a run kept with LISETTE_SCREENSHOTS=DIR

tests/test_jupyterlab.py runs a streamed tool loop in real JupyterLab 4 (headless Chromium, light theme), opens the
first tool fold while the turn streams on, and photographs the cell at the end as `tool_loop.png`: the fold shows the
call's JSON, the other its summary line. This script runs that test with `LISETTE_SCREENSHOTS` set to a temporary
folder (or takes a folder a run already kept) and copies the picture to `samples/tool_loop.png` (or `--out`).
If some checks of the run it made failed, the picture may show the problem they found: the script says so and copies
nothing unless `--force` is given (with `--from`, checking that run's result is up to you). (tools/screenshot.py makes the older picture of the same loop from nbconvert's HTML.)"""
import argparse, os, shutil, subprocess, sys, tempfile
from pathlib import Path

root = Path(__file__).resolve().parent.parent
shot_name = 'tool_loop.png'

def run_test(d:Path)->int:
    "Run the real-JupyterLab test with its screenshots kept in `d`; its exit code"
    env = {**os.environ, 'LISETTE_SCREENSHOTS': str(d), 'LITELLM_LOCAL_MODEL_COST_MAP': 'True'}
    return subprocess.run([sys.executable, '-m', 'pytest', '-q', 'tests/test_jupyterlab.py'], cwd=root, env=env).returncode

def main(src:str=None, out:str=str(root/'samples'/shot_name), force:bool=False):
    with tempfile.TemporaryDirectory(prefix='readme_shot') as tmp:
        d = Path(src) if src else Path(tmp)
        rc = 0 if src else run_test(d)
        if rc == 5: sys.exit('the test was skipped (Chromium, JupyterLab or playwright missing): nothing to copy')
        if not (d/shot_name).exists(): sys.exit(f'no {shot_name} in {d}: did the run reach the tool loop?')
        if rc and not force: sys.exit(f'some checks failed (pytest exit {rc}): the picture may show a known problem; --force copies it anyway')
        shutil.copyfile(d/shot_name, out)
    print(f'{out} remade from {d/shot_name}')

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--from', dest='src', help='a folder of screenshots a run kept (LISETTE_SCREENSHOTS); default: run the test now')
    p.add_argument('--out', default=str(root/'samples'/shot_name), help='where the picture goes')
    p.add_argument('--force', action='store_true', help='copy even if some checks failed')
    a = p.parse_args()
    main(a.src, a.out, a.force)

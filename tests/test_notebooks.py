"Run every notebook in `nbs/` as one pytest test each, in this one process (`import litellm` is paid once)."
from pathlib import Path
import pytest
from nbdev.config import get_config
from nbdev.test import test_nb as run_nb  # renamed so pytest doesn't collect it

cfg = get_config()
nbs = sorted(p for p in Path(cfg.nbs_path).glob('*.ipynb') if not p.name.startswith('_'))

def test_found_notebooks(): assert len(nbs) >= 2, f'no notebooks found in {cfg.nbs_path}'

@pytest.mark.parametrize('nb', nbs, ids=[p.name for p in nbs])
def test_notebook(nb):
    ok, secs = run_nb(nb, skip_flags=cfg.tst_flags.split())
    assert ok, f'{nb.name} failed (traceback above, in captured stderr)'

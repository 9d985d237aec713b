__version__ = "0.0.1"
# The package's entry point, kept by hand (nbdev only maintains `__version__` above).
# litellm fetches a price list from the network when imported unless told otherwise: use its bundled copy
# unless the user chose, so importing lisette_like never reaches the network or warns when offline.
import os as _os
_os.environ.setdefault('LITELLM_LOCAL_MODEL_COST_MAP', 'True')

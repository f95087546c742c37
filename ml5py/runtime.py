"""The one place where ml5py picks its runtime.

Everything above this line (the model classes a beginner uses) is written once. This
module hands it the runtime it runs in:

- in CPython: ``ml5py.runtime_cpython`` (numpy tensors, our numpy model executor);
- in the browser, after Transcrypt: ``ml5py.runtime_browser`` (TensorFlow.js).

The browser import is an *executable comment*: CPython reads it as a comment, Transcrypt
(compiled with ``-ec``) runs it. The CPython import is skipped by Transcrypt.
"""

# __pragma__ ('skip')
from ml5py import runtime_cpython as rt  # noqa: F401
# __pragma__ ('noskip')

# __pragma__ ('ecom')
#?from ml5py import runtime_browser as rt
# __pragma__ ('noecom')

"""Explorers: small interactive views of a lesson's idea, for the page and for the notebook.

An explorer is an object whose ``_repr_html_`` returns one self-contained piece of HTML: the
numbers gdguide computed (embedded as JSON), inline SVG, and one small script shipped inside
this package. No CDN, web font, kernel or ipywidgets is needed, so sphinx-gallery embeds the same
explorer on the page (it captures ``_repr_html_``) that Jupyter shows when the learner runs the
cell. Every explorer's labels come from the reader's language catalog (``gdguide.catalogs``).

:class:`Explorer` is the shared base; each explorer lives in its own module.
"""

from gdguide.explorers import _base, descent_basin, learning_rate
from gdguide.explorers._base import Explorer
from gdguide.explorers.backward_pass import BackwardPassExplorer
from gdguide.explorers.descent_basin import DescentBasinExplorer, descent_end
from gdguide.explorers.learning_rate import LearningRateExplorer, bowl_verdict
from gdguide.explorers.training_replay import TrainingReplayExplorer

# The constants again, each with its documentation: autodoc reads ``#:`` comments from the
# module that documents the name, and the API page documents this package.

#: The most bytes of HTML, script and data one explorer may weigh (tests and
#: ``benchmarks/bench_explorers.py`` check it).
MAX_EXPLORER_BYTES: int = _base.MAX_EXPLORER_BYTES

#: The learning rates of :class:`LearningRateExplorer`'s slider: 0.01 to 0.25 in steps of 0.01,
#: which hold the lesson's four rates (0.05, 0.15, 0.19, 0.21) and the stable limit 0.2.
LEARNING_RATE_GRID: tuple[float, ...] = learning_rate.LEARNING_RATE_GRID

#: A descent on h whose last gradient norm is below this has settled (:func:`descent_end`).
SETTLED_GRADIENT: float = descent_basin.SETTLED_GRADIENT

__all__ = [
    "LEARNING_RATE_GRID",
    "MAX_EXPLORER_BYTES",
    "SETTLED_GRADIENT",
    "BackwardPassExplorer",
    "DescentBasinExplorer",
    "Explorer",
    "LearningRateExplorer",
    "TrainingReplayExplorer",
    "bowl_verdict",
    "descent_end",
]

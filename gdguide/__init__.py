"""gdguide: the tested library behind the gradient-descent and autograd lessons.

Each module has one job; import what a lesson needs from it directly:

- :mod:`gdguide.functions` -- h(x, y) = sin(x² + y²), f(x, y, z) and their hand-derived gradients
- :mod:`gdguide.chain_rule` -- forward values, local derivatives and the backward table of f
- :mod:`gdguide.gradcheck` -- numerical gradients and hand vs autograd vs numerical comparisons
- :mod:`gdguide.descent` -- plain gradient descent and its trajectory
- :mod:`gdguide.graph` -- computational graphs from live autograd tensors, as DOT text or figures
- :mod:`gdguide.neuron` -- the one-neuron example and its hand-derived gradients
- :mod:`gdguide.training` -- the sine data set, the wide network and the training loop
- :mod:`gdguide.reproducibility` -- seeding and device choice
- :mod:`gdguide.plots`, :mod:`gdguide.i18n`, :mod:`gdguide.language` -- figures and their labels
  in English and Japanese
- :mod:`gdguide.languages` -- the registry of languages; ``gdguide.catalogs`` -- every string a
  reader sees, one catalog per language
- :mod:`gdguide.exercises` -- self-checks for the learners' exercises
"""

#: The version, as in pyproject.toml (a test keeps the two equal); for a gdguide imported from
#: a source folder, where no installed metadata exists.
__version__ = "0.1.0"

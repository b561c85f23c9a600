"""Self-checks for the learners' coding exercises, with verdicts in English or Japanese.

Every coding exercise of the lessons has a check, numbered like the exercise:

* 1.1 :func:`check_h_gradient` -- the gradient of ``h(x, y) = sin(x² + y²)``;
* 1.3 :func:`check_df_dy` -- ∂f/∂y by the chain rule, from the stored forward values;
* 1.3 :func:`check_backward_pass` -- the whole backward pass of ``f(x, y, z)``;
* 2.1 :func:`check_neuron` -- the one-neuron class ``tanh(w·x + b)``;
* 2.1 :func:`check_squared_loss` -- the element-wise squared loss;
* 3.1 :func:`check_train` -- the five-line training loop.

Each check runs the learner's code on well-chosen inputs, compares the result with a reference
(with tolerances) and returns a :class:`CheckResult` whose message says what is right or, when it
is not, what the code returned, what was expected and the most likely mistake. A check never lets
the learner's mistake end in a traceback: an exception, a wrong type or shape, NaN or infinity and
an endless loop (stopped after 10 s) all become a verdict. Only wrong arguments of the check itself
(not callable, an unknown ``lang``) raise ``TypeError`` / ``ValueError``. The checks leave the
random states of Python, NumPy and PyTorch as they found them.

Every exercise is one small description (cases, reference, typical mistakes) in its own module,
run by the one runner in ``gdguide.exercises._runner``.
"""

from gdguide.exercises._runner import CheckResult
from gdguide.exercises.backprop import check_backward_pass, check_df_dy
from gdguide.exercises.gradient import check_h_gradient
from gdguide.exercises.neuron import check_neuron, check_squared_loss
from gdguide.exercises.training import check_train

__all__ = [
    "CheckResult",
    "check_backward_pass",
    "check_df_dy",
    "check_h_gradient",
    "check_neuron",
    "check_squared_loss",
    "check_train",
]

"""How a lesson's exercises are found, and the typical wrong answer to each.

tests/test_downloads.py runs every downloaded notebook in a fresh environment made from the site's
files alone, with two cells added after every exercise (:func:`exercise_cells`): one with a
typical wrong answer and one with the solution shown on the page. The starter code must get a
"not yet" verdict, the wrong answer a "not yet" verdict and the solution a "passed" verdict --
never a traceback.
"""

from __future__ import annotations

import ast
import json

import nbformat
import pytest
from site_sources import lesson_blocks, text_code_blocks

pytestmark = [pytest.mark.build, pytest.mark.slow]

#: One typical wrong answer per exercise function a lesson asks for.
WRONG_ANSWERS = {
    "h_gradient_mine": (
        "def h_gradient_mine(x, y):\n"
        "    import numpy as np\n"
        "    return np.cos(x**2 + y**2) * x, np.cos(x**2 + y**2) * y  # the 2 is missing\n"
    ),
    "df_dy_mine": (
        "def df_dy_mine(v):\n"
        "    import math\n"
        "    # the local derivative db/dy = cos(y) is missing\n"
        "    return ((1 - math.tanh(v['e']) ** 2) / (v['d'] + 1) * v['z']\n"
        "            * (-v['a'] / v['b'] ** 2))\n"
    ),
    "backward_mine": (
        "def backward_mine(v):\n"
        "    import math\n"
        "    df_dd = (1 - math.tanh(v['e']) ** 2) / (v['d'] + 1)\n"
        "    df_dc = df_dd * v['z']\n"
        "    # dd/dz is c, not z\n"
        "    return df_dc / v['b'] * 2, df_dc * -v['a'] / v['b'] ** 2 * math.cos(v['y']), "
        "df_dd * v['z']\n"
    ),
    "SimpleNeuron": (
        "class SimpleNeuron:\n"
        "    def __init__(self, w, b):\n"
        "        self.w = torch.tensor([w], requires_grad=True)\n"
        "        self.b = torch.tensor([b], requires_grad=True)\n"
        "\n"
        "    def forward(self, x):\n"
        "        return torch.tanh(self.w.detach() * x + self.b)  # w cut off from the graph\n"
    ),
    "squared_loss_mine": (
        "def squared_loss_mine(y_true, y_prediction):\n"
        "    return ((y_true - y_prediction) ** 2).mean()  # a mean, not element-wise\n"
    ),
    "train_mine": (
        "def train_mine(features, labels, model, loss_fn, optimizer, n_epochs):\n"
        "    losses = []\n"
        "    for _ in range(n_epochs):\n"
        "        loss = loss_fn(model(features), labels)  # zero_grad forgotten\n"
        "        loss.backward()\n"
        "        optimizer.step()\n"
        "        losses.append(loss.item())\n"
        "    return losses\n"
    ),
}


def solutions(lang: str, lesson: str) -> dict[str, str]:
    """Function name -> solution code, from the code shown in the lesson's text blocks."""
    found = {}
    for kind, text in lesson_blocks(lang, f"{lesson}.py"):
        if kind != "text":
            continue
        for code in text_code_blocks(text):
            for node in ast.parse(code).body:
                if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                    found[node.name] = code
    return found


def split_exercise(source: str) -> tuple[str, str, str] | None:
    """(function name, definition part, rest) of a starter cell, or None for other cells."""
    if "NotImplementedError" not in source:
        return None
    tree = ast.parse(source)
    defs = [node for node in tree.body if isinstance(node, (ast.FunctionDef, ast.ClassDef))]
    if not defs:
        return None
    end = max(node.end_lineno for node in defs)
    lines = source.splitlines()
    return defs[-1].name, "\n".join(lines[:end]), "\n".join(lines[end:])


def exercise_cells(notebook: nbformat.NotebookNode, lang: str, lesson: str) -> list[tuple]:
    """Add a wrong-answer cell and a solution cell after every exercise; return what to expect."""
    known = solutions(lang, lesson)
    expectations = []
    index = 0
    while index < len(notebook.cells):
        cell = notebook.cells[index]
        parts = split_exercise(cell.source) if cell.cell_type == "code" else None
        if parts is None:
            index += 1
            continue
        name, _, rest = parts
        assert name in known, f"{lang}/{lesson}: no solution on the page defines {name}()"
        assert name in WRONG_ANSWERS, f"no typical wrong answer known for {name}()"
        wrong = nbformat.v4.new_code_cell(WRONG_ANSWERS[name] + "\n" + rest)
        right = nbformat.v4.new_code_cell(known[name] + "\n" + rest)
        notebook.cells[index + 1:index + 1] = [wrong, right]
        expectations += [(cell, "❌", f"{name}: starter"), (wrong, "❌", f"{name}: wrong answer"),
                         (right, "✅", f"{name}: solution")]
        index += 3
    return expectations


def test_split_exercise_finds_the_starter_function():
    source = 'def f(x):\n    raise NotImplementedError("todo")\n\nprint(check(f))'
    assert split_exercise(source) == ("f", 'def f(x):\n    raise NotImplementedError("todo")',
                                      "\nprint(check(f))")
    assert split_exercise("print(1)") is None
    klass = 'class C:\n    def f(self):\n        raise NotImplementedError\n\nprint(check(C))'
    assert split_exercise(klass)[0] == "C"
    assert json.dumps(WRONG_ANSWERS)  # plain strings, safe to put in a notebook

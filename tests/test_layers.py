"""The imports run one way (DESIGN.md): loaders -> analysis -> outputs, gathered by the
pipeline, fanned out by the batch, checked by verify, driven by the cli; the desk sits over the
pipeline and the batch, and nothing below imports it. A module may import its own layer and
those below, never one above."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import REPO

# Lower numbers are imported by higher ones. The model, errors, options, wording and the safe
# file writer are shared by every layer; the manifest's types by the outputs' checkers.
LAYERS = {
    "renderer.version": 0,
    "renderer.errors": 0,
    "renderer.model": 0,
    "renderer.labels": 0,
    "renderer.config": 0,
    "renderer.outputs.files": 0,
    "renderer.loaders": 1,
    "renderer.analysis": 2,
    "renderer.manifest": 2,
    "renderer.outputs": 3,
    "renderer.pipeline": 4,
    "renderer.report": 4,
    "renderer.batch": 5,
    "renderer.verify": 5,
    "renderer.desk": 6,
    "renderer.cli": 7,
    "renderer._forkserver": 8,  # preloads the cli on purpose (its docstring says why)
    "renderer.__main__": 8,
}


def layer(module: str) -> int | None:
    for name in sorted(LAYERS, key=len, reverse=True):
        if module == name or module.startswith(name + "."):
            return LAYERS[name]
    return None


def imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
    return [name for name in found if name.startswith("renderer.")]


def test_every_module_has_a_layer_and_imports_none_above_it() -> None:
    upward = []
    for path in sorted((REPO / "renderer").rglob("*.py")):
        parts = path.relative_to(REPO).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        if module == "renderer":  # the public API, imported lazily from every layer
            continue
        own = layer(module)
        assert own is not None, f"{module} has no layer in tests/test_layers.py"
        for name in imports(path):
            other = layer(name)
            if other is not None and other > own:
                upward.append(f"{module} imports {name}")
    assert upward == []


def test_the_forkserver_preloads_every_module_a_stage_imports_when_it_runs() -> None:
    # The stages import their outputs' modules when they run (a PDF alone loads no speech
    # code); a batch's workers must still find them loaded, or each pays for them again.
    from renderer.pipeline import OUTPUT_MODULES

    tree = ast.parse((REPO / "renderer" / "pipeline.py").read_text("utf-8"))
    in_functions = {
        node.module
        for function in ast.walk(tree)
        if isinstance(function, ast.FunctionDef)
        for node in ast.walk(function)
        if isinstance(node, ast.ImportFrom) and node.module
    }
    assert in_functions, "the stages import nothing of their own any more: drop OUTPUT_MODULES"
    assert in_functions <= set(OUTPUT_MODULES)

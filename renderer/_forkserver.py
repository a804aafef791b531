"""Imported by the batch's forkserver before it forks any worker. What every article needs and
takes time to load is done once here, and every fresh worker (one per article when audio is
made) starts with it: the pipeline's modules and every output's (import_outputs: the
pipeline imports those only when a stage runs), the parsers, the registered fonts, the syllable table, the hyphenation
patterns, the language detector and the default cues, compiled. Nothing here starts the speech
engine, which cannot survive a fork.

The command line's module too. A worker started from the `renderer` script runs the script
again (multiprocessing's "__main__" preload, meant to prevent that, does not work in Python
3.11); the script's one import then finds the module loaded here, instead of importing it
from disk as it is by then, which mixed two versions of the code when cli.py was edited
during a run."""

import contextlib
import signal

# Ctrl-C reaches the whole process group: the run's own process stops the workers and says so,
# and the server must not die mid-preload with a traceback of its own. (multiprocessing ignores
# SIGINT here too, but only once the preload is done; a worker ignores it itself.)
signal.signal(signal.SIGINT, signal.SIG_IGN)

import renderer.cli  # noqa: E402, F401
from renderer.analysis.readability import load_dictionaries  # noqa: E402
from renderer.analysis.sections import load_cues  # noqa: E402
from renderer.loaders import import_parsers  # noqa: E402
from renderer.loaders.language import load_detector  # noqa: E402
from renderer.outputs.fonts import register_installed_fonts  # noqa: E402
from renderer.pipeline import import_outputs, render_file  # noqa: E402

__all__ = ["render_file"]

# A failure here would take the forkserver down, and every worker with it: a worker that
# needs what failed to load meets the error again itself and reports it for its article.
for _preload in (
    import_outputs,
    import_parsers,
    register_installed_fonts,
    load_dictionaries,
    load_detector,
    load_cues,
):
    with contextlib.suppress(Exception):
        _preload()

"""Speech engines by name, and one of each per process.

`--engine` (and renderer.toml's `engine`) takes a built-in name, the name an installed package
gives its engine in the `renderer.speech_engines` entry-point group, or `MODULE:CALLABLE` for an
engine of one's own, as uvicorn takes an app (a module in the current folder will do). The
callable is called with no arguments and returns the engine (speech/engine.py says what one
offers). Each process that speaks, the run's own and every worker, opens the engine by this
name itself: an engine is never handed across processes.
"""

from __future__ import annotations

import atexit
import importlib
import os
import re
import sys
import threading
from collections.abc import Callable
from typing import Any

from renderer.errors import DependencyError, RendererError, UsageError
from renderer.outputs.speech.engine import ENGINE_ATTRIBUTES, SpeechEngine, SpeechError

ENTRY_POINT_GROUP = "renderer.speech_engines"
_LINUX = sys.platform.startswith("linux")
_ESPEAK = "renderer.outputs.speech.espeak:Espeak"
# Each a reference, imported only when its engine is opened. On Linux pyttsx3's own driver is
# espeak-ng, whose file path loses audio (see espeak.py): "system" is espeak.py's adapter there.
BUILT_IN = {
    "espeak": _ESPEAK,
    "system": _ESPEAK if _LINUX else "renderer.outputs.speech.system:PlatformDriver",
    "tone": "renderer.outputs.speech.standins:Tone",
}
DEFAULT = "espeak" if _LINUX else "system"
_REFERENCE = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*:[A-Za-z_]\w*(\.[A-Za-z_]\w*)*")


def engine_names() -> list[str]:
    """The names --engine takes: the built-in ones, then those installed packages offer."""
    return [*BUILT_IN, *sorted(set(_installed()) - set(BUILT_IN))]


def _installed() -> dict[str, str]:
    from importlib.metadata import entry_points

    return {
        point.name.lower(): f"{point.module}:{point.attr}" if point.attr else point.module
        for point in entry_points(group=ENTRY_POINT_GROUP)
    }


def engine_reference(name: str | None) -> str:
    """The `module:callable` that makes the engine `name` names (None: the platform's own)."""
    key = (name or DEFAULT).strip()
    if key.lower() in BUILT_IN:
        return BUILT_IN[key.lower()]
    if ":" in key:
        if not _REFERENCE.fullmatch(key):
            raise UsageError(
                f"speech engine {key!r}: an engine of your own is named MODULE:CALLABLE "
                "(for example myvoices:Engine)"
            )
        return key
    installed = _installed()
    if key.lower() in installed:
        return installed[key.lower()]
    raise UsageError(
        f"unknown speech engine {key!r}: choose {', '.join(engine_names())}, "
        "or MODULE:CALLABLE for an engine of your own"
    )


def _import(module: str) -> Any:
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as error:
        here = os.getcwd()
        top = module.split(".")[0]
        if error.name != top or here in sys.path or "" in sys.path:
            raise
    # As uvicorn finds an app: the console script's sys.path lacks the folder it was run in,
    # which `python -m renderer` has. Added for good: the workers inherit this sys.path, and the
    # engine's module may import its neighbours later.
    sys.path.append(here)
    return importlib.import_module(module)


def _start(name: str | None) -> SpeechEngine:
    """A new engine of the kind `name` names (open_engine() keeps it: espeak-ng, for one,
    cannot be started twice in a process)."""
    reference = engine_reference(name)
    label = repr(name or DEFAULT) + (
        "" if name and reference == name.strip() else f" ({reference})"
    )
    module_name, _, attribute = reference.partition(":")
    try:
        made: Any = _import(module_name)
    except ModuleNotFoundError as error:
        if error.name and (module_name + ".").startswith(error.name + "."):
            raise UsageError(
                f"speech engine {label}: no module named {error.name!r} here "
                "(install the package that has it, or run from the folder that holds it)"
            ) from None
        raise DependencyError(
            f"speech engine {label} could not be loaded: {_line(error)}"
        ) from None
    except Exception as error:  # a plugin's own bug: one line, not a traceback
        raise DependencyError(
            f"speech engine {label} could not be loaded: {_line(error)}"
        ) from None
    for part in attribute.split("."):
        if not hasattr(made, part):
            raise UsageError(f"speech engine {label}: {module_name} has no {attribute!r}")
        made = getattr(made, part)
    if not callable(made):
        raise UsageError(f"speech engine {label}: {attribute!r} cannot be called to make one")
    factory: Callable[[], Any] = made
    try:
        engine = factory()
    except RendererError:
        raise  # says what to install, or what is wrong, itself
    except Exception as error:
        raise DependencyError(f"speech engine {label} could not start: {_line(error)}") from None
    missing = [a for a in ENGINE_ATTRIBUTES if not hasattr(engine, a)]
    if missing:
        raise UsageError(f"speech engine {label} is not one: it has no {', '.join(missing)}")
    result: SpeechEngine = engine
    return result


def _line(error: BaseException) -> str:
    return f"{type(error).__name__}: {' '.join(str(error).split())}"


# The engines this process has opened, by reference (so "system" and "espeak" are one on Linux).
# Reentrant: an engine of one's own may open a built-in one to wrap it.
_OPEN: dict[str, SpeechEngine] = {}
_OPENED_IN: int | None = None
_LOCK = threading.RLock()


def open_engine(name: str | None = None) -> SpeechEngine:
    """This process's engine of the kind `name` names (None: the platform's own), started on
    first use and kept until the process ends: espeak cannot be initialised twice in a process,
    and pyttsx3 rebuilding a dropped engine crashed."""
    global _OPENED_IN
    reference = engine_reference(name)
    with _LOCK:
        if _OPEN and os.getpid() != _OPENED_IN:
            # A forked child inherits the engine's C state, which neither espeak-ng nor pyttsx3
            # expects (with pyttsx3's own initialisation it hangs: #131).
            raise SpeechError(
                "the speech engine was started before this process was forked; "
                "start worker processes with 'spawn' or 'forkserver'"
            )
        engine = _OPEN.get(reference)
        if engine is None:
            engine = _start(name)
            if not _OPEN:
                atexit.register(_release)
            _OPEN.setdefault(reference, engine)
            _OPENED_IN = os.getpid()
        return engine


def _release() -> None:
    # pyttsx3's DriverProxy.__del__ needs `contextlib`, which is gone once the interpreter tears
    # its modules down ("Exception ignored in ... __del__"): let it go while they still exist.
    _OPEN.clear()

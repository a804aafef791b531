"""Options of a run, checked once: defaults, then a clinic's files, then command-line flags.

Every value a user can set is declared once, as a field of the frozen option types below: its
type and the rule it must pass, its default, and (for the renderer.toml keys) what it is.
pydantic (v2, chosen because it checks plain dataclasses and TOML tables against their
annotations and says where a mistake is) applies those declarations however a value arrives:
a keyword in code or a flag (a `UsageError` naming the flag), or a key of renderer.toml (a
`ConfigError` naming the file and key). `validate` does the same for the cue and lexicon files,
whose loaders declare their shape as dataclasses: one mechanism, one-line errors, exit code 2.

Choices ("A4", "Cream") are taken in any case and kept in lower case. pydantic is imported on
first use, so that `renderer --help` does not pay for it.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
import sys
import types
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import (
    TYPE_CHECKING,
    Annotated,
    Any,
    TypeVar,
    Union,
    get_args,
    get_origin,
    get_type_hints,
)

from renderer.errors import ConfigError, UsageError
from renderer.model import THEMES as THEME_COLOURS

if TYPE_CHECKING:
    from pydantic import TypeAdapter
    from pydantic_core import ErrorDetails

T = TypeVar("T")

CONFIG_NAME = "renderer.toml"

# NIH asks for patient material below grade 8; AMA and AAFP ask for 6th grade or lower.
DEFAULT_TARGET_GRADE = 8.0
GRADE_RANGE = (1.0, 20.0)

PAGE_SIZES = ("letter", "a4")
DEFAULT_PAGE_SIZE = "letter"
THEMES = tuple(THEME_COLOURS)  # the model defines each theme once, with its contrast check
DEFAULT_THEME = "standard"
FONT_SIZE_RANGE = (16.0, 32.0)  # UKAAF: 16 pt minimum, 18 ideal; above 32 a line holds too little
DEFAULT_FONT_SIZE = 18.0

FORMATS = ("pdf", "audio", "daisy", "epub")
DEFAULT_FORMATS = ("pdf", "audio")  # a DAISY book or an EPUB is asked for by name
SPOKEN_FORMATS = ("audio", "daisy", "epub")  # the outputs made from one synthesis of the script
AUDIO_FORMATS = ("mp3", "wav")
DEFAULT_AUDIO_FORMAT = "mp3"
RATE_RANGE = (80, 400)
# Words a minute. espeak's own default is 200, a brisk conversational pace; audiobooks are
# narrated at 150-160, and listeners who are older, ill or new to the words follow a slower
# reading better. At 150 espeak-ng was measured at 150-175 words a minute.
DEFAULT_RATE = 150

# Seconds an article may take in a worker before it is stopped and reported, so that one
# hung speech engine cannot stall an unattended batch for ever. A long article (10,000 words,
# an hour of audio) takes under a minute on a 2-core machine; ten minutes leaves room for a
# loaded one. Not an option of the outputs: it changes no file, so no fingerprint holds it.
DEFAULT_TIMEOUT = 600.0


# --- rules: what a value must be, as metadata pydantic reads from a field's type ---------------


class Refused(ValueError):
    """A value a rule refused; `must` says what it must be (the rule's own words when not
    given), `part` the piece that was wrong (an unknown name in a list) when not all of it."""

    def __init__(self, must: str = "", part: object = None) -> None:
        super().__init__(must)
        self.must = must
        self.part = part


def _same(value: Any) -> Any:
    return value


@dataclass(frozen=True)
class Rule:
    """A field's rule, written in its type (`Annotated[float, between(16, 32, "pt")]`).

    `check` returns the value as it is kept (lower case, in our order ...) or raises Refused;
    `before` reshapes what a file may write more loosely (one file for a list of them); with
    `strict`, a value of another type is refused rather than converted ("18" or true for a
    number)."""

    must: str
    check: Callable[[Any], Any] = _same
    before: Callable[[Any], Any] | None = None
    strict: bool = True

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        inner = handler(source)
        if self.strict and inner.get("type") in ("int", "float", "str", "bool"):
            inner = {**inner, "strict": True}
        schema: Any = core_schema.no_info_after_validator_function(self._apply, inner)
        if self.before is not None:
            schema = core_schema.no_info_before_validator_function(self.before, schema)
        return schema

    def _apply(self, value: Any) -> Any:
        try:
            return self.check(value)
        except Refused as refused:
            raise Refused(refused.must or self.must, refused.part) from None


def one_of(names: tuple[str, ...]) -> Rule:
    """A choice, in any case, kept in lower case."""

    def check(value: str) -> str:
        if value.lower() not in names:
            raise Refused
        return value.lower()

    return Rule(f"one of {', '.join(names)}", check)


def between(low: float, high: float, unit: str = "") -> Rule:
    must = f"between {low:g} and {high:g}" + (f" {unit}" if unit else "")

    def check(value: float) -> float:
        if not low <= value <= high:  # NaN is refused too
            raise Refused
        return value

    return Rule(must, check)


def _positive(value: float) -> float:
    if not value > 0:  # NaN is refused too
        raise Refused
    return value


def _at_least_one(value: int) -> int:
    if value < 1:
        raise Refused
    return value


def _some_text(value: str) -> str:
    if not value.strip():
        raise Refused
    return value


def _web_address(value: str) -> str:
    if not value.startswith(("https://", "http://")):
        raise Refused
    return value


def _named(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        raise Refused("a file name")
    return value


def _listed(value: Any) -> Any:
    """A file may name one item where a list is meant: `lexicon = "words.toml"`."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)) and any(
        isinstance(v, str) and not v.strip() for v in value
    ):
        raise Refused("a list of file names, none of them empty")
    return value


def _format_names(value: Any) -> Any:
    """`pdf,audio` (a flag) or ["pdf", "audio"] (a file) as a list of names."""
    if isinstance(value, str):
        return [name.strip() for name in value.split(",") if name.strip()]
    return value


def _formats(names: tuple[str, ...]) -> tuple[str, ...]:
    wanted = [name.strip().lower() for name in names]
    for name, given in zip(wanted, names, strict=True):
        if name not in FORMATS:
            raise Refused(part=given)
    if not wanted:
        raise Refused
    return tuple(f for f in FORMATS if f in wanted)


PageSize = Annotated[str, one_of(PAGE_SIZES)]
ThemeName = Annotated[str, one_of(THEMES)]
AudioFormat = Annotated[str, one_of(AUDIO_FORMATS)]
FontSize = Annotated[float, between(*FONT_SIZE_RANGE, "pt")]
Rate = Annotated[int, between(*RATE_RANGE, "words a minute")]
Grade = Annotated[float, between(*GRADE_RANGE)]
Text = Annotated[str, Rule("text", _some_text)]
WebAddress = Annotated[str, Rule("an http or https address", _web_address)]
Formats = Annotated[
    tuple[str, ...],
    Rule(f"one or more of {', '.join(FORMATS)}", _formats, _format_names, strict=False),
]
Files = Annotated[tuple[Path, ...], Rule("a file, or a list of them", before=_listed)]
FontFile = Annotated[Path, Rule("a TrueType font file", before=_named)]
Jobs = Annotated[int, Rule("1 or more", _at_least_one)]
Switch = Annotated[bool, Rule("true or false")]
Seconds = Annotated[float, Rule("more than 0 seconds", _positive)]


def about(what: str | None = None, key: str | None = None) -> dict[str, str | None]:
    """A field's metadata: `what` a renderer.toml key holds (a field without it is set by flag
    or code only); `key` names the key and flag when the field's own name is not it
    (`cue_files` is `cues` and `--cues`)."""
    return {"about": what, "key": key}


def key_of(option: dataclasses.Field[Any]) -> str:
    key: str | None = option.metadata.get("key")
    return key or option.name


def flag_of(option: dataclasses.Field[Any]) -> str:
    return "--" + key_of(option).replace("_", "-")


# --- the options -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LargePrintOptions:
    """How the PDF handout looks: paper, type size, theme, font, and the clinic's details."""

    page_size: PageSize = field(
        default=DEFAULT_PAGE_SIZE, metadata=about("paper: " + ", ".join(PAGE_SIZES))
    )
    font_size: FontSize = field(
        default=DEFAULT_FONT_SIZE,
        metadata=about(
            f"body text size in points, {FONT_SIZE_RANGE[0]:g} to {FONT_SIZE_RANGE[1]:g}"
        ),
    )
    line_spacing: float = 1.5
    theme: ThemeName = field(default=DEFAULT_THEME, metadata=about("one of " + ", ".join(THEMES)))
    font: FontFile | None = field(default=None, metadata=about("a TrueType font file"))
    clinic_name: Text | None = field(default=None, metadata=about("text printed under the title"))
    clinic_phone: Text | None = field(default=None, metadata=about("text printed under the title"))
    audio_url: WebAddress | None = None
    edition: Text | None = field(
        default=None, metadata=about("text printed beside the handout's date (a version)")
    )

    def __post_init__(self) -> None:
        _check_fields(self)


@dataclass(frozen=True)
class SpeechOptions:
    """How the spoken version sounds and is written."""

    # an id or language code; None: the article's language
    voice: Text | None = field(
        default=None, metadata=about("a voice id or language code from `renderer voices`")
    )
    rate: Rate = field(
        default=DEFAULT_RATE,
        metadata=about(f"words a minute, {RATE_RANGE[0]} to {RATE_RANGE[1]}"),
    )
    audio_format: AudioFormat = field(
        default=DEFAULT_AUDIO_FORMAT, metadata=about("one of " + ", ".join(AUDIO_FORMATS))
    )
    lexicon_files: Files = field(
        default=(), metadata=about("a pronunciation file, or a list of them", key="lexicon")
    )
    split: Switch = field(default=False, metadata=about(key="split_audio"))  # a file per section
    # a speech engine by name (speech.engine_names()); None: the platform's
    engine: Text | None = field(
        default=None, metadata=about("a speech engine by name (see `renderer voices --help`)")
    )

    def __post_init__(self) -> None:
        _check_fields(self)


@dataclass(frozen=True)
class Options:
    target_grade: Grade = field(
        default=DEFAULT_TARGET_GRADE,
        metadata=about(f"a school grade, {GRADE_RANGE[0]:g} to {GRADE_RANGE[1]:g}"),
    )
    cue_files: Files = field(
        default=(), metadata=about("a section-cue file, or a list of them", key="cues")
    )
    formats: Formats = field(
        default=DEFAULT_FORMATS, metadata=about("a list of outputs: " + ", ".join(FORMATS))
    )
    print: LargePrintOptions = field(default_factory=LargePrintOptions)
    speech: SpeechOptions = field(default_factory=SpeechOptions)

    def __post_init__(self) -> None:
        _check_fields(self)

    @property
    def speaks(self) -> bool:
        """Whether any output asked for needs the script spoken (and so the speech engine)."""
        return any(f in SPOKEN_FORMATS for f in self.formats)


@dataclass(frozen=True)
class RunOptions:
    """How a batch runs. Not options of the outputs: they change no file, so no fingerprint
    holds them."""

    jobs: Jobs | None = field(
        default=None, metadata=about("how many articles to render at once, 1 or more")
    )  # None: one per core
    timeout: Seconds = field(
        default=DEFAULT_TIMEOUT,
        metadata=about("seconds one article may take before it is stopped, more than 0"),
    )

    def __post_init__(self) -> None:
        _check_fields(self)


_OPTION_TYPES = (Options, LargePrintOptions, SpeechOptions, RunOptions)


def _settable() -> dict[str, dataclasses.Field[Any]]:
    """renderer.toml's keys and the fields they set."""
    return {
        key_of(f): f
        for cls in _OPTION_TYPES
        for f in dataclasses.fields(cls)
        if f.metadata.get("about")
    }


# Keys of renderer.toml: what each holds.
SETTINGS: dict[str, str] = {key: f.metadata["about"] for key, f in _settable().items()}


def build_options(values: Mapping[str, Any]) -> Options:
    """Options from values by key (renderer.toml's keys, and flags by the same names, such as
    `page_size`, `cues`, `split_audio`); every key not given keeps its default."""

    def given(cls: type[Any]) -> dict[str, Any]:
        return {f.name: values[key_of(f)] for f in dataclasses.fields(cls) if key_of(f) in values}

    own = {k: v for k, v in given(Options).items() if k not in ("print", "speech")}
    return Options(
        **own,
        print=LargePrintOptions(**given(LargePrintOptions)),
        speech=SpeechOptions(**given(SpeechOptions)),
    )


def build_run_options(values: Mapping[str, Any]) -> RunOptions:
    fields = dataclasses.fields(RunOptions)
    return RunOptions(**{f.name: values[key_of(f)] for f in fields if key_of(f) in values})


def option_keys() -> tuple[str, ...]:
    """Every key `build_options` and `build_run_options` take (flags are named after them)."""
    return tuple(
        key_of(f)
        for cls in _OPTION_TYPES
        for f in dataclasses.fields(cls)
        if f.name not in ("print", "speech")
    )


def parse_formats(value: str) -> tuple[str, ...]:
    """`pdf,Audio` as a tuple in our order; an unknown or empty list is a usage error."""
    [formats] = [f for f in dataclasses.fields(Options) if f.name == "formats"]
    return _checked(Options, formats, value)  # type: ignore[no-any-return]


def options_to_json(options: Options) -> dict[str, Any]:
    """The options as JSON (paths as strings), as a manifest records them."""

    def plain(value: Any) -> Any:
        if isinstance(value, Path):
            return str(value)
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        return value

    result: dict[str, Any] = plain(asdict(options))
    return result


# --- checking: fields of the options, and files ------------------------------------------------


_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}
_FIELD_TYPES: dict[Any, dict[str, Any]] = {}


def _adapter(annotation: Any) -> TypeAdapter[Any]:
    """pydantic's checker for a type, built once per process (the first costs ~0.1 s)."""
    if annotation not in _ADAPTERS:
        from pydantic import TypeAdapter

        _ADAPTERS[annotation] = TypeAdapter(annotation)
    return _ADAPTERS[annotation]


def _field_types(cls: Any) -> dict[str, Any]:
    """A dataclass's fields and their declared types, rules included."""
    if cls not in _FIELD_TYPES:
        hints = get_type_hints(cls, include_extras=True)
        _FIELD_TYPES[cls] = {f.name: hints[f.name] for f in dataclasses.fields(cls)}
    return _FIELD_TYPES[cls]


def _check_fields(options: Any) -> None:
    """Check every field of `options` against its declared type and rule, and keep each value
    as the rule keeps it (a choice in lower case, formats in our order). A default, and options
    built (and so checked) already, are taken as they are: `Options()` needs no pydantic."""
    for option in dataclasses.fields(options):
        value = getattr(options, option.name)
        factory: Any = option.default_factory
        if value is option.default or type(value) is factory:
            continue
        kept = _checked(type(options), option, value)
        if kept is not value:
            object.__setattr__(options, option.name, kept)


def _checked(cls: type[Any], option: dataclasses.Field[Any], value: Any) -> Any:
    annotation = _field_types(cls)[option.name]
    try:
        plain = _by_rule_alone(annotation, value)
    except Refused as refused:
        must, part = refused.must, refused.part
    else:
        if plain is not _NEEDS_PYDANTIC:
            return plain
        from pydantic import ValidationError

        try:
            return _adapter(annotation).validate_python(value)
        except ValidationError as error:
            must, part = _cause(error.errors()[0])
    shown = value if part is None else part
    raise UsageError(f"{flag_of(option)} must be {must}, not {_shown(shown)}") from None


_NEEDS_PYDANTIC = object()
_PLAIN_TYPES = (str, int, float, bool)


def _by_rule_alone(annotation: Any, value: Any) -> Any:
    """The value as the field's rule keeps it, when the value is already of the field's plain
    type (as a flag's value is: argparse has made it a str, int or float). pydantic would hand
    it unchanged to the same rule, and importing pydantic and building its checker is 0.08 s of
    every run that sets a flag. Anything else (a value to convert, a path, a list from a file)
    returns _NEEDS_PYDANTIC. A value the rule refuses raises Refused, with its words."""
    if get_origin(annotation) in (Union, types.UnionType):
        inner = [a for a in get_args(annotation) if a is not type(None)]
        if len(inner) != 1:
            return _NEEDS_PYDANTIC
        annotation = inner[0]
    if get_origin(annotation) is not Annotated:
        return _NEEDS_PYDANTIC
    base, *extras = get_args(annotation)
    rules = [extra for extra in extras if isinstance(extra, Rule)]
    if len(rules) != 1 or len(extras) != 1:
        return _NEEDS_PYDANTIC
    [rule] = rules
    if rule.before is not None:
        value = rule.before(value)
    if base in _PLAIN_TYPES and type(value) is base:
        return rule._apply(value)
    listed = isinstance(value, (list, tuple)) and all(type(item) is str for item in value)
    if base == tuple[str, ...] and not rule.strict and listed:  # pydantic's lax mode: a tuple
        return rule._apply(tuple(value))
    return _NEEDS_PYDANTIC


def _shown(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (bool, int)):
        return str(value)
    return repr(value)


# What a value of the wrong type must be, by pydantic's error type.
_TYPE_WORDS = {
    "string_type": "text",
    "float_type": "a number",
    "float_parsing": "a number",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "bool_type": "true or false",
    "list_type": "a list",
    "tuple_type": "a list",
    "dict_type": "a table",
    "dataclass_type": "a table",
    "dataclass_exact_type": "a table",
    "model_type": "a table",
    "path_type": "a file name",
}


def _cause(error: ErrorDetails) -> tuple[str, object]:
    """What the value must be, and the part of it that was wrong (None: all of it)."""
    refused = (error.get("ctx") or {}).get("error")
    if isinstance(refused, Refused):
        return refused.must, refused.part
    return _TYPE_WORDS.get(error["type"], error["msg"][0].lower() + error["msg"][1:]), None


def validate(shape: type[T], table: Mapping[str, Any], path: Path | None, what: str) -> T:
    """A TOML table checked against `shape` (a dataclass, or a TypedDict, whose fields say
    what each key holds), or a ConfigError naming the file, the key and what it must be."""
    from pydantic import ValidationError

    try:
        result: T = _adapter(shape).validate_python(table)
    except ValidationError as error:
        raise ConfigError(_file_mistake(shape, table, error.errors()[0]), path) from None
    return result


def _file_mistake(shape: type[Any], table: Mapping[str, Any], error: ErrorDetails) -> str:
    loc = tuple(error["loc"])
    if error["type"] in ("extra_forbidden", "unexpected_keyword_argument"):
        parent = _part(shape, loc[:-1])
        allowed = ", ".join(_keys(parent)) if parent is not None else ""
        tables = parent is shape and parent is not None and _all_tables(parent)
        name = f"[{toml_key(loc)}]" if tables else repr(toml_key(loc))
        return f"unknown {'table' if tables else 'key'} {name} (allowed: {allowed})"
    if loc and loc[-1] == "[key]":
        must, _ = _cause(error)
        return f"{toml_key(loc[:-2])}: the key {loc[-2]!r} must be {must}"
    about = _about(shape, loc)
    must, _ = _cause(error)
    return f"{toml_key(loc)} = {_written(table, loc, error['input'])!r}: must be {about or must}"


def _written(table: Any, loc: tuple[str | int, ...], checked: Any) -> Any:
    """The value at `loc` as the file wrote it (a rule may have reshaped what it checked)."""
    for part in loc:
        try:
            table = table[part]
        except (KeyError, IndexError, TypeError):
            return checked
    return table


def toml_key(loc: Iterable[str | int]) -> str:
    """A place in a TOML file as its author writes it: `risk.headings[2]`, `words.'e.g.'`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
            continue
        if re.fullmatch(r"[A-Za-z0-9_-]+", part):
            name = part
        elif "'" not in part and "\n" not in part:
            name = f"'{part}'"  # a literal string: backslashes as written
        else:
            name = json.dumps(part, ensure_ascii=False)
        out += f".{name}" if out else name
    return out


def _fields_of(shape: Any) -> dict[str, dataclasses.Field[Any] | None]:
    """The fields of a dataclass; the keys of renderer.toml's model (whose fields say nothing)."""
    if dataclasses.is_dataclass(shape):
        return {f.name: f for f in dataclasses.fields(shape)}
    return dict.fromkeys(getattr(shape, "model_fields", {}))


def _keys(shape: Any) -> list[str]:
    return list(_fields_of(shape))


def _all_tables(shape: Any) -> bool:
    hints = _field_types(shape) if dataclasses.is_dataclass(shape) else {}
    return bool(hints) and all(
        dataclasses.is_dataclass(h) or getattr(h, "__origin__", None) is dict
        for h in hints.values()
    )


def _part(shape: Any, loc: tuple[str | int, ...]) -> Any:
    """The dataclass (or TypedDict) at `loc` inside `shape`, or None when it is not one."""
    for part in loc:
        if not isinstance(part, str) or not dataclasses.is_dataclass(shape):
            return None
        shape = _field_types(shape).get(part)
    return shape


def _about(shape: Any, loc: tuple[str | int, ...]) -> str | None:
    """What the field at exactly `loc` holds, when its declaration says."""
    if not loc or not isinstance(loc[-1], str):
        return None
    parent = _part(shape, loc[:-1])
    if parent is None:
        return None
    if parent is _settings_shape():
        return SETTINGS.get(loc[-1])
    found = _fields_of(parent).get(loc[-1])
    about: str | None = found.metadata.get("about") if found is not None else None
    return about


@functools.cache
def _settings_shape() -> Any:
    """renderer.toml's shape: every settable field, under its key, none required."""
    from pydantic import ConfigDict, create_model

    fields = {key: (_field_types(_owner(f))[f.name], None) for key, f in _settable().items()}
    return create_model("Settings", __config__=ConfigDict(extra="forbid"), **fields)  # type: ignore[call-overload]


def _owner(option: dataclasses.Field[Any]) -> type[Any]:
    return next(cls for cls in _OPTION_TYPES if option in dataclasses.fields(cls))


# --- files ---------------------------------------------------------------------------------------


def read_toml(
    path: Path | None, what: str, default: tuple[str, str] | None = None
) -> dict[str, Any]:
    """A TOML file as a table: `path`, or when it is None the packaged file `default`
    (package, name). `what` names the file in errors ("cue file", "lexicon")."""
    return parse_toml(read_bytes(path, what, default), path, what)


def read_bytes(path: Path | None, what: str, default: tuple[str, str] | None = None) -> bytes:
    """The bytes of a clinic's file (or the packaged `default` when `path` is None)."""
    from importlib import resources

    try:
        if path is None:
            assert default is not None
            return resources.files(default[0]).joinpath(default[1]).read_bytes()
        return path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{what} not found", path) from None
    except IsADirectoryError:
        raise ConfigError(f"{what} is a folder, not a file", path) from None
    except OSError as exc:
        raise ConfigError(f"cannot read {what}: {exc}", path) from None


def parse_toml(raw: bytes, path: Path | None, what: str) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"cannot read {what}: {exc}", path) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{what} is not valid TOML: {exc}", path) from None


def load_settings(path: Path | None) -> tuple[dict[str, Any], Path | None]:
    """A clinic's defaults: `path` (from --config), else renderer.toml in the working folder if
    there is one, else none. Each value is checked here, so a mistake names its key; file paths
    in it are taken relative to the file's own folder."""
    if path is None:
        if not Path(CONFIG_NAME).is_file():
            return {}, None
        path = Path(CONFIG_NAME)
    table = read_toml(path, "configuration file")
    checked = validate(_settings_shape(), table, path, "configuration file")
    settings = {key: getattr(checked, key) for key in checked.model_fields_set}
    for key, value in settings.items():
        if isinstance(value, Path):
            settings[key] = path.parent / value
        elif isinstance(value, tuple) and value and isinstance(value[0], Path):
            settings[key] = tuple(path.parent / v for v in value)
    return settings, path

"""The spoken version with a recording stand-in engine: the script, the transcript, chapters at
exact samples, MP3 and WAV navigation, the proof, and what is written when something fails."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import pytest
from mutagen.mp3 import MP3

from conftest import CONTENT, FIXTURES, RATE, SEEDS, RecordingEngine
from renderer.analysis.article import analyse
from renderer.analysis.sections import load_cues
from renderer.analysis.sentences import split_sentences
from renderer.config import LargePrintOptions, Options, SpeechOptions
from renderer.errors import VerificationError
from renderer.model import (
    Article,
    Block,
    BlockKind,
    ListItem,
    Section,
    SectionKind,
    protected_passages,
)
from renderer.outputs.audio import (
    LAME_DELAY,
    Chapter,
    Pcm,
    Script,
    Tags,
    audio_problems,
    build_script,
    encode_mp3,
    encode_wav,
    pause_seconds,
    read_audio,
    synthesise,
)
from renderer.outputs.audio.encode import _ENCODE_BLOCK
from renderer.outputs.lexicon import load_lexicon
from renderer.outputs.proof import missing_passages
from renderer.outputs.speech import SAMPLE_WIDTH, SpeechError
from renderer.pipeline import Toolkit, render_file

LEXICON = load_lexicon()
CUES = load_cues()


def article(*sections: Section, title: str = "Test leaflet", language: str = "en") -> Article:
    return Article("test.md", title, language, sections)


def para(text: str, **kwargs: object) -> Block:
    return Block(BlockKind.PARAGRAPH, text=text, **kwargs)  # type: ignore[arg-type]


def script_of(a: Article) -> Script:
    return build_script(a, split_sentences)


# -- the script ------------------------------------------------------------------------------


def test_the_title_comes_first_then_each_section_is_announced() -> None:
    s = script_of(
        article(
            Section(0, None, (para("Hello there."),)),
            Section(1, "Potential risks", (para("It can hurt."),)),
        )
    )
    # The untitled opening chapter is named after its first words, not "Section 1".
    assert [c.title for c in s.chapters] == ["Test leaflet", "Hello there", "Potential risks"]
    text = s.transcript()
    assert text.startswith("Test leaflet\n\n\nSection 1 of 2.\n\nHello there.")
    assert "Section 2 of 2: Potential risks.\n\nIt can hurt." in text


def test_protected_sections_are_introduced_and_read_in_full() -> None:
    risk = Section(
        1,
        "Side effects",
        (para("You may feel sick. Call us."),),
        kind=SectionKind.RISK,
        protected=True,
    )
    legal = Section(
        2,
        "Note",
        (para("This is not medical advice."),),
        kind=SectionKind.DISCLAIMER,
        protected=True,
    )
    text = script_of(article(risk, legal)).transcript()
    assert "Side effects.\nImportant safety information.\n\nYou may feel sick. Call us." in text
    assert "Note.\nDisclaimer.\n\nThis is not medical advice." in text


def test_a_heading_that_is_the_introduction_is_said_once() -> None:
    legal = Section(
        1,
        "DISCLAIMER",
        (para("This is not medical advice."),),
        kind=SectionKind.DISCLAIMER,
        protected=True,
    )
    text = script_of(article(legal)).transcript()
    assert "Section 1 of 1: DISCLAIMER.\n\nThis is not medical advice." in text
    assert text.lower().count("disclaimer") == 1


def test_an_untitled_chapter_is_named_after_its_first_words() -> None:
    long = para("Most people get better in a week or two without any treatment at all.")
    chapters = script_of(article(Section(0, None, (long,)))).chapters
    assert chapters[1].title == "Most people get better in a…"
    symbols = script_of(article(Section(0, None, (para("***"),)))).chapters
    assert symbols[1].title == "Section 1"  # nothing to name it by: the language's label


def test_a_stray_warning_in_a_general_section_is_introduced() -> None:
    block = para("Do not drive.", protected=True, protection_kind=SectionKind.RISK)
    text = script_of(article(Section(0, "After", (para("Rest."), block)))).transcript()
    assert "Rest.\n\nImportant safety information.\n\nDo not drive." in text


def test_lists_are_read_item_by_item_and_ordered_ones_numbered() -> None:
    items = (ListItem("Eat first."), ListItem("Sit down."), ListItem("Breathe.", depth=1))
    section = Section(
        0,
        "Steps",
        (
            Block(BlockKind.LIST, items=items, ordered=True),
            Block(BlockKind.LIST, items=(ListItem("Water"), ListItem("Snacks"))),
        ),
    )
    text = script_of(article(section)).transcript()
    assert "1. Eat first.\n2. Sit down.\n1. Breathe.\n\nWater\nSnacks" in text


def test_tables_are_read_row_by_row_as_header_and_value() -> None:
    table = Block(
        BlockKind.TABLE, header=("Dose", "Effect"), rows=(("2 mg", "Sleepy"), ("4 mg", ""))
    )
    text = script_of(article(Section(0, "Doses", (table,)))).transcript()
    assert "Dose: 2 mg; Effect: Sleepy\nDose: 4 mg" in text


def test_boilerplate_is_not_read_but_a_protected_block_in_it_is() -> None:
    chrome = Section(1, "Share this", (para("Like us online."),), kind=SectionKind.BOILERPLATE)
    small_print = Section(
        2,
        "Footer",
        (
            para("Copyright 2026."),
            para("Not medical advice.", protected=True, protection_kind=SectionKind.DISCLAIMER),
        ),
        kind=SectionKind.BOILERPLATE,
    )
    s = script_of(article(Section(0, "Body", (para("Words."),)), chrome, small_print))
    text = s.transcript()
    assert "Like us online" not in text and "Copyright" not in text
    assert "Section 2 of 2: Footer." in text and "Not medical advice." in text


def test_the_lexicon_changes_what_the_engine_hears_not_the_transcript() -> None:
    s = script_of(article(Section(0, "Dose", (para("Take 2-4 mg at 8 a.m. daily."),))))
    engine = RecordingEngine()
    synthesise(s, engine, LEXICON, RATE)
    assert "Take 2-4 mg at 8 a.m. daily." in s.transcript()
    heard = " ".join(engine.texts)
    assert "milligrams" in heard and " mg" not in heard


def inputs() -> list[Path]:
    seeds = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    fixtures = [p for p in sorted(FIXTURES.rglob("*")) if p.is_file() and p.name != "README.md"]
    return [*sorted(CONTENT.iterdir()), *fixtures, *seeds]


@pytest.mark.parametrize("path", inputs(), ids=lambda p: p.name)
def test_every_protected_passage_is_in_the_transcript(path: Path) -> None:
    a = analyse(path, Options(), CUES)
    passages = protected_passages(a)
    assert missing_passages(passages, script_of(a).transcript()) == []


# -- synthesis and chapters --------------------------------------------------------------------


def spoken(a: Article, engine: RecordingEngine | None = None) -> tuple[Script, RecordingEngine]:
    engine = engine or RecordingEngine()
    return script_of(a), engine


def test_each_chapter_starts_at_the_sample_where_its_announcement_begins() -> None:
    a = article(
        Section(0, "One", (para("First part here. Second sentence."),)),
        Section(1, "Two", (para("Another part."),)),
    )
    s, engine = spoken(a)
    pcm = Pcm()
    speech = synthesise(s, engine, LEXICON, RATE, pcm)
    for chapter in speech.chapters[1:]:
        announcement = next(t for t in engine.texts if t.endswith(f": {chapter.title}."))
        before = engine.texts[: engine.texts.index(announcement)]
        # everything spoken before it, plus the silences the script puts between
        heard = sum(engine.samples(t) for t in before)
        assert chapter.start >= heard
        frames = pcm.frames[chapter.start * SAMPLE_WIDTH : (chapter.start + 1) * SAMPLE_WIDTH]
        assert frames == struct.pack("<h", 1000)  # speech begins on that very sample
        silence = pcm.frames[(chapter.start - 1) * SAMPLE_WIDTH : chapter.start * SAMPLE_WIDTH]
        assert silence == b"\0\0"
    assert speech.chapters[0].start == 0
    assert (
        speech.chapters[-1].end * SAMPLE_WIDTH == len(pcm.frames) == speech.samples * SAMPLE_WIDTH
    )


def test_the_pauses_are_known_from_the_transcript_alone() -> None:
    a = analyse(CONTENT / "ketamine-therapy.md", Options(), CUES)
    s, engine = spoken(a)
    speech = synthesise(s, engine, LEXICON, RATE)
    talking = sum(engine.samples(t) for t in engine.texts) / engine.sample_rate
    assert speech.seconds - talking == pytest.approx(pause_seconds(s.transcript()), abs=0.01)


def test_an_engine_that_drops_a_sentence_fails_the_article() -> None:
    a = article(Section(0, "Risks", (para("Call us at once if you faint. Rest."),)))
    s, _ = spoken(a)
    with pytest.raises(SpeechError, match="if you faint"):
        synthesise(s, RecordingEngine(drop="faint"), LEXICON, RATE)


# -- encoding and reading back ---------------------------------------------------------------


CHAPTERS = (Chapter("Title", 0, 8000), Chapter("Risks", 8000, 24000), Chapter("Help", 24000, 40000))
TAGS = Tags("Leaflet", "renderer test", "en")


def tone(samples: int) -> bytes:
    return b"".join(struct.pack("<h", (i * 37) % 2000 - 1000) for i in range(samples))


def test_the_mp3_is_cbr_mono_64k_with_ordered_chapters() -> None:
    data = encode_mp3(tone(40000), 8000, TAGS, CHAPTERS)
    mp3 = MP3(io.BytesIO(data))
    assert mp3.info.channels == 1 and mp3.info.bitrate == 64000 and mp3.info.sample_rate == 8000
    assert mp3.tags["TIT2"].text == ["Leaflet"] and mp3.tags["TPE1"].text == ["renderer test"]
    [toc] = mp3.tags.getall("CTOC")
    assert toc.child_element_ids == ["chp0", "chp1", "chp2"]
    chaps = {c.element_id: c for c in mp3.tags.getall("CHAP")}
    assert [chaps[i].sub_frames["TIT2"].text[0] for i in toc.child_element_ids] == [
        "Title",
        "Risks",
        "Help",
    ]
    assert chaps["chp1"].start_time == round((8000 + LAME_DELAY) * 1000 / 8000)
    facts = read_audio(data, "mp3")
    assert [t for t, _ in facts.chapters] == ["Title", "Risks", "Help"]
    assert facts.seconds == pytest.approx(5.0, abs=0.3)
    # The CHAP frames sit in the file in start order, so players that do not sort still list
    # them in order (mutagen would have ordered them by size).
    assert data.index(b"chp0\0") < data.index(b"chp1\0") < data.index(b"chp2\0")


def test_mp3_encoding_in_blocks_is_one_stream_whatever_the_length() -> None:
    # lame is fed 1 MiB at a time (it holds four times what it is given): a text longer than a
    # block plays as long as it is, and an empty one is still a valid file.
    long = tone(22050 * 30)  # 30 s at 22,050 Hz: 1.3 MB of PCM, two blocks
    assert len(long) > _ENCODE_BLOCK
    assert read_audio(encode_mp3(long, 22050, TAGS), "mp3").seconds == pytest.approx(30, abs=0.1)
    assert MP3(io.BytesIO(encode_mp3(b"", 22050, TAGS))).info.channels == 1


def test_the_wav_carries_a_cue_point_at_each_chapter_sample() -> None:
    data = encode_wav(tone(40000), 8000, TAGS, CHAPTERS)
    facts = read_audio(data, "wav")
    assert facts.seconds == 5.0 and facts.sample_rate == 8000 and facts.title == "Leaflet"
    assert facts.chapters == (("Title", 0.0), ("Risks", 1.0), ("Help", 3.0))


def test_the_proof_catches_short_audio_and_wrong_chapters() -> None:
    transcript = "Leaflet\n\n\nSection 1 of 1: Risks.\n\n" + "word " * 300 + "\n"
    good = encode_wav(tone(8000 * 150), 8000, TAGS, CHAPTERS[:2])
    facts = read_audio(good, "wav")
    assert audio_problems(facts, transcript, RATE, ["Title", "Risks"], "en") == []
    short = read_audio(encode_wav(tone(8000 * 20), 8000, TAGS, CHAPTERS[:2]), "wav")
    assert (
        "words at 150 words a minute"
        in audio_problems(short, transcript, RATE, ["Title", "Risks"], "en")[0]
    )
    assert (
        "chapters" in audio_problems(facts, transcript, RATE, ["Title", "Risks", "More"], "en")[0]
    )


# -- render_file ------------------------------------------------------------------------------


def kit(engine: RecordingEngine) -> Toolkit:
    return Toolkit.load(Options(), engine)


def test_render_file_writes_audio_and_transcript(tmp_path: Path) -> None:
    engine = RecordingEngine()
    options = Options(formats=("audio",), speech=SpeechOptions(split=True))
    result = render_file(FIXTURES / "stray-disclaimer.md", options, tmp_path, "stray", kit(engine))
    assert result.audio == tmp_path / "stray" / "stray.mp3"
    assert result.transcript and result.transcript.read_text("utf-8").startswith(
        result.manifest.analysis["title"]
    )
    chapters = read_audio(result.audio.read_bytes(), "mp3").chapters
    parts = sorted((tmp_path / "stray" / "sections").iterdir())
    assert len(parts) == len(chapters) and parts[0].name.startswith("00-")
    assert engine.configured == [("gmw/en", 150)]


def test_the_tags_name_the_clinic_and_the_title_as_printed(tmp_path: Path) -> None:
    path = tmp_path / "shout.md"
    path.write_text("# FLU AND COLDS\n\nRest and drink water.\n", encoding="utf-8")
    options = Options(formats=("audio",), print=LargePrintOptions(clinic_name="Elm Street Clinic"))
    result = render_file(path, options, tmp_path, "shout", kit(RecordingEngine()))
    assert result.audio is not None
    tags = MP3(result.audio).tags
    assert tags["TPE1"].text == ["Elm Street Clinic"]
    assert tags["TIT2"].text == ["Flu and colds"]
    plain = render_file(
        path, Options(formats=("audio",)), tmp_path / "b", "shout", kit(RecordingEngine())
    )
    assert plain.audio is not None
    assert MP3(plain.audio).tags["TPE1"].text[0].startswith("renderer ")


def test_the_article_language_picks_the_voice(tmp_path: Path) -> None:
    path = tmp_path / "folleto.md"
    path.write_text("---\nlang: es\n---\n# Folleto\n\nTome agua.\n", encoding="utf-8")
    engine = RecordingEngine()
    render_file(path, Options(formats=("audio",)), tmp_path, "folleto", kit(engine))
    assert engine.configured == [("roa/es", 150)]


def test_a_failed_audio_proof_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        "renderer.outputs.audio.check.audio_problems", lambda *a, **k: ["too short"]
    )
    with pytest.raises(VerificationError, match="too short"):
        render_file(
            FIXTURES / "stray-disclaimer.md", Options(), tmp_path, "s", kit(RecordingEngine())
        )
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


def test_a_failing_engine_writes_nothing_not_even_the_pdf(tmp_path: Path) -> None:
    engine = RecordingEngine(drop="doctor")
    with pytest.raises(SpeechError):
        render_file(FIXTURES / "stray-disclaimer.md", Options(), tmp_path, "s", kit(engine))
    assert not any(p.is_file() for p in tmp_path.rglob("*"))

"""Made-up health articles for load tests: seeded, varied in length and format, written here.

Run: .venv/bin/python bench/articles.py DIR [--count N] [--seed S] [--words MIN,MAX]
Writes N articles (Markdown, HTML and plain text in turn) into DIR. Each has headings, a
bulleted and a numbered list, a table, a risk section ("Side effects" or "Warnings"), advice on
when to get help and a disclaimer, so every stage of the renderer has work to do. The text is
assembled from the phrases below, so the same seed always gives the same files.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass
from html import escape
from pathlib import Path

# Each topic: a name, what it is, a treatment, a medicine with a dose, a provider, symptoms.
TOPICS = [
    ("high blood pressure", "a condition", "daily tablets", "amlodipine", "5 mg", "nurse"),
    ("type 2 diabetes", "a long-term condition", "metformin tablets", "metformin", "500 mg", "GP"),
    ("asthma", "a lung condition", "an inhaler", "salbutamol", "100 mcg", "asthma nurse"),
    ("migraine", "a type of headache", "pain relief", "sumatriptan", "50 mg", "doctor"),
    (
        "knee osteoarthritis",
        "wear in the knee joint",
        "exercise and pain relief",
        "naproxen",
        "250 mg",
        "physiotherapist",
    ),
    (
        "iron deficiency",
        "a lack of iron in the blood",
        "iron tablets",
        "ferrous sulfate",
        "200 mg",
        "GP",
    ),
    (
        "an underactive thyroid",
        "a hormone problem",
        "hormone tablets",
        "levothyroxine",
        "50 mcg",
        "doctor",
    ),
    (
        "heartburn",
        "acid coming up from the stomach",
        "acid-lowering tablets",
        "omeprazole",
        "20 mg",
        "pharmacist",
    ),
    (
        "eczema",
        "a dry, itchy skin condition",
        "moisturisers and creams",
        "hydrocortisone cream",
        "1%",
        "nurse",
    ),
    (
        "sleep apnoea",
        "breathing that stops during sleep",
        "a CPAP machine",
        "no medicine",
        "nightly",
        "sleep clinic",
    ),
    (
        "high cholesterol",
        "too much fat in the blood",
        "statin tablets",
        "atorvastatin",
        "20 mg",
        "GP",
    ),
    (
        "an overactive bladder",
        "a need to pass urine often",
        "bladder training and tablets",
        "oxybutynin",
        "2.5 mg",
        "continence nurse",
    ),
    (
        "gout",
        "painful swelling in a joint",
        "anti-inflammatory medicine",
        "colchicine",
        "500 mcg",
        "doctor",
    ),
    (
        "shingles",
        "a painful rash caused by a virus",
        "antiviral tablets",
        "aciclovir",
        "800 mg",
        "pharmacist",
    ),
    (
        "low mood after a baby",
        "a common problem after birth",
        "talking therapy",
        "sertraline",
        "50 mg",
        "health visitor",
    ),
    (
        "cataracts",
        "clouding of the lens of the eye",
        "a short operation",
        "eye drops",
        "four times a day",
        "eye surgeon",
    ),
]

SYMPTOMS = [
    "tiredness",
    "headaches",
    "feeling sick",
    "dizziness",
    "a dry mouth",
    "trouble sleeping",
    "an upset stomach",
    "aching muscles",
    "a rash",
    "low appetite",
    "feeling shaky",
    "blurred vision",
    "swollen ankles",
    "a cough",
    "constipation",
    "diarrhoea",
]

SERIOUS = [
    "chest pain or a tight chest",
    "trouble breathing or a swollen face, lips or tongue",
    "a sudden, very bad headache",
    "weakness or numbness on one side of the body",
    "yellow skin or yellow whites of the eyes",
    "black or bloody stools",
    "fainting or a very fast heartbeat",
    "thoughts of harming yourself",
]

INTRO = [
    "{Topic} is {what}. It is common, and there is a lot you can do about it.",
    "This leaflet explains what {topic} is, how it is treated and what to watch for.",
    "Many people live well with {topic} once they find the right care.",
    "You may have been told you have {topic}. This page is here to help you understand it.",
    "Read this page with a family member or a friend if that helps you.",
    "Keep this leaflet. You may want to read it again later.",
    "Your {provider} can answer any questions this page does not cover.",
]

ABOUT = [
    "Doctors do not always know why {topic} starts.",
    "It can run in families, but it can also happen to anyone.",
    "Age, weight, smoking and stress can all play a part.",
    "Some people have no signs at all, and find out at a routine check.",
    "Others notice {symptom} or {symptom2} first.",
    "A simple test at the surgery is often enough to find it.",
    "It is not your fault, and it is not something to feel ashamed of.",
    "Finding it early makes it easier to treat.",
    "Over time, untreated {topic} can cause other health problems.",
    "Most people need treatment for a long time, sometimes for life.",
]

TREATMENT = [
    "The usual first step is {treatment}.",
    "Your {provider} will explain the choices and help you decide.",
    "Many people take {drug}, usually starting at {dose}.",
    "The dose may go up slowly over a few weeks.",
    "Take it at the same time each day so it becomes a habit.",
    "It can take two to six weeks before you feel the full benefit.",
    "Do not stop your treatment suddenly, even if you feel better.",
    "If you forget a dose, take it when you remember, unless the next one is soon.",
    "Never take two doses at once to make up for a missed one.",
    "Tell your pharmacist about any other medicines, herbs or vitamins you take.",
    "Some people also find that changes in daily habits help a great deal.",
]

HABITS = [
    "walk for 30 minutes on most days",
    "eat more fruit, vegetables and whole grains",
    "cut down on salt and sugary drinks",
    "stop smoking, with help from a local service",
    "keep alcohol to 14 units a week or less",
    "go to bed and get up at the same times",
    "keep a diary of your symptoms",
    "bring a list of questions to each visit",
    "ask a friend to come with you to appointments",
    "keep your medicines in a cool, dry place",
]

STEPS = [
    "Your {provider} asks about your health and any medicines you take.",
    "You have a short check, such as blood pressure or a blood test.",
    "You talk about the choices and agree on a plan together.",
    "You start {treatment} at a low dose.",
    "You come back after four to six weeks to see how it is going.",
    "The plan is changed if it is not working well for you.",
    "Once things are settled, you have a review once a year.",
]

SIDE = [
    "Most people have no side effects, or only mild ones that fade in a week or two.",
    "The most common side effects of {drug} are {symptom} and {symptom2}.",
    "Side effects are often worse in the first few days.",
    "Taking the medicine with food may help with an upset stomach.",
    "Some side effects are rare but serious.",
    "Older people may be more likely to have side effects.",
    "Tell your {provider} if a side effect bothers you or does not go away.",
    "Do not drive or use tools if you feel dizzy or sleepy.",
]

WARN = [
    "Do not take {drug} if you have had an allergic reaction to it before.",
    "Tell your doctor if you are pregnant, might be pregnant or are breastfeeding.",
    "Some medicines do not mix well with {drug}, so always check with a pharmacist.",
    "Alcohol can make some side effects worse.",
    "Keep all medicines out of the sight and reach of children.",
    "Take no more than the dose on the label.",
]

HELP = [
    "Call 911 or go to the nearest emergency department straight away if you have {serious}.",
    "Get urgent help if you have {serious}.",
    "Call your {provider} the same day if your symptoms get worse quickly.",
    "If you are not sure, it is always better to ask.",
]

LIVING = [
    "Living with {topic} can feel hard at times.",
    "Support groups let you talk to people who know what it is like.",
    "Small changes add up over months and years.",
    "Set goals that are realistic, and be kind to yourself when a day goes badly.",
    "Your family may want to learn about {topic} too.",
    "Check-ups matter even when you feel well.",
    "Many people find it helps to write down their questions before a visit.",
]

QUESTIONS = [
    "How long will I need treatment?",
    "What should I do if I miss a dose?",
    "Can I drink alcohol?",
    "Is it safe to drive?",
    "What happens if the treatment does not work?",
    "Who do I call out of hours?",
    "Will I need more tests?",
]

DISCLAIMER = (
    "This leaflet is general information only. It does not replace advice from your doctor "
    "or another qualified health professional. Always talk to your healthcare provider about "
    "your own situation before you start, stop or change any treatment."
)


@dataclass(frozen=True)
class Block:
    kind: str  # "p", "ul", "ol", "table"
    items: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Section:
    heading: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Draft:
    topic: str
    title: str
    sections: tuple[Section, ...]

    def words(self) -> int:
        texts = [self.title]
        for s in self.sections:
            texts.append(s.heading)
            for b in s.blocks:
                texts += list(b.items) + [" ".join(r) for r in b.rows]
        return sum(len(t.split()) for t in texts)


class _Writer:
    """Fills the phrase templates for one article, drawing from its own seeded generator."""

    def __init__(self, rng: random.Random, topic: tuple[str, ...]) -> None:
        self.rng = rng
        name, what, treatment, drug, dose, provider = topic
        self.slots = {
            "topic": name,
            "Topic": name[0].upper() + name[1:],
            "what": what,
            "treatment": treatment,
            "drug": drug,
            "dose": dose,
            "provider": provider,
        }

    def fill(self, template: str) -> str:
        symptom, symptom2 = self.rng.sample(SYMPTOMS, 2)
        return template.format(
            **self.slots, symptom=symptom, symptom2=symptom2, serious=self.rng.choice(SERIOUS)
        )

    def paragraph(self, pool: list[str], sentences: int) -> Block:
        picked = self.rng.sample(pool, min(sentences, len(pool)))
        return Block("p", (" ".join(self.fill(t) for t in picked),))

    def paragraphs(self, pool: list[str], words: int) -> list[Block]:
        """Paragraphs of 2-5 sentences until about `words` words, no sentence twice until the
        pool is used up."""
        blocks: list[Block] = []
        deck: list[str] = []
        while words > 0:
            picked = []
            for _ in range(self.rng.randint(2, 5)):
                if not deck:
                    deck = self.rng.sample(pool, len(pool))
                picked.append(deck.pop())
            text = " ".join(self.fill(t) for t in picked)
            blocks.append(Block("p", (text,)))
            words -= len(text.split())
        return blocks


def draft(rng: random.Random, target_words: int) -> Draft:
    """One article of about `target_words` words (the required sections come first, then the
    optional ones grow until the target is reached)."""
    topic = rng.choice(TOPICS)
    w = _Writer(rng, topic)
    name = topic[0]
    share = max(40, target_words // 7)  # words for each section that grows
    risk_heading = rng.choice(["Side effects", "Warnings", "Possible side effects and risks"])
    serious = rng.sample(SERIOUS, rng.randint(3, 5))
    sections = [
        Section("", tuple(w.paragraphs(INTRO, share // 2))),
        Section(f"What is {name}?", tuple(w.paragraphs(ABOUT, share))),
        Section(
            "How it is treated",
            (
                *w.paragraphs(TREATMENT, share),
                Block(
                    "table",
                    rows=(
                        ("Medicine", "Usual starting dose", "How often"),
                        (topic[3], topic[4], rng.choice(["once a day", "twice a day"])),
                        ("Review", "after 4 to 6 weeks", "then once a year"),
                    ),
                ),
            ),
        ),
        Section(
            "What to expect",
            (Block("ol", tuple(w.fill(s) for s in STEPS[: rng.randint(4, len(STEPS))])),),
        ),
        Section(
            risk_heading,
            (
                *w.paragraphs(SIDE, share),
                Block("ul", tuple(rng.sample(SYMPTOMS, rng.randint(3, 6)))),
                *w.paragraphs(WARN, share // 2),
            ),
        ),
        Section(
            "When to get help",
            (
                w.paragraph(HELP, 2),
                Block("ul", tuple(s[0].upper() + s[1:] for s in serious)),
            ),
        ),
    ]
    optional = [
        Section("Things that help", (Block("ul", tuple(rng.sample(HABITS, 5))),)),
        Section(f"Living with {name}", tuple(w.paragraphs(LIVING, share))),
        Section("Questions to ask", (Block("ul", tuple(rng.sample(QUESTIONS, 4))),)),
    ]
    title = rng.choice(["A patient guide to {}", "Understanding {}", "Living well with {}"])
    article = Draft(name, title.format(name), tuple(sections))
    for extra in optional:
        if article.words() >= target_words:
            break
        article = Draft(name, article.title, (*article.sections, extra))
    while article.words() < target_words:  # long articles: more about the condition
        more = Section(f"More about {name}", tuple(w.paragraphs(ABOUT + LIVING, share)))
        article = Draft(name, article.title, (*article.sections, more))
    closing = Section("Disclaimer", (Block("p", (DISCLAIMER,)),))
    return Draft(name, article.title, (*article.sections, closing))


def to_markdown(d: Draft) -> str:
    out = [f"---\ntitle: {json.dumps(d.title)}\nlanguage: en\n---\n"]
    for s in d.sections:
        if s.heading:
            out.append(f"## {s.heading}\n")
        for b in s.blocks:
            if b.kind == "p":
                out.append(b.items[0] + "\n")
            elif b.kind == "ul":
                out.append("\n".join(f"- {i}" for i in b.items) + "\n")
            elif b.kind == "ol":
                out.append("\n".join(f"{n}. {i}" for n, i in enumerate(b.items, 1)) + "\n")
            else:
                head, *body = b.rows
                lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
                lines += ["| " + " | ".join(r) + " |" for r in body]
                out.append("\n".join(lines) + "\n")
    return "\n".join(out)


def to_html(d: Draft) -> str:
    out = [
        '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8">',
        f"<title>{escape(d.title)} | Example Health Service</title></head>\n<body>",
        '<nav><ul><li><a href="/">Home</a></li><li><a href="/a-z">Conditions A to Z</a></li>'
        "</ul></nav>",
        f"<main><article><h1>{escape(d.title)}</h1>",
    ]
    for s in d.sections:
        if s.heading:
            out.append(f"<h2>{escape(s.heading)}</h2>")
        for b in s.blocks:
            if b.kind == "p":
                out.append(f"<p>{escape(b.items[0])}</p>")
            elif b.kind in ("ul", "ol"):
                items = "".join(f"<li>{escape(i)}</li>" for i in b.items)
                out.append(f"<{b.kind}>{items}</{b.kind}>")
            else:
                head, *body = b.rows
                cells = "".join(f"<th>{escape(c)}</th>" for c in head)
                rows = "".join(
                    "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in body
                )
                out.append(f"<table><thead><tr>{cells}</tr></thead><tbody>{rows}</tbody></table>")
    out.append("</article></main>")
    out.append("<footer><p>Example Health Service. Updated every year.</p></footer></body></html>")
    return "\n".join(out) + "\n"


def to_text(d: Draft) -> str:
    out = [d.title, ""]
    for s in d.sections:
        if s.heading:
            out += [s.heading, ""]
        for b in s.blocks:
            if b.kind == "p":
                out += [b.items[0], ""]
            elif b.kind == "ul":
                out += [f"- {i}" for i in b.items] + [""]
            elif b.kind == "ol":
                out += [f"{n}. {i}" for n, i in enumerate(b.items, 1)] + [""]
            else:  # a table copied from a web page keeps one line per row
                out += [" - ".join(r) + "." for r in b.rows[1:]] + [""]
    return "\n".join(out)


WRITERS = (("md", to_markdown), ("html", to_html), ("txt", to_text))


def write_articles(
    folder: Path, count: int, seed: int = 6, words: tuple[int, int] = (300, 900)
) -> list[Path]:
    """`count` articles in `folder`; article i is the same whatever `count` is, so a batch of 50
    is the first 50 of a batch of 200."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        rng = random.Random(f"{seed}-{i}")
        # Mostly short and middling, a few long: lengths spread like a clinic's leaflets.
        low, high = words
        target = int(low + (high - low) * rng.random() ** 1.5)
        article = draft(rng, target)
        ext, write = WRITERS[i % len(WRITERS)]
        slug = article.topic.removeprefix("an ").replace(" ", "-")
        path = folder / f"{i:03d}-{slug}.{ext}"
        path.write_text(write(article), encoding="utf-8")
        paths.append(path)
    return paths


def parse_range(text: str) -> tuple[int, int]:
    low, high = (int(x) for x in text.split(","))
    return low, high


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--count", type=int, default=10)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--words", type=parse_range, default=(300, 900), metavar="MIN,MAX")
    args = parser.parse_args(argv)
    paths = write_articles(args.folder, args.count, args.seed, args.words)
    total = sum(len(p.read_text("utf-8").split()) for p in paths)
    print(f"{len(paths)} articles, {total} words (with markup) in {args.folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

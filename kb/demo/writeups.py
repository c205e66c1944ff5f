"""Write-up composer: picks and fills sentence material, section by section, up to a drawn length."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import cycle

from kb.demo import texts, texts_outcomes, texts_process
from kb.demo.vocab import capitalise

MIN_WORDS, MAX_WORDS = 300, 1500

# Growth weights: where extra length goes when a long write-up is drawn.
_WEIGHTS = {"contexte": 2, "genese": 1.5, "deroulement": 3, "prevu": 1, "role": 2, "partenariats": 1.5,
            "evaluation": 2, "evaluation_prevue": 1, "perspectives": 1}


@dataclass
class Story:
    """What the composer needs to know about one action."""

    ctx: dict[str, str]
    mode: str
    status: str
    year: int
    sensitive: bool
    qpv: bool
    details: tuple[str, ...]
    team: str  # "une éducatrice spécialisée et deux animateurs"
    team_size: int
    effects: list[tuple[str, str, str]]  # (dimension, description, indicator)
    barriers: list[tuple[str, str, str]]  # (actor category, kind, description)
    levers: list[str]


@dataclass
class _Section:
    key: str
    heading: str
    lead: list[str] = field(default_factory=list)
    pool: list[str] = field(default_factory=list)
    taken: int = 0
    bullets: list[str] = field(default_factory=list)
    bullets_intro: str = ""
    quotes: list[str] = field(default_factory=list)


def word_count(text: str) -> int:
    """Words as the tests count them: whitespace-separated tokens."""
    return len(text.split())


def _fill(sentence: str, ctx: dict[str, str]) -> str:
    return capitalise(sentence.format_map(ctx))


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _shuffled(rng: random.Random, items: list[str]) -> list[str]:
    items = list(items)
    rng.shuffle(items)
    return items


def _pool(rng: random.Random, story: Story, items: list[str]) -> list[str]:
    # Before 2012 there was no observatory to attend: its seminars cannot have inspired the action.
    kept = [s for s in items if story.year >= 2012 or "observatoire" not in s]
    return [_fill(s, story.ctx) for s in _shuffled(rng, kept)]


def _voices(rng: random.Random, openings: dict[str, list[str]]) -> dict[str, Iterator[str]]:
    # Openings are used in turn, so two findings of the same kind do not start the same way.
    return {key: cycle(_shuffled(rng, values)) for key, values in openings.items()}


def _speaker(rng: random.Random, gender: str, women_only: bool) -> str:
    if women_only:
        return "f"
    return gender or rng.choice(["f", "m"])


def _plan(rng: random.Random, story: Story, target: int) -> list[_Section]:
    """The sections of this write-up, with their lead sentences and the pools they may grow from."""
    planned = story.status == "projet"
    richness = target / 1500  # long write-ups use (almost) every section

    def wanted(base: float) -> bool:
        return rng.random() < base + richness

    def heading(key: str) -> str:
        return rng.choice(texts_outcomes.HEADINGS[key])

    context = list(texts.CONTEXT)
    if story.qpv and not story.sensitive:
        context += texts.CONTEXT_QPV
    if 2012 <= story.year <= 2014:
        context += texts.CONTEXT_EARLY
    if story.year >= 2021:
        context += texts.CONTEXT_RECENT
    opener = _fill(rng.choice(texts.CONTEXT_OPENERS), story.ctx)
    sections = [_Section("contexte", heading("contexte"), lead=[opener], pool=_pool(rng, story, context))]
    if planned or wanted(0.3):
        sections.append(_Section("genese", heading("genese"), pool=_pool(rng, story, texts.GENESIS)))
    if wanted(0.1):
        objectives = _pool(rng, story, texts.OBJECTIVES)[: rng.randint(3, 5)]
        sections.append(_Section("objectifs", heading("objectifs"), bullets=objectives,
                                 bullets_intro=rng.choice(texts.OBJECTIVES_INTROS)))
    if planned:
        sections.append(_Section("prevu", heading("prevu"), pool=_pool(rng, story, texts_process.PLANNED)))
    else:
        details = [_fill(s, story.ctx) for s in _shuffled(rng, list(story.details))]
        opening = _fill(rng.choice(texts_process.PROCESS_OPENINGS), story.ctx)
        rest = _pool(rng, story, texts_process.PROCESS_BY_MODE[story.mode] + texts_process.PROCESS)
        sections.append(_Section("deroulement", heading("deroulement"), lead=[opening, *details[:2]],
                                 pool=_shuffled(rng, details[2:] + rest)))
        if wanted(0.25):
            if story.team_size == 1:
                lead = f"L'action a été animée par {story.team}, avec l'appui ponctuel de bénévoles."
            else:
                lead = f"L'équipe réunissait {story.team}."
            role_pool = texts_process.ROLE + texts_process.ROLE_OBSERVATORY
            sections.append(_Section("role", heading("role"), lead=[lead], pool=_pool(rng, story, role_pool)))
        if wanted(0.2):
            sections.append(_Section("partenariats", heading("partenariats"),
                                     pool=_pool(rng, story, texts_outcomes.PARTNERS)))
    if wanted(0.2):
        voices = _voices(rng, texts_outcomes.BARRIER_VOICES)
        intros = texts_outcomes.BARRIER_INTROS_PLANNED if planned else texts_outcomes.BARRIER_INTROS
        lead = [rng.choice(intros)] + [
            f"{next(voices[category])} {_lower_first(text)}" for category, _, text in story.barriers]
        sections.append(_Section("freins", heading("freins_prevus" if planned else "freins"), lead=lead))
    if not planned and wanted(-0.2):
        sections.append(_Section("leviers", heading("leviers"), bullets=list(story.levers),
                                 bullets_intro=rng.choice(texts_outcomes.LEVER_INTROS)))
    if planned:
        expected = [d.removeprefix("Effet attendu : ").rstrip(".") for _, d, _ in story.effects]
        sections.append(_Section("evaluation_prevue", heading("evaluation_prevue"), bullets=expected,
                                 bullets_intro="Les effets attendus, formulés avec les partenaires :",
                                 pool=_pool(rng, story, texts_outcomes.EVALUATION_PLANNED)))
    else:
        voices = _voices(rng, texts_outcomes.EFFECT_VOICES)
        effects = [f"{next(voices[dim])} {_lower_first(desc).rstrip('.')} ({indicator})."
                   for dim, desc, indicator in story.effects]
        pool = _pool(rng, story, texts_outcomes.EVALUATION)
        sections.append(_Section("evaluation", heading("evaluation"), lead=pool[:1] + effects, pool=pool[1:]))
        if wanted(-0.3):
            women_only = story.ctx["participants"] == "participantes"
            candidates = [q for q in texts_outcomes.QUOTES if not (women_only and q[1] == "m")]
            quotes = [f"« {q.rstrip('.')} », {rng.choice(texts_outcomes.QUOTE_BY[_speaker(rng, gender, women_only)])}."
                      for q, gender in rng.sample(candidates, rng.randint(2, 3))]
            sections.append(_Section("paroles", heading("paroles"), quotes=quotes))
        closing = texts_outcomes.PERSPECTIVES_DONE if story.status == "terminee" else texts_outcomes.PERSPECTIVES_ONGOING
        sections.append(_Section("perspectives", heading("perspectives"),
                                 lead=[_fill(rng.choice(closing), story.ctx)],
                                 pool=_pool(rng, story, texts_outcomes.PERSPECTIVES)))
    return sections


def _paragraphs(sentences: list[str], sizes: list[int]) -> list[str]:
    groups, i, k = [], 0, 0
    while i < len(sentences):
        size = sizes[k % len(sizes)]
        groups.append(sentences[i:i + size])
        i, k = i + size, k + 1
    if len(groups) > 1 and len(groups[-1]) == 1:  # no lone sentence trailing a section
        last = groups.pop()
        groups[-1] += last
    return [" ".join(group) for group in groups]


def _render(sections: list[_Section], sizes: list[int]) -> str:
    blocks = []
    for section in sections:
        blocks.append(f"## {section.heading}")
        if section.bullets:
            blocks.append(section.bullets_intro + "\n\n" + "\n".join(f"- {b}" for b in section.bullets))
        blocks.extend(f"> {q}" for q in section.quotes)
        blocks.extend(_paragraphs(section.lead + section.pool[:section.taken], sizes))
    return "\n\n".join(blocks)  # as a form saves it: no blank line at the end


def compose(rng: random.Random, story: Story) -> str:
    """A Markdown write-up of 300 to 1,500 words whose length is drawn at random."""
    target = rng.randint(330, 760) if story.status == "projet" else rng.randint(330, 1440)
    sections = _plan(rng, story, target)
    sizes = [rng.randint(2, 4) for _ in range(6)]
    for section in sections:
        section.taken = min(len(section.pool), 1 if section.lead or target < 450 else 2)
    text = _render(sections, sizes)
    while word_count(text) < target:
        growable = [s for s in sections if s.taken < len(s.pool)]
        if not growable:
            break
        section = rng.choices(growable, weights=[_WEIGHTS.get(s.key, 1) for s in growable])[0]
        section.taken += 1
        candidate = _render(sections, sizes)
        if word_count(candidate) > MAX_WORDS - 10:
            section.taken -= 1
            break
        text = candidate
    return text


_GENDER_SUFFIXES = re.compile(r"·(?:rice·s|rices|fes|ses|ves|nes|les|es)\b")
_GENDER_SINGULAR = re.compile(r"·(?:le|e)\b")
_PARTICIPANTS = re.compile(r"\b(participant|présent|sorti|concerné|formé|impliqué)·es\b")


def restyle(text: str, *, inclusive: bool, typographic: bool, female: bool = False) -> str:
    """Apply an author's habits: inclusive or classic spelling, typographic or straight apostrophes."""
    if female:
        text = _PARTICIPANTS.sub(r"\1es", text.replace("premier·es", "premières"))
    if not inclusive:
        text = _GENDER_SINGULAR.sub("", _GENDER_SUFFIXES.sub("s", text))
    if typographic:
        text = text.replace("'", "\u2019")
    return text

"""Placeholder prose for demo chapters: bland original sentences of exact word counts, joined into
paragraphs, with the HTML that render_userstuff would make of them."""

from __future__ import annotations

import random

# Every piece is plain words and punctuation: no hyphens standing alone, no dashes, and nothing
# that HTML escapes, so that str.split() counts words as count_words does and the HTML of a
# paragraph is the paragraph wrapped in <p>.
_SUBJECTS = (
    "The old kettle",
    "A small dog",
    "The gardener",
    "Someone in the next room",
    "The neighbour",
    "Her cousin",
    "The tall clerk",
    "A pair of pigeons",
    "The morning train",
    "The librarian",
    "His sister",
    "The baker on the corner",
    "A stray cat",
    "The new student",
    "Everyone at the table",
    "The ferry captain",
    "Their landlord",
    "A boy with a red scarf",
    "The choir",
    "Nobody in particular",
    "She",
    "He",
    "They",
    "The two of them",
    "Grandmother",
)
_PREDICATES = (
    "waited for",
    "looked at",
    "carried",
    "forgot about",
    "talked about",
    "found",
    "folded",
    "counted",
    "painted",
    "repaired",
    "wrote a note about",
    "sang softly to",
    "kept an eye on",
    "argued cheerfully about",
    "tidied",
    "described",
    "photographed",
    "made room for",
    "borrowed",
    "returned",
)
_OBJECTS = (
    "the blue umbrella",
    "a stack of letters",
    "the broken clock",
    "a basket of apples",
    "the map of the harbour",
    "an empty teacup",
    "the garden gate",
    "a tin of biscuits",
    "the last train home",
    "a jar of buttons",
    "the crossword",
    "the spare key",
    "a loaf of bread",
    "the noisy radiator",
    "a postcard from the coast",
    "the plans for the weekend",
    "the shopping list",
    "a kite with a long tail",
    "the lighthouse on the hill",
    "a box of old photographs",
)
_TAILS = (
    "by the window",
    "before lunch",
    "without a word",
    "in the quiet kitchen",
    "after the rain",
    "on the way home",
    "for a long time",
    "near the old bridge",
    "while the kettle boiled",
    "as the bells rang",
    "at the end of the street",
    "until the lamps came on",
    "with great care",
    "once again",
    "on Tuesday",
)
_LINES = (
    "We should go",
    "It is nearly noon",
    "Pass the salt",
    "I think it will rain",
    "That is a good question",
    "Let me help with that",
    "The shop closes at six",
    "I found it under the stairs",
    "You were right about the ferry",
    "Tell me about your day",
    "We can try again tomorrow",
    "I like this song",
)
_SPEAKERS = ("she said", "he said", "they said", "someone said", "she added", "he agreed")
_SHORT = (
    "Yes.",
    "Perhaps.",
    "Nobody minded.",
    "It rained.",
    "They laughed.",
    "Maybe later.",
    "The tea was cold.",
    "It was quiet.",
    "The clock ticked.",
    "Nothing else happened.",
    "That was enough.",
    "The bus was late.",
)
NOTES = (
    "Thank you for reading.",
    "Written for a friend who likes quiet stories.",
    "This started as a short scene and kept growing.",
    "Comments are always welcome.",
    "Many thanks to my patient beta reader.",
    "Part of a small writing challenge.",
    "More chapters will follow when they are ready.",
)
MAX_SENTENCE_WORDS = 24
_POOL_SIZE = 4000


def _sentence(rng: random.Random) -> str:
    shape = rng.random()
    if shape < 0.2:
        return f'"{rng.choice(_LINES)}," {rng.choice(_SPEAKERS)}.'
    clause = f"{rng.choice(_SUBJECTS)} {rng.choice(_PREDICATES)} {rng.choice(_OBJECTS)}"
    if shape < 0.7:
        clause += " " + rng.choice(_TAILS)
    if shape > 0.85:
        clause += f", and {rng.choice(_SUBJECTS).lower()} {rng.choice(_PREDICATES)} "
        clause += rng.choice(_OBJECTS)
    return clause + "."


class Prose:
    """A pool of invented sentences grouped by word count, and paragraphs made from them."""

    def __init__(self, rng: random.Random):
        sentences = list(_SHORT)
        for _ in range(_POOL_SIZE):
            sentences.append(_sentence(rng))
        self.by_length: list[list[str]] = [[] for _ in range(MAX_SENTENCE_WORDS + 1)]
        for sentence in sentences:
            length = len(sentence.split())
            if length <= MAX_SENTENCE_WORDS:
                self.by_length[length].append(sentence)
        missing = [n for n in range(1, MAX_SENTENCE_WORDS + 1) if not self.by_length[n]]
        if missing:  # a fixed pool covers every length; this guards edits to the pieces
            raise ValueError(f"no placeholder sentence of {missing} words")
        self.sentences = [s for bucket in self.by_length for s in bucket]
        self.lengths = [n for n, bucket in enumerate(self.by_length) for _ in bucket]

    def sentences_of(self, rng: random.Random, words: int) -> list[str]:
        """Sentences that add up to exactly `words` words."""
        out: list[str] = []
        count = len(self.sentences)
        while words > MAX_SENTENCE_WORDS:
            index = int(rng.random() * count)
            out.append(self.sentences[index])
            words -= self.lengths[index]
        if words:
            out.append(rng.choice(self.by_length[words]))
        return out

    def paragraphs(self, rng: random.Random, words: int) -> list[str]:
        """Paragraphs of 30 to 150 words that add up to exactly `words` words."""
        out: list[str] = []
        while words > 0:
            size = rng.randint(30, 150)
            if words - size < 30:
                size = words
            out.append(" ".join(self.sentences_of(rng, size)))
            words -= size
        return out

    def summary(self, rng: random.Random) -> str:
        """One to three sentences for a work summary."""
        return " ".join(self.sentences_of(rng, rng.randint(8, 50)))


def chapter_text(paragraphs: list[str], *, english_in: str = "en") -> tuple[str, str]:
    """The chapter text (paragraphs between blank lines) and its HTML rendering. The prose is
    English: in a work of another language (`english_in`), it says so (`lang="en"`), so that
    screen readers read it with an English voice instead of the work's language."""
    text = "\n\n".join(paragraphs)
    html = "\n".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    if english_in != "en" and paragraphs:
        html = f'<div lang="en">\n{html}\n</div>'
        text = html
    return text, html


def in_english(text: str, language: str) -> str:
    """A short English text (summary, notes) marked as English in a work of another language."""
    if not text or language == "en":
        return text
    return f'<p lang="en">{text}</p>'

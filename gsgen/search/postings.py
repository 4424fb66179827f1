"""Postings: for every term, the records that hold it, how often, whether in the title, and where.

Computed for the whole corpus at once with numpy rather than record by record in Python: a
10,000-item portal holds 14 million characters, and a Python loop over each of them alone would take
longer than the goal for the whole index. The corpus is joined into one array of code points; each
occurrence of a term becomes one 64-bit number (the term, then the occurrence's place in the corpus),
and a single sort of those numbers groups occurrences by term, then record, then position.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gsgen.search import analysis
from gsgen.search.analysis import BIGRAM_SHIFT, UNIGRAM

PASS = 30_000_000  # bigram occurrences sorted at once, at most (8 bytes each, several copies)


@dataclass
class Postings:
    """The postings of a set of terms, term after term in `keys` order, records ascending."""

    keys: np.ndarray  # uint64, one per term, ascending
    first: np.ndarray  # int64, len(keys) + 1: where each term's postings start
    docs: np.ndarray  # int64, one per posting: the record
    weights: np.ndarray  # int64, one per posting: 2 × occurrences + 1 if one is in the title
    positions: np.ndarray | None = None  # int64 gaps, one per occurrence; None for terms without
    occurrences: np.ndarray | None = None  # int64, one per posting + 1: where its positions start


@dataclass
class Analysed:
    text: list[Postings]  # character bigrams (with positions), unigrams
    pinyin: list[Postings]  # syllable bigrams and initial bigrams (with positions), syllables
    lengths: np.ndarray  # word characters per record (title and text)


def analysed(titles: list[str], texts: list[str]) -> Analysed:
    """The postings of records given by their titles and texts, in record order."""
    title_lengths = np.fromiter(map(len, titles), dtype=np.int64, count=len(titles))
    corpus = _Corpus([f"{title}\n{text}" for title, text in zip(titles, texts, strict=True)])
    words = corpus.word
    pairs = np.flatnonzero(words[:-1] & words[1:])
    count = len(corpus.chars)
    terms = corpus.dense[pairs].astype(np.int64) * count + corpus.dense[pairs + 1]
    passes = -(-len(pairs) // PASS)  # a large corpus in parts of the terms, so that memory stays bounded
    parts = []
    for k in range(passes):
        chosen = np.flatnonzero(terms % passes == k) if passes > 1 else slice(None)
        part = _postings(terms[chosen], pairs[chosen], corpus, title_lengths)
        part.keys = _keys(part.keys, lambda t: corpus.chars[t // count] * BIGRAM_SHIFT + corpus.chars[t % count])
        parts.append(part)
    del terms, pairs
    bigrams = _joined(parts)
    singles = np.flatnonzero(words)
    unigrams = _postings(corpus.dense[singles], singles, corpus, title_lengths, positions=False)
    unigrams.keys = _keys(unigrams.keys, lambda t: corpus.chars[t] + UNIGRAM)
    return Analysed([bigrams, unigrams], _pinyin(titles), np.bincount(corpus.record[words], minlength=len(titles)))


class _Corpus:
    """Records as one array of normalised code points, each followed by a line break (not a word
    character, so that no term spans two records)."""

    def __init__(self, records: list[str]) -> None:
        codes = np.frombuffer("\n".join(records).encode("utf-32-le", "surrogatepass"), dtype="<u4")
        lengths = np.fromiter(map(len, records), dtype=np.int64, count=len(records))
        self.starts = np.zeros(len(records) + 1, dtype=np.int64)
        np.cumsum(lengths + 1, out=self.starts[1:])
        self.record = np.repeat(np.arange(len(records), dtype=np.int32), lengths + 1)[: len(codes)]
        # Each character used is normalised once (analysis.normalised, for the few thousand there are),
        # then the corpus through a table; the characters are then numbered densely.
        used = np.flatnonzero(np.bincount(codes, minlength=1))
        table = np.arange(int(used[-1]) + 1 if len(used) else 1, dtype=np.int32)
        table[used] = [ord(analysis.normalised(chr(c))) for c in used.tolist()]
        codes = table[codes]
        present = np.zeros(len(table), dtype=bool)
        present[codes] = True
        self.chars = np.flatnonzero(present)
        numbers = np.zeros(len(present), dtype=np.int32)
        numbers[self.chars] = np.arange(len(self.chars))
        self.dense = numbers[codes]
        words = np.fromiter((analysis.is_word(chr(c)) for c in self.chars.tolist()), dtype=bool, count=len(self.chars))
        self.word = words[self.dense]


def _keys(terms: np.ndarray, key_of) -> np.ndarray:
    return np.asarray(key_of(terms), dtype=np.int64).astype(np.uint64)


def _postings(
    terms: np.ndarray, places: np.ndarray, corpus: _Corpus, title_lengths: np.ndarray, positions: bool = True
) -> Postings:
    """The postings of term occurrences at `places` of the corpus (ascending); `keys` are the terms'
    dense numbers until the caller turns them into keys."""
    terms, places = _grouped(terms, places)
    record = corpus.record[places]
    return _folded(terms, record, places - corpus.starts[record], title_lengths[record], positions)


def _grouped(terms: np.ndarray, places: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(term, place) of each occurrence, ordered by term then place, by one sort of 64-bit numbers."""
    place_bits = max(int(places.max(initial=0)).bit_length(), 1)
    if int(terms.max(initial=0)).bit_length() + place_bits > 63:
        raise ValueError("corpus too large for one index")  # about 10**8 characters of 10**4 kinds
    packed = (terms.astype(np.int64) << place_bits) | places
    packed.sort()
    return packed >> place_bits, packed & ((1 << place_bits) - 1)


def _joined(parts: list[Postings]) -> Postings:
    """Postings of disjoint sets of terms, one after the other."""
    if len(parts) == 1:
        return parts[0]
    docs = np.concatenate([p.docs for p in parts])
    starts = np.cumsum([0] + [len(p.docs) for p in parts])
    occurrences = np.cumsum([0] + [int(p.occurrences[-1]) for p in parts])
    return Postings(
        np.concatenate([p.keys for p in parts]),
        np.concatenate([p.first[:-1] + s for p, s in zip(parts, starts, strict=False)] + [starts[-1:]]),
        docs,
        np.concatenate([p.weights for p in parts]),
        np.concatenate([p.positions for p in parts]),
        np.concatenate([p.occurrences[:-1] + o for p, o in zip(parts, occurrences, strict=False)] + [occurrences[-1:]]),
    )


def _folded(terms, record, position, title_length, positions: bool) -> Postings:
    """Occurrences ordered by term, record and position, folded into postings."""
    n = len(terms)
    new_term = np.ones(n, dtype=bool)
    new_term[1:] = terms[1:] != terms[:-1]
    new_posting = new_term.copy()
    new_posting[1:] |= record[1:] != record[:-1]
    starts = np.flatnonzero(new_posting)
    occurrences = np.append(starts, n)
    weights = np.diff(occurrences) * 2 + (position[starts] < title_length[starts])
    first = np.append(np.flatnonzero(new_term[starts]), len(starts))
    found = Postings(terms[starts[first[:-1]]], first, record[starts], weights)
    if positions:
        found.positions = _gaps(position, occurrences)
        found.occurrences = occurrences
    return found


def _gaps(values: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Each value less the one before it in its group; a group's first value as it is."""
    gaps = values.copy()
    gaps[1:] -= values[:-1]
    starts = groups[:-1]
    gaps[starts] = values[starts]
    return gaps


def doc_gaps(postings: Postings) -> np.ndarray:
    """Each posting's record less the one before it in its term (the first: the record itself)."""
    return _gaps(postings.docs, postings.first)


def _pinyin(titles: list[str]) -> list[Postings]:
    """Postings of each title's pinyin: its syllables in a row (a run of Chinese after another), as
    syllable bigrams and bigrams of their initials, with positions; and single syllables."""
    syllables: list[int] = []
    records: list[int] = []
    for number, title in enumerate(titles):
        for run in analysis.han_runs(title):
            syllables.extend(analysis.syllable_ids(run))
            syllables.append(-1)
            records.extend([number] * (len(run) + 1))
    ids = np.array(syllables, dtype=np.int64)
    record = np.array(records, dtype=np.int64)
    starts = np.zeros(len(titles) + 1, dtype=np.int64)
    np.cumsum(np.bincount(record, minlength=len(titles)), out=starts[1:])
    position = np.arange(len(ids)) - starts[record] if len(ids) else ids
    every = np.full(len(ids), np.iinfo(np.int64).max)  # pinyin is of titles only

    def postings(terms: np.ndarray, places: np.ndarray, keep: bool) -> Postings:
        terms, places = _grouped(terms, places)
        return _folded(terms, record[places], position[places], every[places], keep)

    valid = ids >= 0
    pairs = np.flatnonzero(valid[:-1] & valid[1:])
    initials = np.array(analysis.INITIALS, dtype=np.int64)
    syllable_pairs = postings(ids[pairs] * analysis.SYLLABLE_SPACE + ids[pairs + 1], pairs, True)
    syllable_pairs.keys = _keys(syllable_pairs.keys, lambda t: t + analysis.PINYIN_BIGRAM)
    initial_pairs = postings(initials[ids[pairs]] * 128 + initials[ids[pairs + 1]], pairs, True)
    initial_pairs.keys = _keys(initial_pairs.keys, lambda t: t + analysis.INITIAL_BIGRAM)
    singles = np.flatnonzero(valid)
    single = postings(ids[singles], singles, False)
    single.keys = _keys(single.keys, lambda t: t + analysis.PINYIN_UNIGRAM)
    return [syllable_pairs, initial_pairs, single]

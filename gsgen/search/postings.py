"""Postings: for every term, the records that hold it, how often, whether in the title, and where.

Computed with numpy rather than record by record in Python: a 10,000-item portal holds 14 million
characters, and a Python loop over each of them alone would take longer than the goal for the whole
index. The corpus is held as one array of character numbers (two bytes each for any real corpus); each
occurrence of a term becomes one 64-bit number (the term, then the occurrence's place in the corpus),
and a sort of those numbers groups occurrences by term, then record, then position.

Memory stays bounded by doing that in partitions of the terms, by bucket: a term's partition is its
bucket modulo the number of partitions (both powers of two), so each index file's terms all lie in
one partition, and a partition's files are made before the next one is computed. Sorting every
occurrence at once was most of the 18 GB a 100,000-item build peaked at (1.6 of 1.9 GB at 10,000).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from gsgen.search import analysis
from gsgen.search.analysis import BIGRAM_SHIFT, FNV_OFFSET, FNV_PRIME, KEY_BYTES, UNIGRAM

PASS = 2_000_000  # positional occurrences sorted at once, about (8 bytes each, about ten arrays of them)
MAX_PARTITIONS = 128  # a partition number fits a byte beside NONE
NONE = 255  # no term starts here (a partition array's mark)
CHUNK_CHARACTERS = 4_000_000  # the corpus is read and hashed this many characters at a time


@dataclass
class Postings:
    """The postings of a set of terms, term after term in `keys` order, records ascending."""

    keys: np.ndarray  # uint64, one per term, ascending
    first: np.ndarray  # int64, len(keys) + 1: where each term's postings start
    docs: np.ndarray  # int64, one per posting: the record
    weights: np.ndarray  # int64, one per posting: 2 × occurrences + 1 if one is in the title
    positions: np.ndarray | None = None  # int64 gaps, one per occurrence; None for terms without
    occurrences: np.ndarray | None = None  # int64, one per posting + 1: where its positions start


def buckets_of(keys: np.ndarray, count: int) -> np.ndarray:
    """analysis.bucket for many keys at once."""
    keys = keys.astype(np.uint64, copy=False)
    h = np.full(len(keys), FNV_OFFSET, dtype=np.uint64)
    for k in range(KEY_BYTES):
        h = ((h ^ ((keys >> np.uint64(8 * k)) & np.uint64(0xFF))) * np.uint64(FNV_PRIME)) & np.uint64(0xFFFFFFFF)
    return (h & np.uint64(count - 1)).astype(np.int64)


class Analysis:
    """Records given by their titles and texts, ready to give their postings partition by partition."""

    def __init__(self, titles: list[str], texts: list[str]) -> None:
        self.corpus = _Corpus(titles, texts)
        self.title_lengths = self.corpus.title_lengths
        self.pinyin = _Pinyin(titles)
        self.lengths = self.corpus.word_lengths()  # word characters per record (title and text)
        # occurrences of terms with positions: what the index's size follows (about 3 bytes each)
        self.occurrences = self.corpus.pair_count() + self.pinyin.pair_count()

    def partition(self, partitions: int) -> None:
        """Cut the terms into `partitions` (a power of two) before asking for their postings."""
        self.partitions = partitions
        self._pairs = self.corpus.pair_partitions(partitions)
        self._singles = self.corpus.single_partitions(partitions)

    def postings(self, partition: int) -> list[Postings]:
        """The postings of every kind of term (character bigrams, characters, syllable bigrams, initial
        bigrams, syllables) whose bucket modulo the number of partitions is `partition`."""
        corpus, count = self.corpus, len(self.corpus.chars)
        places = np.flatnonzero(self._pairs == partition)
        terms = corpus.dense[places].astype(np.int64) * count + corpus.dense[places + 1]
        bigrams = _postings(terms, places, corpus, self.title_lengths)
        del terms, places
        bigrams.keys = _keys(bigrams.keys, lambda t: corpus.chars[t // count] * BIGRAM_SHIFT + corpus.chars[t % count])
        places = np.flatnonzero(self._singles == partition)
        unigrams = _postings(corpus.dense[places], places, corpus, self.title_lengths, positions=False)
        del places
        unigrams.keys = _keys(unigrams.keys, lambda t: corpus.chars[t] + UNIGRAM)
        return [bigrams, unigrams, *self.pinyin.postings(partition, self.partitions)]


class _Corpus:
    """Records as one array of normalised characters, numbered densely, each record followed by a line
    break (not a word character, so that no term spans two records)."""

    def __init__(self, titles: list[str], texts: list[str]) -> None:
        self.title_lengths = np.fromiter(map(len, titles), dtype=np.int64, count=len(titles))
        lengths = self.title_lengths + np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) + 1
        self.starts = np.zeros(len(titles) + 1, dtype=np.int64)
        np.cumsum(lengths + 1, out=self.starts[1:])
        size = max(int(self.starts[-1]) - 1, 0)
        # Each character used is normalised once (analysis.normalised, for the few thousand there are),
        # then the corpus through a table, read in chunks so that no copy of the whole text is made.
        present = np.zeros(0x110000, dtype=bool)
        for chunk in _chunks(titles, texts):
            present[chunk] = True
        used = np.flatnonzero(present)
        normal = np.array([ord(analysis.normalised(chr(c))) for c in used.tolist()], dtype=np.int64)
        self.chars = np.unique(normal)
        dtype = np.uint16 if len(self.chars) <= 1 << 16 else np.int32
        table = np.zeros(len(present), dtype=dtype)
        table[used] = np.searchsorted(self.chars, normal)
        self.dense = np.empty(size, dtype=dtype)
        at = 0
        for chunk in _chunks(titles, texts):
            self.dense[at : at + len(chunk)] = table[chunk]
            at += len(chunk)
        # per character number, whether it is a letter or number; then per place of the corpus
        self.word_chars = np.fromiter(
            (analysis.is_word(chr(c)) for c in self.chars.tolist()), dtype=bool, count=len(self.chars)
        )
        self.word = self.word_chars[self.dense]

    def record_of(self, places: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.starts, places, side="right") - 1

    def word_lengths(self) -> np.ndarray:
        """Word characters per record."""
        before = np.zeros(len(self.word) + 1, dtype=np.int64)  # word characters before each place
        np.cumsum(self.word, out=before[1:])
        return np.diff(before[np.minimum(self.starts, len(self.word))])

    def pair_count(self) -> int:
        return int(np.count_nonzero(self.word[:-1] & self.word[1:]))

    def pair_partitions(self, partitions: int) -> np.ndarray:
        """Per place of the corpus, the partition of the bigram that starts there (NONE: none)."""
        found = np.full(max(len(self.dense) - 1, 0), NONE, dtype=np.uint8)
        for lo in range(0, len(found), CHUNK_CHARACTERS):
            hi = min(lo + CHUNK_CHARACTERS, len(found))
            at = np.flatnonzero(self.word[lo:hi] & self.word[lo + 1 : hi + 1]) + lo
            if partitions == 1:
                found[at] = 0
                continue
            keys = self.chars[self.dense[at]].astype(np.uint64) * np.uint64(BIGRAM_SHIFT)
            keys += self.chars[self.dense[at + 1]].astype(np.uint64)
            found[at] = buckets_of(keys, partitions)
        return found

    def single_partitions(self, partitions: int) -> np.ndarray:
        """Per place of the corpus, the partition of its character's unigram (NONE: not a word character)."""
        table = buckets_of(self.chars + UNIGRAM, partitions).astype(np.uint8)
        table[~self.word_chars] = NONE
        return table[self.dense]


def _chunks(titles: list[str], texts: list[str]) -> Iterator[np.ndarray]:
    """The corpus — each record's title, a line break and its text, records joined by line breaks —
    as code points, a few million at a time."""
    start, size = 0, 0
    for end in range(len(titles) + 1):
        if end == len(titles) or size >= CHUNK_CHARACTERS:
            if end > start:
                text = "\n".join(f"{titles[k]}\n{texts[k]}" for k in range(start, end))
                if end < len(titles):
                    text += "\n"
                yield np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
            start, size = end, 0
        if end < len(titles):
            size += len(titles[end]) + len(texts[end]) + 2


def _keys(terms: np.ndarray, key_of: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    return np.asarray(key_of(terms), dtype=np.int64).astype(np.uint64)


def _postings(
    terms: np.ndarray, places: np.ndarray, corpus: _Corpus, title_lengths: np.ndarray, positions: bool = True
) -> Postings:
    """The postings of term occurrences at `places` of the corpus (ascending); `keys` are the terms'
    dense numbers until the caller turns them into keys."""
    terms, places = _grouped(terms, places)
    record = corpus.record_of(places)
    return _folded(terms, record, places - corpus.starts[record], title_lengths[record], positions)


def _grouped(terms: np.ndarray, places: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(term, place) of each occurrence, ordered by term then place, by one sort of 64-bit numbers."""
    place_bits = max(int(places.max(initial=0)).bit_length(), 1)
    if int(terms.max(initial=0)).bit_length() + place_bits > 63:
        raise ValueError("corpus too large for one index")  # about 10**8 characters of 10**4 kinds
    packed = (terms.astype(np.int64) << place_bits) | places
    packed.sort()
    return packed >> place_bits, packed & ((1 << place_bits) - 1)


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
    found = Postings(terms[starts[first[:-1]]], first, record[starts].astype(np.int64), weights)
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


class _Pinyin:
    """Each title's pinyin: its syllables in a row (a run of Chinese after another, -1 between), for
    syllable bigrams and bigrams of their initials, with positions, and single syllables."""

    def __init__(self, titles: list[str]) -> None:
        syllables: list[int] = []
        records: list[int] = []
        for number, title in enumerate(titles):
            for run in analysis.han_runs(title):
                syllables.extend(analysis.syllable_ids(run))
                syllables.append(-1)
                records.extend([number] * (len(run) + 1))
        self.ids = np.array(syllables, dtype=np.int64)
        self.record = np.array(records, dtype=np.int64)
        starts = np.zeros(len(titles) + 1, dtype=np.int64)
        np.cumsum(np.bincount(self.record, minlength=len(titles)), out=starts[1:])
        self.position = np.arange(len(self.ids)) - starts[self.record] if len(self.ids) else self.ids
        self.every = np.full(len(self.ids), np.iinfo(np.int64).max)  # pinyin is of titles only
        valid = self.ids >= 0
        self.pairs = np.flatnonzero(valid[:-1] & valid[1:])
        self.singles = np.flatnonzero(valid)

    def pair_count(self) -> int:
        return 2 * len(self.pairs)  # syllable bigrams and initial bigrams

    def postings(self, partition: int, partitions: int) -> list[Postings]:
        ids, pairs, singles = self.ids, self.pairs, self.singles
        initials = np.array(analysis.INITIALS, dtype=np.int64)
        syllable_pairs = ids[pairs] * analysis.SYLLABLE_SPACE + ids[pairs + 1]
        initial_pairs = initials[ids[pairs]] * 128 + initials[ids[pairs + 1]]
        return [
            self._postings(syllable_pairs, pairs, analysis.PINYIN_BIGRAM, True, partition, partitions),
            self._postings(initial_pairs, pairs, analysis.INITIAL_BIGRAM, True, partition, partitions),
            self._postings(ids[singles], singles, analysis.PINYIN_UNIGRAM, False, partition, partitions),
        ]

    def _postings(self, terms, places, base: int, keep: bool, partition: int, partitions: int) -> Postings:
        if partitions > 1:
            chosen = buckets_of(terms + base, partitions) == partition
            terms, places = terms[chosen], places[chosen]
        terms, places = _grouped(terms, places)
        found = _folded(terms, self.record[places], self.position[places], self.every[places], keep)
        found.keys = _keys(found.keys, lambda t: t + base)
        return found

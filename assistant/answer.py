"""Extractive answers with citations: pick the retrieved sentences that answer the question.

Every sentence of an answer is quoted verbatim from a passage (``passage.text[start:end]``) and
followed by the number of the source it came from, so nothing is said that a reader cannot check.
When retrieval evidence is weak the assistant declines instead, and lists the closest passages as
related reading. The functions are pure; the sentence encoder is passed in, so tests can use a
fake one and the product the real sentence-transformers model (``model_encoder``).
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from assistant import coverage
from assistant.terms import content_terms, frame_terms, jaccard
from assistant.query import Intent, Query
from assistant.results import AbstainReason, Abstention, Answer, Citation, PassageResult
from indexer.ids import MAX_SENTENCES as MAX_POSITION
from indexer.ids import sentence_label
from indexer.sentences import encoding_text as sentence_encoding_text
from indexer.sentences import trim_span

if TYPE_CHECKING:
    from indexer.passage import Passage

Encoder = Callable[[list[str]], np.ndarray]
"""Texts -> L2-normalised vectors (one row per text), the same space as the query vector."""
StoredVectors = Callable[[list[int]], dict[int, np.ndarray]]
"""Sentence labels -> the vectors the index stored for them (``Store.sentence_vectors``)."""

DEFAULT_THRESHOLD = 0.4564
"""Least evidence (best dense or sentence cosine) to answer, as ``kb eval --gold eval/gold/dev.jsonl``
calibrates it (top 5 hybrid; the name and figure rules applied first): 95.0 % of the 121 answerable
questions answered, 10 of the 13 unanswerable declined. Recalibrate when retrieval changes."""
TOP_PASSAGES = 3
"""Answers quote only the best few passages: lower ones are shown as further sources."""
MAX_SENTENCES = 4
MIN_WORDS = 4
"""Shorter sentences are fragments ("1.", "Source: IMSS") that say nothing on their own."""
LEXICAL_WEIGHT = 0.3
"""Weight of question-term overlap next to cosine similarity (names and figures matter)."""
RANK_PENALTY = 0.04
"""Score lost per retrieval rank of the sentence's passage: prefer the better passages."""
SCORE_MARGIN = 0.2
"""Extra sentences must score within this of the best one, so the answer stays on point."""
FIGURE_BONUS = 0.1
"""Lift of a sentence stating a figure when the question asks for one (how many, what share)."""
PROPOSAL_BONUS = 0.2
"""Lift of a sentence from "Proposals for action" when the question asks what is recommended."""
FIGURE_MARGIN = 0.35
"""How far below the best sentence a figure-stating one may score and still join the answer."""
CROSS_WEIGHT = 1.0
"""Weight of the cross-lingual sentence similarity beside MiniLM's, for questions not in English."""
DUPLICATE_COSINE = 0.92
DUPLICATE_OVERLAP = 0.8
"""Sentences this similar (cosine, or share of content words) to one already chosen would repeat it."""

ABSTAIN_TEXT = {
    "en": "The reviews do not appear to cover this question. The closest passages are listed below as related.",
    "es": "Las revisiones no parecen tratar esta pregunta. Los pasajes más cercanos se listan abajo como relacionados.",
}
_REFERENCE = re.compile(r"\[\d+\]")
_SOURCE_LINE = re.compile(r"^(?:sources?|notes?|fuentes?|notas?)\s*:", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+")
_BOX_REF = re.compile(r"\bBox(?:es)?\s+(\d+\.\d+)")
_REFERS_BACK = re.compile(r"^[\W_]*(?:(?:However|Therefore|Thus|Moreover|Furthermore|In addition|As a result|"
                          r"For example|For instance|Instead|Rather),?\s+)?(?:It|Its|This|These|Those|They|Their|Them|"
                          r"Such|He|She|His|Her)\b")
"""A sentence opening like this ("It was the first organisation…") leans on the one before it."""


@dataclass(frozen=True)
class Candidate:
    """A sentence that may be quoted: which result it comes from, its position and trimmed span."""

    source: int
    position: int
    start: int
    end: int
    text: str
    intro: bool = False  # a list lead-in ending with ":", quoted only with the line after it
    box: str = ""  # box id of the passage, if a box
    points_to: tuple[str, ...] = ()  # boxes the sentence refers to ("(Box 5.2)")
    proposal: bool = False  # from a "Proposals for action" passage


# -- sentences --------------------------------------------------------------------------------
def is_fragment(sentence: str) -> bool:
    """True for text not to quote: too short, a Source/Note line, a table row, or one holding a
    "[n]" reference mid-sentence, which readers would take for a marker of the answer."""
    return (len(_WORD.findall(sentence)) < MIN_WORDS or bool(_SOURCE_LINE.match(sentence)) or "|" in sentence
            or bool(_REFERENCE.search(sentence)))


def passage_spans(passage: Passage) -> list[tuple[int, int]]:
    """Sentence spans stored at index time; computed here only for passages that lack them."""
    if passage.sentences:
        return [tuple(s) for s in passage.sentences]
    from indexer.sentences import sentence_spans

    return sentence_spans(passage.text)


def candidates(results: Sequence[PassageResult], top_passages: int = TOP_PASSAGES) -> list[Candidate]:
    """Quotable sentences of the best passages, in source order, fragments left out.

    A sentence opening in lower case without a bullet is the tail of one that chunking cut
    ("accountability and efficiency in workforce management."): left out too. Lower-ranked
    results join when they are a box that a top passage points to ("... certified (Box 5.2).").
    """
    def quotable(source: int) -> list[Candidate]:
        p = results[source].passage
        out = []
        for position, (s, e) in enumerate(passage_spans(p)):
            start, end = trim_span(p.text, s, e)
            sentence = p.text[start:end]
            if sentence and not is_fragment(sentence) and not p.text[s:e].lstrip()[:1].islower():
                out.append(Candidate(source, position, start, end, sentence, sentence.endswith(":"),
                                     p.box_id, tuple(_BOX_REF.findall(sentence)), p.kind == "recommendation"))
        return out

    top = [c for source in range(min(top_passages, len(results))) for c in quotable(source)]
    wanted = {b for c in top for b in c.points_to}
    return top + [c for source in range(top_passages, len(results))
                  if results[source].passage.box_id in wanted for c in quotable(source)]


def encoding_text(passage: Passage, sentence: str) -> str:
    """What is embedded for a sentence of ``passage`` (see ``indexer.sentences.encoding_text``)."""
    return sentence_encoding_text(passage.box_title, sentence)


# -- scoring ----------------------------------------------------------------------------------
def sentence_scores(question: str, cands: Sequence[Candidate], sims: np.ndarray, wants_figure: bool = False,
                    wants_proposal: bool = False) -> np.ndarray:
    """Similarity, plus the share of the question's terms the sentence holds, minus a little per
    retrieval rank of its passage; when the question asks for a figure, sentences stating one
    come first among near equals, and when it asks what is recommended, the proposals do."""
    terms = content_terms(question) - frame_terms()
    lex = np.array([len(terms & content_terms(c.text)) / max(len(terms), 1) for c in cands], dtype="float32")
    ranks = np.array([c.source for c in cands], dtype="float32")
    figures = np.array([wants_figure and coverage.has_figure(c.text) for c in cands], dtype="float32")
    proposals = np.array([wants_proposal and c.proposal for c in cands], dtype="float32")
    return sims + LEXICAL_WEIGHT * lex - RANK_PENALTY * ranks + FIGURE_BONUS * figures + PROPOSAL_BONUS * proposals


def select(cands: Sequence[Candidate], scores: np.ndarray, vecs: np.ndarray,
           max_sentences: int = MAX_SENTENCES, wants_figure: bool = False) -> list[int]:
    """Greedy pick of the best sentences near the top score, skipping near-duplicates.

    A list lead-in (ending with ":") comes only together with the line after it. A chosen
    sentence that points to a box ("see Box 5.2") brings the box's best sentence along when there
    is room: the pointer restates the question, the box holds the answer. Likewise, when the
    question asks for a figure and none of the chosen sentences states one, the best sentence
    that does joins them if it scores within ``FIGURE_MARGIN`` of the best.
    """
    where = {(c.source, c.position): i for i, c in enumerate(cands)}
    terms = [content_terms(c.text) for c in cands]
    chosen: list[int] = []

    def fresh(i: int) -> bool:
        return i not in chosen and all(float(vecs[i] @ vecs[j]) < DUPLICATE_COSINE
                                       and jaccard(terms[i], terms[j]) < DUPLICATE_OVERLAP for j in chosen)

    order = sorted(range(len(cands)), key=lambda i: (-float(scores[i]), i))
    floor = float(scores[order[0]]) - SCORE_MARGIN if order else 0.0
    for i in order:
        if len(chosen) >= max_sentences or (chosen and scores[i] < floor):
            break
        group = [i]
        if cands[i].intro:
            nxt = where.get((cands[i].source, cands[i].position + 1))
            if nxt is None or cands[nxt].intro:
                continue
            group += [] if nxt in chosen else [nxt]
        if len(chosen) + len(group) <= max_sentences and all(fresh(j) for j in group):
            chosen.extend(group)
    if wants_figure and chosen and not any(coverage.has_figure(cands[i].text) for i in chosen):
        best = float(scores[order[0]])
        figure = [j for j in order if coverage.has_figure(cands[j].text) and not cands[j].intro
                  and float(scores[j]) >= best - FIGURE_MARGIN and fresh(j)][:1]
        if figure:
            chosen = (chosen if len(chosen) < max_sentences else chosen[:-1]) + figure
    for box in dict.fromkeys(b for i in list(chosen) for b in cands[i].points_to):
        if len(chosen) < max_sentences and not any(cands[j].box == box for j in chosen):
            chosen += [j for j in order if cands[j].box == box and not cands[j].intro and fresh(j)][:1]
    return with_antecedents(cands, chosen, scores, max_sentences)


def with_antecedents(cands: Sequence[Candidate], chosen: list[int], scores: np.ndarray,
                     max_sentences: int = MAX_SENTENCES) -> list[int]:
    """Each chosen sentence that opens by referring back ("It", "This", "These"…) brings the sentence
    before it, so the reader knows who "it" is. When the answer is full, the weakest other sentence
    gives way, unless the referring one is weaker still: then it goes instead. A reference with no
    quotable sentence before it stays as it is."""
    where = {(c.source, c.position): i for i, c in enumerate(cands)}
    out = list(chosen)
    for i in chosen:
        prev = where.get((cands[i].source, cands[i].position - 1))
        if i not in out or not _REFERS_BACK.match(cands[i].text) or prev is None or prev in out:
            continue
        if len(out) >= max_sentences:
            linked = {j for j in out if where.get((cands[j].source, cands[j].position + 1)) in out}
            weakest = min((j for j in out if j != i and j not in linked), key=lambda j: float(scores[j]), default=i)
            if float(scores[weakest]) >= float(scores[i]):
                out.remove(i)
                continue
            out.remove(weakest)
        out.append(prev)
    for i in list(out):  # and a chosen sentence brings the one after it that goes on about it, while there is room
        nxt = where.get((cands[i].source, cands[i].position + 1))
        if len(out) < max_sentences and nxt is not None and nxt not in out and _REFERS_BACK.match(cands[nxt].text):
            out.append(nxt)
    return out


def reading_order(cands: Sequence[Candidate], chosen: Sequence[int], scores: np.ndarray) -> list[int]:
    """Group by passage (the one with the best sentence first), source order within a passage."""
    group_best: dict[int, float] = {}
    for i in chosen:
        group_best[cands[i].source] = max(group_best.get(cands[i].source, -math.inf), float(scores[i]))
    return sorted(chosen, key=lambda i: (-group_best[cands[i].source], cands[i].source, cands[i].position))


# -- abstention -------------------------------------------------------------------------------
def missing_numbers(query: Query, results: Sequence[PassageResult]) -> list[str]:
    """Figures of two or more digits in the question that no retrieved passage mentions."""
    return coverage.missing_numbers(query.figures, [t for r in results for t in (r.passage.text, r.passage.breadcrumb)])


def evidence_score(results: Sequence[PassageResult], best_sentence_sim: float | None = None) -> float | None:
    """Best dense cosine of the passages or of one sentence; None when neither was measured."""
    dense = (getattr(r, "scores", None) or {} for r in results)
    values = [float(d["dense"]) for d in dense if d.get("dense") is not None]
    if best_sentence_sim is not None:
        values.append(float(best_sentence_sim))
    return max(values) if values else None


def should_abstain(results: Sequence[PassageResult], query: Query, best_sentence_sim: float | None = None,
                   threshold: float = DEFAULT_THRESHOLD, unknown_terms: Sequence[str] = ()) -> Abstention | None:
    """Decline when nothing was found, a figure or name asked about is absent, or the evidence is weak."""
    if not results:
        return Abstention(AbstainReason.NO_MATCH)
    missing = missing_numbers(query, results)
    if missing:
        return Abstention(AbstainReason.MISSING_FIGURE, tuple(missing))
    if unknown_terms:
        return Abstention(AbstainReason.UNKNOWN_NAME, tuple(unknown_terms))
    evidence = evidence_score(results, best_sentence_sim)
    if evidence is not None and evidence < threshold:
        return Abstention(AbstainReason.WEAK_EVIDENCE,
                          detail=f"best similarity {evidence:.3f} is below the threshold {threshold:.3f}")
    return None


def stored_labels(results: Sequence[PassageResult], cands: Sequence[Candidate]) -> list[int]:
    """The label each candidate sentence is stored under in the sentence spaces (-1: past the last
    position a passage's sentences are stored for)."""
    return [sentence_label(results[c.source].passage.id, c.position) if c.position <= MAX_POSITION else -1
            for c in cands]


def sentence_vectors(results: Sequence[PassageResult], cands: Sequence[Candidate], encode: Encoder,
                     stored: StoredVectors | None = None) -> np.ndarray:
    """Vectors of the candidate sentences: the index's own by label, the rest encoded in one batch."""
    if not cands:
        return np.zeros((0, 0), dtype="float32")
    labels = stored_labels(results, cands)
    known = stored([x for x in labels if x >= 0]) if stored is not None else {}
    todo = [i for i, x in enumerate(labels) if x not in known]
    fresh = dict(zip(todo, np.asarray(encode([encoding_text(results[cands[i].source].passage, cands[i].text)
                                               for i in todo]), dtype="float32"))) if todo else {}
    return np.stack([known[x] if i not in fresh else fresh[i] for i, x in enumerate(labels)]).astype("float32")


def cross_sims(results: Sequence[PassageResult], cands: Sequence[Candidate], stored: StoredVectors,
               vector: np.ndarray) -> np.ndarray:
    """Cross-lingual similarity of each candidate sentence to the question as typed, from the vectors
    the index stored; a sentence without one gets the median of the others."""
    labels = stored_labels(results, cands)
    got = stored([x for x in labels if x >= 0])
    q = np.asarray(vector, dtype="float32")
    out = np.array([float(got[x] @ q) if x in got else np.nan for x in labels], dtype="float32")
    return np.nan_to_num(out, nan=float(np.nanmedian(out)) if np.isfinite(out).any() else 0.0)


# -- composing --------------------------------------------------------------------------------
def terms_found(terms: Sequence[tuple[str, Sequence[str]]], quotes: Sequence[str], limit: int = 5
                ) -> list[tuple[str, str]]:
    """The question's glossary phrases whose English the quotes use, as ``(asked, found)`` pairs
    ("rotación de personal", "staff turnover"): what a Spanish reader looks for in English quotes.
    Names spelt the same in both languages (Chile) say nothing and are left out."""
    said = content_terms(" ".join(quotes))
    out: list[tuple[str, str]] = []
    for asked, targets in terms:
        found = next((t for t in targets if content_terms(t) and content_terms(t) <= said), None)
        if found and found.lower() != asked.lower() and found not in (f for _, f in out):
            out.append((asked, found))
    return out[:limit]


def numbered_sources(results: Sequence[PassageResult], cited: Sequence[int]) -> list[dict]:
    """Cited results first, in citation order, then the rest in retrieval order; each with "n"."""
    order = list(dict.fromkeys(cited)) + [i for i in range(len(results)) if i not in cited]
    return [{**results[i].to_dict(), "n": n, "cited": i in cited} for n, i in enumerate(order, start=1)]


def compose_answer(query: Query, results: Sequence[PassageResult], encode: Encoder,
                   query_vec: np.ndarray | None = None, *, max_sentences: int = MAX_SENTENCES,
                   top_passages: int = TOP_PASSAGES, threshold: float = DEFAULT_THRESHOLD,
                   unknown_terms: Sequence[str] = (), stored: StoredVectors | None = None,
                   key_terms: frozenset[str] | None = None,
                   cross: tuple[StoredVectors, np.ndarray] | None = None) -> Answer:
    """Quote the sentences of the top passages that best answer ``query``, or decline.

    Candidate sentences take the vectors the index stored for them (``stored``); ``encode`` embeds
    the rest in one batch (and the question's English rendering when ``query_vec`` is not given):
    sentences are matched against ``query.english``, since the passages are English. Each quoted
    sentence is followed by ``[n]``, n numbering sources by first citation; the other retrieved
    passages follow as further sources. ``timings_ms`` has "encode" (the sentence vectors) and
    "compose" (all of it). ``unknown_terms`` are names of the question the knowledge base never
    mentions (see ``coverage``): it declines. ``key_terms`` are the question's terms that say what it
    asks (``KnowledgeBase.key_terms``; by default its content terms): a figure it asks for must stand
    in a sentence holding one of them. ``cross`` (stored cross-lingual sentence vectors and the
    question's own cross-lingual vector) adds, for a question in another language, how well each
    sentence matches the question as typed to the choice of sentences (not to the evidence score).
    """
    t0 = time.perf_counter()
    if max_sentences < 1:
        raise ValueError("max_sentences must be at least 1")
    cands = candidates(results, top_passages) if results else []
    t_enc = time.perf_counter()
    asked: dict[str, np.ndarray] = {}

    def with_question(texts: list[str]) -> np.ndarray:  # the question joins the sentences' one batch
        out = np.asarray(encode([query.english, *texts]), dtype="float32")
        asked["q"] = out[0]
        return out[1:]

    vecs = sentence_vectors(results, cands, encode if query_vec is not None else with_question, stored)
    if query_vec is None and cands:
        query_vec = asked["q"] if "q" in asked else np.asarray(encode([query.english]), dtype="float32")[0]
    encode_ms = (time.perf_counter() - t_enc) * 1000
    sims = vecs @ np.asarray(query_vec, dtype="float32") if cands else np.zeros(0, dtype="float32")
    best_sim = float(sims.max()) if cands else None
    abstention = should_abstain(results, query, best_sim, threshold, unknown_terms)
    evidence = evidence_score(results, best_sim)

    def timings() -> dict[str, float]:
        return {"encode": round(encode_ms, 2), "compose": round((time.perf_counter() - t0) * 1000, 2)}

    def declined(why: Abstention) -> Answer:
        return Answer(query.text, ABSTAIN_TEXT.get(query.lang, ABSTAIN_TEXT["en"]), True, [],
                      numbered_sources(results, []), query.lang, timings(), why, evidence)

    if abstention is not None:
        return declined(abstention)
    wants_figure = query.asks(Intent.FIGURE)
    if cross is not None:
        sims = sims + CROSS_WEIGHT * cross_sims(results, cands, *cross)
    scores = sentence_scores(query.english, cands, sims, wants_figure, query.asks(Intent.RECOMMENDATION))
    ordered = reading_order(cands, select(cands, scores, vecs, max_sentences, wants_figure), scores)
    if not ordered:
        return declined(Abstention(AbstainReason.NO_QUOTABLE))
    if wants_figure and not any(coverage.has_figure(cands[i].text) for i in ordered):
        return declined(Abstention(AbstainReason.NO_FIGURE_STATED))
    key = key_terms if key_terms is not None else content_terms(query.english) - frame_terms()
    not_given = coverage.kind_not_given(query, [cands[i].text for i in ordered], key)
    if not_given is not None:
        return declined(Abstention(not_given))
    numbers: dict[int, int] = {}
    for i in ordered:
        numbers.setdefault(cands[i].source, len(numbers) + 1)
    sources = numbered_sources(results, list(numbers))
    label = {d["n"]: d["citation"] for d in sources}
    citations = [Citation(numbers[cands[i].source], results[cands[i].source].passage.id, cands[i].text,
                          label[numbers[cands[i].source]], cands[i].start, cands[i].end) for i in ordered]
    text = " ".join(f"{c.quote} [{c.n}]" for c in citations)
    return Answer(query.text, text, False, citations, sources, query.lang, timings(), None, evidence,
                  terms=terms_found(query.terms, [c.quote for c in citations]))

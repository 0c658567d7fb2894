"""Group structural blocks into passages sized for citation, each with a breadcrumb and stable id.

Rules: consecutive blocks of one section and kind merge up to ``target_words``; a list keeps its
lead-in line; nothing exceeds ``max_words`` (long paragraphs split at sentences); a box stays
whole up to ``box_max_words``; each item of a recommendation list ("Proposals for action") is a
passage of its own (the lead-in stays with the first), since questions ask about one proposal and
citations should point at it. The id hashes the document, place and text, so unchanged text keeps
its id across re-indexing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from indexer.passage import Passage
from indexer.sentences import sentence_spans, split_sentences
from indexer.structure import Block

SEP = " › "


@dataclass(frozen=True)
class ChunkSettings:
    target_words: int = 120
    max_words: int = 220
    box_max_words: int = 400


def words(text: str) -> int:
    return len(text.split())


def split_long(text: str, max_words: int) -> list[str]:
    """Split text over ``max_words`` at sentence ends (a single huge sentence is cut by words)."""
    if words(text) <= max_words:
        return [text]
    pieces, cur = [], []
    for sent in split_sentences(text):
        if cur and words(" ".join(cur + [sent])) > max_words:
            pieces.append(" ".join(cur))
            cur = []
        cur.append(sent)
    if cur:
        pieces.append(" ".join(cur))
    out = []
    for piece in pieces:
        toks = piece.split()
        out.extend(" ".join(toks[i:i + max_words]) for i in range(0, len(toks), max_words))
    return out


def _group_key(b: Block) -> tuple:
    return (b.section, b.box_id, "box" if b.box_id else b.kind if b.kind not in ("paragraph", "list") else "text")


def _pack(texts: list[tuple[str, int | None]], target: int, limit: int) -> list[list[tuple[str, int | None]]]:
    """Greedy packing of (text, page) pieces into groups of about ``target`` words, never over ``limit``."""
    groups: list[list[tuple[str, int | None]]] = []
    cur: list[tuple[str, int | None]] = []
    for text, page in texts:
        size = sum(words(t) for t, _ in cur)
        keep_lead_in = bool(cur) and cur[-1][0].rstrip().endswith(":")
        if cur and (size + words(text) > limit or (size + words(text) > target and not keep_lead_in)):
            groups.append(cur)
            cur = []
        cur.append((text, page))
    if cur:
        groups.append(cur)
    # A tiny tail (a last list item, a one-line remark) reads better with the group before it.
    if len(groups) > 1:
        tail = sum(words(t) for t, _ in groups[-1])
        if tail < target // 3 and tail + sum(words(t) for t, _ in groups[-2]) <= limit:
            groups[-2].extend(groups.pop())
    return groups


def _items(pieces: list[tuple[str, int | None]], limit: int) -> list[list[tuple[str, int | None]]]:
    """One group per list item; a lead-in line (ending with ":") joins the item after it."""
    groups: list[list[tuple[str, int | None]]] = []
    for text, page in pieces:
        lead_in = bool(groups) and groups[-1][-1][0].rstrip().endswith(":")
        if lead_in and sum(words(t) for t, _ in groups[-1]) + words(text) <= limit:
            groups[-1].append((text, page))
        else:
            groups.append([(text, page)])
    return groups


def breadcrumb(meta: dict, b: Block) -> str:
    parts = [str(meta.get("short_title") or meta.get("title") or "")]
    if b.chapter:
        parts.append(f"Chapter {b.chapter}. {b.chapter_title}".strip().rstrip("."))
    parts.extend(b.section)
    if b.box_id:
        parts.append(f"Box {b.box_id}. {b.box_title}")
    return SEP.join(p for p in parts if p)


def _passage_id(doc_id: str, crumb: str, text: str) -> str:
    return hashlib.sha1(f"{doc_id}\x1f{crumb}\x1f{text}".encode()).hexdigest()[:16]


def chunk(blocks: list[Block], meta: dict, doc_id: str, settings: ChunkSettings = ChunkSettings()) -> list[Passage]:
    """Passages of one document, in reading order."""
    runs: list[list[Block]] = []
    for b in blocks:
        if runs and _group_key(runs[-1][-1]) == _group_key(b) and not b.starts_box:
            runs[-1].append(b)
        else:
            runs.append([b])

    passages: list[Passage] = []
    seen: dict[str, int] = {}
    for run in runs:
        first = run[0]
        pieces = [(piece, b.page) for b in run for piece in split_long(b.text, settings.max_words)]
        total = sum(words(t) for t, _ in pieces)
        if first.box_id and total <= settings.box_max_words:
            groups = [pieces]
        elif first.kind == "recommendation":
            groups = _items(pieces, settings.max_words)
        else:
            groups = _pack(pieces, settings.target_words, settings.max_words)
        crumb = breadcrumb(meta, first)
        for group in groups:
            text = "\n".join(t for t, _ in group).strip()
            if not text:
                continue
            pages = [p for _, p in group if p is not None]
            pid = _passage_id(doc_id, crumb, text)
            seen[pid] = seen.get(pid, 0) + 1
            if seen[pid] > 1:
                pid = f"{pid}-{seen[pid]}"
            passages.append(
                Passage(
                    id=pid, text=text, kind="box" if first.box_id else ("paragraph" if first.kind == "list" else first.kind),
                    doc_id=doc_id, title=str(meta.get("title") or doc_id), breadcrumb=crumb,
                    chapter=first.chapter, chapter_title=first.chapter_title,
                    section=SEP.join(first.section), box_id=first.box_id, box_title=first.box_title,
                    countries=list(first.countries), country=", ".join(first.countries),
                    page=min(pages) if pages else None, page_end=max(pages) if pages else None,
                    publication=str(meta.get("publication") or ""), year=meta.get("year"),
                    doc_kind=str(meta.get("kind") or ""), source_url=str(meta.get("source_url") or ""),
                    doi=str(meta.get("doi") or ""), language=str(meta.get("language") or "en"),
                    order=len(passages), sentences=sentence_spans(text),
                )
            )
    return passages

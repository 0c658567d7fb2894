from assistant.filters import Filters, resolve
from indexer.where import NOTHING, Where

DOCS = [{"doc_id": "ch5", "title": "Enhancing capability", "source_path": "/c/imss-2013-chapter-05.md"},
        {"doc_id": "ch9", "title": "Unlocking innovation", "source_path": "/c/imss-2018-chapter-09.md"}]


def meta(**kw) -> dict:
    return {"doc_id": "ch5", "chapter": "5", "box_id": "", "countries": [], "kind": "paragraph", **kw}


def test_user_filters_resolve_once_into_canonical_store_values():
    w = resolve(Filters(country=("UK", "Noruega"), box=("Box 5.2",), doc=("capability",)), DOCS)
    assert w.countries == {"united kingdom", "norway"} and w.box_id == {"5.2"} and w.doc_id == {"ch5"}
    assert resolve(Filters(doc=("2018",)), DOCS).doc_id == {"ch9"}  # words of the file path too
    assert resolve(Filters(doc=("nothing like it",)), DOCS) == NOTHING
    assert resolve(None, DOCS) == Where()


def test_where_matches_like_the_old_predicates():
    chile = meta(kind="box", box_id="5.2", countries=["Chile"])
    refs = meta(kind="references")
    assert resolve(Filters(country=("chile",)), DOCS).matches(chile)
    assert not resolve(Filters(country=("Norway",)), DOCS).matches(chile)
    assert resolve(Filters(box=("Box 5.2",), chapter=("5",)), DOCS).matches(chile)
    assert not resolve(Filters(exclude_kinds=("references",)), DOCS).matches(refs)
    assert resolve(Filters(kinds=("references",), exclude_kinds=("references",)), DOCS).matches(refs)
    assert not NOTHING.matches(chile)


def test_narrowing_a_filter():
    w = Where.of(kind=["box", "recommendation"], countries=["chile"])
    assert w.narrowed(kind=["recommendation"]).kind == {"recommendation"}
    assert Where.of(kind=["box"]).narrowed(kind=["recommendation"]) == NOTHING
    assert Where().narrowed(kind=["recommendation"]).kind == {"recommendation"}

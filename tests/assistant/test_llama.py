"""The knowledge base inside llama-index: ``as_retriever()`` in a real retriever query engine (no LLM)."""

from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.llms import MockLLM
from llama_index.core.postprocessor import SimilarityPostprocessor
from llama_index.core.query_engine import RetrieverQueryEngine
from llama_index.core.response_synthesizers.no_text import NoText


def test_retriever_nodes_carry_text_metadata_and_citation(corpus_kb):
    retriever = corpus_kb.as_retriever(k=3)
    assert isinstance(retriever, BaseRetriever)
    nodes = retriever.retrieve("How does Chile certify its procurement officials?")
    want = [hit.passage.id for hit in corpus_kb.search("How does Chile certify its procurement officials?", 3).passages]
    assert [n.node.node_id for n in nodes] == want
    top = nodes[0].node
    assert top.text == corpus_kb.store.passage(top.node_id).text
    assert top.metadata["doc_id"] and top.metadata["citation"] and top.metadata["kind"]
    assert nodes[0].score >= nodes[-1].score


def test_filters_reach_the_store_through_the_retriever(corpus_kb):
    nodes = corpus_kb.as_retriever(k=5, filters=corpus_kb.default_filters(box="5.2")).retrieve("certification")
    assert nodes and all(n.node.metadata.get("box_id") == "5.2" for n in nodes)


def test_a_retriever_query_engine_with_a_no_text_synthesizer(corpus_kb):
    # MockLLM only satisfies the synthesizer's constructor (get_response_synthesizer drops the llm for
    # no_text and would reach for OpenAI): the no-text synthesizer never calls it
    synthesizer = NoText(llm=MockLLM())
    engine = RetrieverQueryEngine(corpus_kb.as_retriever(k=4), synthesizer,
                                  node_postprocessors=[SimilarityPostprocessor(similarity_cutoff=0.0)])
    response = engine.query("¿Qué propone la OCDE para reducir la rotación de personal?")
    assert response.source_nodes and all("citation" in n.node.metadata for n in response.source_nodes)
    assert any("turnover" in n.node.text.lower() for n in response.source_nodes)

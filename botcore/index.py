"""The search index over approved passages: dense (faiss) + lexical (BM25).

Dense: every passage is embedded as several *views* (title, text, each way people ask
for it) in an exact faiss index (``IndexIDMap`` over ``IndexFlatIP`` on normalised
vectors: exact search is right for a corpus this small). The vectors are cached on disk
beside a manifest (index key, model, dimension, settings, file hash); a cache whose
manifest or file hash does not match is never trusted: it is rebuilt.

Lexical: BM25 (bm25s, ``method="lucene"``, whose IDF is never negative on tiny corpora)
over title + asked-as + text. It takes milliseconds, so it is rebuilt in memory.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from botcore.dense_scan import ViewScan
from botcore.embedder import Embedder
from botcore.errors import IndexMismatch
from botcore.schema import Passage
from botcore.storage import ensure_private_dir, write_atomic
from botcore.textproc import tokens

INDEX_FORMAT = 2
Progress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` while embedding."""


def passage_views(passage: Passage) -> list[str]:
    """The texts a passage is embedded as. Title and asked-as phrasings are short
    questions, which match short questions far better than a paragraph does."""
    return [passage.title, passage.text, *passage.asked_as]


def index_texts(passages: Sequence[Passage]) -> list[str]:
    """Every text the dense index embeds, in order (the export is compared on all of them)."""
    return [view for passage in passages for view in passage_views(passage)]


def lexical_document(passage: Passage) -> str:
    return " ".join([passage.title, passage.title, *passage.asked_as, passage.text])


def index_key(passages: list[Passage], model_name: str, settings: Mapping[str, object]) -> str:
    """Hash of everything the index depends on."""
    payload = {
        "format": INDEX_FORMAT,
        "model": model_name,
        "settings": dict(settings),
        "passages": [[p.id, passage_views(p)] for p in passages],
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


@dataclass
class DenseIndex:
    faiss_index: object
    view_passage: np.ndarray
    """For each view id, the position of its passage in the passage list."""
    n_views: int


def _faiss():  # noqa: ANN202 - the faiss module
    """faiss, with one OpenMP thread. Nothing else sets it once torch is gone, and after
    every search libgomp's idle threads spin on the other core (11.4 s of CPU for 6.7 s of
    wall time over the eval questions, in the review); exact search over ~700 vectors
    gains nothing from a second thread."""
    import faiss  # noqa: PLC0415 - deferred: heavy

    faiss.omp_set_num_threads(1)
    return faiss


def _bm25s():  # noqa: ANN202 - the bm25s module
    """bm25s without scipy: it imports scipy.sparse whenever scipy is installed (88 ms and
    9 MiB of an 0.7 s start), but uses it only for ``csc_backend="scipy"``; the default
    numpy backend (ours) never touches it. scipy is kept out for the import only."""
    if "bm25s" in sys.modules or "scipy" in sys.modules:
        import bm25s  # type: ignore[import-untyped]  # noqa: PLC0415

        return bm25s
    blocked = ("scipy", "scipy.sparse")
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]  # `import scipy` then fails
    try:
        import bm25s  # type: ignore[import-untyped]  # noqa: PLC0415
    finally:
        for name in blocked:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]
    return bm25s


def _build_faiss(vectors: np.ndarray) -> object:
    faiss = _faiss()
    index = faiss.IndexIDMap(faiss.IndexFlatIP(vectors.shape[1]))
    index.add_with_ids(vectors, np.arange(len(vectors), dtype=np.int64))
    return index


class PassageIndex:
    """Dense + BM25 index over a fixed list of approved passages."""

    def __init__(self, passages: list[Passage], embedder: Embedder, dense: DenseIndex) -> None:
        bm25s = _bm25s()
        self.passages = passages
        self.embedder = embedder
        self.dense = dense
        self._bm25 = bm25s.BM25(method="lucene")
        docs = [tokens(lexical_document(p)) or ["_empty_"] for p in passages]
        self._bm25.index(docs, show_progress=False)
        self.vocabulary = {t for doc in docs for t in doc}
        self._scan = ViewScan(dense.faiss_index)

    # -- building and caching -----------------------------------------------------------------
    @classmethod
    def load_or_build(
        cls,
        passages: list[Passage],
        embedder: Embedder,
        cache_dir: Path,
        settings: Mapping[str, object],
        progress: Progress | None = None,
        rebuild: bool = False,
    ) -> tuple[PassageIndex, str]:
        """Load the cached index if its manifest matches, else build and cache it.
        Returns the index and what happened ("loaded", "built", or "rebuilt: <why>")."""
        key = index_key(passages, embedder.name, settings)
        folder = cache_dir / f"index-{key[:20]}"
        outcome = "built"
        if not rebuild:
            try:
                return cls(passages, embedder, _load_dense(folder, key, embedder)), "loaded"
            except FileNotFoundError:
                outcome = "built"
            except IndexMismatch as exc:
                outcome = f"rebuilt: {exc}"
        dense = _build_dense(passages, embedder, progress)
        with contextlib.suppress(OSError):  # a read-only cache still gives a working index
            _save_dense(folder, key, embedder, dense, settings)
        return cls(passages, embedder, dense), outcome

    # -- scoring ------------------------------------------------------------------------------
    def encode_queries(self, queries: Sequence[str]) -> np.ndarray:
        """All the query variants of one question in one call to the model (one row each):
        one forward pass instead of up to three."""
        return self.embedder.encode(list(queries))

    def dense_view_scores(self, query_vector: np.ndarray) -> np.ndarray:
        """Cosine of the query with every view (exact search over all of them). Views that
        faiss does not return, or returns as id -1, stay NaN."""
        scores = np.full(self.dense.n_views, np.nan, dtype=np.float64)
        if not np.all(np.isfinite(query_vector)) or float(np.linalg.norm(query_vector)) < 1e-6:
            return scores  # zero-norm or broken query vector: no dense evidence at all
        if self._scan.index is not self.dense.faiss_index:  # the index was swapped (tests)
            self._scan = ViewScan(self.dense.faiss_index)
        if self._scan.active:  # the same numbers as the search below, without its sort
            return self._scan.scores(query_vector).astype(np.float64)
        sims, ids = self.dense.faiss_index.search(  # type: ignore[attr-defined]
            query_vector.reshape(1, -1).astype(np.float32), self.dense.n_views
        )
        keep = ids[0] >= 0
        scores[ids[0][keep]] = sims[0][keep]
        return scores

    def bm25_scores(self, query: str) -> np.ndarray:
        query_tokens = [t for t in tokens(query) if t in self.vocabulary]
        if not query_tokens:
            return np.zeros(len(self.passages), dtype=np.float64)
        return np.asarray(self._bm25.get_scores(query_tokens), dtype=np.float64)


def _build_dense(
    passages: list[Passage], embedder: Embedder, progress: Progress | None
) -> DenseIndex:
    texts = index_texts(passages)
    owner = [position for position, p in enumerate(passages) for _ in passage_views(p)]
    # Shortest first, so that each batch pads to nearly its own length (5 s instead of 13 s
    # for the whole index with the ONNX model); the rows go back in view order.
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    vectors = np.zeros((len(texts), embedder.dim), np.float32)
    batch = 64
    for start in range(0, len(order), batch):
        rows = order[start : start + batch]
        vectors[rows] = embedder.encode([texts[i] for i in rows])
        if progress is not None:
            progress(min(start + batch, len(texts)), len(texts))
    return DenseIndex(_build_faiss(vectors), np.asarray(owner, dtype=np.int64), len(texts))


def _save_dense(folder: Path, key: str, embedder: Embedder, dense: DenseIndex,
                settings: Mapping[str, object]) -> None:
    faiss = _faiss()

    ensure_private_dir(folder)
    blob = faiss.serialize_index(dense.faiss_index).tobytes()
    owners = io.BytesIO()
    np.save(owners, dense.view_passage, allow_pickle=False)
    write_atomic(folder / "dense.faiss", blob)
    write_atomic(folder / "views.npy", owners.getvalue())
    manifest = {
        "format": INDEX_FORMAT,
        "key": key,
        "model": embedder.name,
        "dimension": embedder.dim,
        "settings": dict(settings),
        "views": dense.n_views,
        "faiss_sha256": hashlib.sha256(blob).hexdigest(),
        "views_sha256": hashlib.sha256(owners.getvalue()).hexdigest(),
    }
    write_atomic(folder / "manifest.json", json.dumps(manifest, indent=2, sort_keys=True))


def _load_dense(folder: Path, key: str, embedder: Embedder) -> DenseIndex:
    faiss = _faiss()

    manifest_path = folder / "manifest.json"
    if not manifest_path.exists():
        raise FileNotFoundError(manifest_path)
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        blob = (folder / "dense.faiss").read_bytes()
        owners_raw = (folder / "views.npy").read_bytes()
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise IndexMismatch(f"cached index unreadable ({type(exc).__name__})") from None
    expected = {
        "format": INDEX_FORMAT, "key": key, "model": embedder.name, "dimension": embedder.dim,
    }
    for field, value in expected.items():
        if manifest.get(field) != value:
            raise IndexMismatch(f"cached index manifest has a different {field}")
    if hashlib.sha256(blob).hexdigest() != manifest.get("faiss_sha256") or hashlib.sha256(
        owners_raw
    ).hexdigest() != manifest.get("views_sha256"):
        raise IndexMismatch("cached index files do not match their manifest (corrupt?)")
    index = faiss.deserialize_index(np.frombuffer(blob, dtype=np.uint8))
    owners = np.load(io.BytesIO(owners_raw), allow_pickle=False)
    if (index.ntotal != manifest.get("views") or len(owners) != index.ntotal
            or index.d != embedder.dim):
        raise IndexMismatch("cached index size does not match its manifest")
    return DenseIndex(index, owners.astype(np.int64), int(index.ntotal))

